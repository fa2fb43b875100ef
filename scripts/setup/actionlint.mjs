// actionlint (rhysd/actionlint), which the tests run on the CI recipe's GitHub Actions
// workflow (examples/github-actions/modelops-infra.yml). Built from the Go module proxy like
// the Pulumi CLI: tools/actionlint pins its version.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotSetUpError, goModVersion, toolsCache } from './cache.mjs';
import { goBuild } from './go.mjs';

export const ACTIONLINT_VERSION = goModVersion('actionlint', 'github.com/rhysd/actionlint');

function paths() {
  const root = join(toolsCache(), `actionlint-${ACTIONLINT_VERSION}`);
  return { bin: join(root, 'bin', 'actionlint'), marker: join(root, '.ready') };
}

export function actionlintPath() {
  const found = part.locate();
  if (!found) throw new NotSetUpError(`actionlint ${ACTIONLINT_VERSION}`, paths().bin);
  return found;
}

const part = {
  name: 'actionlint',
  title: `actionlint ${ACTIONLINT_VERSION}`,
  firstTime: '~1 min',
  locate() {
    const { bin, marker } = paths();
    return existsSync(bin) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === ACTIONLINT_VERSION ? bin : undefined;
  },
  async build({ logFile, signal }) {
    const { bin, marker } = paths();
    await goBuild({
      toolsDir: 'actionlint',
      pkg: 'github.com/rhysd/actionlint/cmd/actionlint',
      ldflags: `-s -w -X github.com/rhysd/actionlint.version=${ACTIONLINT_VERSION}`,
      out: bin,
      logFile,
      signal,
    });
    writeFileSync(marker, `${ACTIONLINT_VERSION}\n`);
    return bin;
  },
};
export default part;
