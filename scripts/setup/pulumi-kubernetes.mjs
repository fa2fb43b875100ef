// The Pulumi Kubernetes provider plugin (pulumi-resource-kubernetes) that the engine suite
// applies the workspace and adaptive programs with, on the project's kube-apiserver. Provider
// plugins cannot be downloaded here, so it is built from the Go module proxy: tools/pulumi-kubernetes
// pins the provider module, and its version is the one @pulumi/kubernetes asks for (the engine
// uses a plugin it finds on PATH, so the test suites put this folder there).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NotSetUpError, goModVersion, toolsCache } from './cache.mjs';
import { repoRoot } from './env.mjs';
import { goBuild, requireGo } from './go.mjs';

const MODULE = 'github.com/pulumi/pulumi-kubernetes/provider/v4';
const MODULE_VERSION = goModVersion('pulumi-kubernetes', MODULE);
/** What @pulumi/kubernetes asks the engine for (its `pulumi.version`): the plugin reports the same. */
export const PULUMI_KUBERNETES_VERSION = `v${JSON.parse(readFileSync(join(repoRoot, 'node_modules/@pulumi/kubernetes/package.json'), 'utf8')).version}`;
const toolsDir = join(repoRoot, 'tools', 'pulumi-kubernetes');

function paths() {
  const root = join(toolsCache(), `pulumi-kubernetes-${PULUMI_KUBERNETES_VERSION}`);
  return { bin: join(root, 'bin'), plugin: join(root, 'bin', 'pulumi-resource-kubernetes'), marker: join(root, '.ready') };
}
const stamp = () => `${PULUMI_KUBERNETES_VERSION} from ${MODULE} ${MODULE_VERSION}`;

/** The folder holding the plugin (to put on PATH), or a NotSetUpError saying to run setup. */
export function pulumiKubernetesBinDir() {
  const found = part.locate();
  if (!found) throw new NotSetUpError(`the Pulumi Kubernetes provider ${PULUMI_KUBERNETES_VERSION}`, paths().plugin);
  return found;
}

/** Upstream's `go generate` step: the two files its main package embeds, the schema carrying the version. */
function writeEmbeddedFiles() {
  const r = spawnSync('go', ['mod', 'download', '-json', `${MODULE}@${MODULE_VERSION}`], { cwd: toolsDir, encoding: 'utf8', env: { ...process.env, GOFLAGS: '-modcacherw' } });
  if (r.status !== 0) throw new Error(`go mod download ${MODULE}@${MODULE_VERSION} failed: ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  const cmdDir = join(JSON.parse(r.stdout).Dir, 'cmd', 'pulumi-resource-kubernetes');
  const schema = JSON.parse(readFileSync(join(cmdDir, 'schema.json'), 'utf8'));
  schema.version = PULUMI_KUBERNETES_VERSION.slice(1);
  writeFileSync(join(toolsDir, 'schema-embed.json'), JSON.stringify(schema));
  writeFileSync(join(toolsDir, 'terraform-mapping-embed.json'), readFileSync(join(cmdDir, 'terraform-mapping.json')));
}

const part = {
  name: 'pulumi-kubernetes',
  title: `Pulumi Kubernetes provider ${PULUMI_KUBERNETES_VERSION}`,
  firstTime: '~15 min',
  locate() {
    const { bin, plugin, marker } = paths();
    return existsSync(plugin) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === stamp() ? bin : undefined;
  },
  async build({ logFile, signal }) {
    const { bin, plugin, marker } = paths();
    requireGo();
    writeEmbeddedFiles();
    await goBuild({
      toolsDir: 'pulumi-kubernetes',
      pkg: '.',
      ldflags: `-s -w -X ${MODULE}/pkg/version.Version=${PULUMI_KUBERNETES_VERSION.slice(1)}`,
      out: plugin,
      logFile,
      signal,
    });
    writeFileSync(marker, `${stamp()}\n`);
    return bin;
  },
};
export default part;
