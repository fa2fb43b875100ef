// The Pulumi CLI the engine suite, the benchmarks and the demo run. It cannot be
// downloaded here, so it is built from the Go module proxy: tools/pulumi-cli pins
// pkg/v3 and sdk/v3 and repeats pkg's non-local `replace`s.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NotSetUpError, goModVersion, toolsCache } from './cache.mjs';
import { goBuild } from './go.mjs';

export const PULUMI_VERSION = goModVersion('pulumi-cli', 'github.com/pulumi/pulumi/pkg/v3');

// The dynamic-provider plugin the official archive ships beside the CLI is written by the
// engine itself (src/engine/automation.ts), for any CLI.

/** `<cache>/pulumi-vX.Y.Z/bin/pulumi`: the layout the Automation API wants (an install root with bin/). */
function paths() {
  const root = join(toolsCache(), `pulumi-${PULUMI_VERSION}`);
  return { root, cli: join(root, 'bin', 'pulumi'), marker: join(root, '.ready') };
}

function reportedVersion(cli) {
  const r = spawnSync(cli, ['version'], { encoding: 'utf8', env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' }, timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The built CLI, or a NotSetUpError saying to run setup. */
export function pulumiCliPath() {
  const found = part.locate();
  if (!found) throw new NotSetUpError(`the Pulumi CLI ${PULUMI_VERSION}`, paths().cli);
  return found;
}

const part = {
  name: 'pulumi-cli',
  title: `Pulumi CLI ${PULUMI_VERSION}`,
  firstTime: '~7 min',
  locate() {
    const { cli, marker } = paths();
    const ok = existsSync(cli) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === PULUMI_VERSION;
    return ok ? cli : undefined;
  },
  async build({ logFile, signal }) {
    const { cli, marker } = paths();
    await goBuild({
      toolsDir: 'pulumi-cli',
      pkg: 'github.com/pulumi/pulumi/pkg/v3/cmd/pulumi',
      tags: 'osusergo,grpcnotrace',
      // The Automation API refuses a CLI whose `pulumi version` is empty.
      ldflags: `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${PULUMI_VERSION}`,
      out: cli,
      logFile,
      signal,
    });
    const reported = reportedVersion(cli);
    if (reported !== PULUMI_VERSION) throw new Error(`${cli} was built but \`pulumi version\` printed ${JSON.stringify(reported)}, not ${PULUMI_VERSION}`);
    writeFileSync(marker, `${PULUMI_VERSION}\n`);
    return cli;
  },
};
export default part;
