// The Pulumi CLI the engine suite, the benchmarks and the demo run. It cannot be
// downloaded here, so it is built from the Go module proxy: tools/pulumi-cli pins
// pkg/v3 and sdk/v3 and repeats pkg's non-local `replace`s.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NotSetUpError, goModVersion, toolsCache } from './cache.mjs';
import { goBuild } from './go.mjs';

export const PULUMI_VERSION = goModVersion('pulumi-cli', 'github.com/pulumi/pulumi/pkg/v3');

// The official CLI archive ships this script for dynamic providers; a source build does not.
// MOPS_NODE / MOPS_DYNAMIC_PROVIDER are set by our engine so it works under any Node (or Electron).
const SHIM = `#!/bin/sh
# Pulumi's Node.js dynamic-provider host (written by modelops-infra's scripts/setup/pulumi-cli.mjs).
if [ -n "$MOPS_DYNAMIC_PROVIDER" ]; then
  exec "\${MOPS_NODE:-node}" "$MOPS_DYNAMIC_PROVIDER" "$@"
fi
script=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))") || exit 1
exec node "$script" "$@"
`;

/** `<cache>/pulumi-vX.Y.Z/bin/pulumi`: the layout the Automation API wants (an install root with bin/). */
function paths() {
  const root = join(toolsCache(), `pulumi-${PULUMI_VERSION}`);
  return { root, cli: join(root, 'bin', 'pulumi'), shim: join(root, 'bin', 'pulumi-resource-pulumi-nodejs'), marker: join(root, '.ready') };
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
    const { cli, shim, marker } = paths();
    const ok = existsSync(cli) && existsSync(shim) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === PULUMI_VERSION;
    return ok ? cli : undefined;
  },
  async build({ logFile, signal }) {
    const { cli, shim, marker } = paths();
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
    writeFileSync(shim, SHIM);
    chmodSync(shim, 0o755);
    const reported = reportedVersion(cli);
    if (reported !== PULUMI_VERSION) throw new Error(`${cli} was built but \`pulumi version\` printed ${JSON.stringify(reported)}, not ${PULUMI_VERSION}`);
    writeFileSync(marker, `${PULUMI_VERSION}\n`);
    return cli;
  },
};
export default part;
