// A real Kubernetes API server and its etcd for the health tests (no kubelets, no
// controllers). Neither can be downloaded here, so both are built from the Go module
// proxy (tools/kube-apiserver pins the versions).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { NotSetUpError, goModVersion, toolsCache } from './cache.mjs';
import { goBuild } from './go.mjs';

export const KUBE_VERSION = goModVersion('kube-apiserver', 'k8s.io/kubernetes');
export const ETCD_VERSION = goModVersion('kube-apiserver', 'go.etcd.io/etcd/server/v3');

const [major, minor] = KUBE_VERSION.slice(1).split('.');
const BINARIES = [
  {
    name: 'kube-apiserver',
    version: KUBE_VERSION,
    pkg: 'k8s.io/kubernetes/cmd/kube-apiserver',
    ldflags: `-s -w -X k8s.io/component-base/version.gitVersion=${KUBE_VERSION} -X k8s.io/component-base/version.gitMajor=${major} -X k8s.io/component-base/version.gitMinor=${minor}`,
  },
  { name: 'etcd', version: ETCD_VERSION, pkg: 'go.etcd.io/etcd/server/v3', ldflags: '-s -w' },
];

function binDir() {
  return join(toolsCache(), `kube-apiserver-${KUBE_VERSION}`, 'bin');
}
const marker = () => join(binDir(), '..', '.ready');
const stamp = () => BINARIES.map((b) => `${b.name} ${b.version}`).join('\n');

function reportedVersion(path) {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? /v?(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] : undefined;
}

/** The folder holding kube-apiserver and etcd, or a NotSetUpError saying to run setup. */
export function kubeApiserverBinDir() {
  const found = part.locate();
  if (!found) throw new NotSetUpError(`kube-apiserver ${KUBE_VERSION} and etcd ${ETCD_VERSION}`, binDir());
  return found;
}

const part = {
  name: 'kube-apiserver',
  title: `kube-apiserver ${KUBE_VERSION} + etcd ${ETCD_VERSION}`,
  firstTime: '~13 min',
  locate() {
    const dir = binDir();
    const ok = BINARIES.every((b) => existsSync(join(dir, b.name))) && existsSync(marker()) && readFileSync(marker(), 'utf8').trim() === stamp();
    return ok ? dir : undefined;
  },
  async build({ logFile, signal }) {
    for (const b of BINARIES) {
      const out = join(binDir(), b.name);
      if (reportedVersion(out) !== b.version.slice(1)) await goBuild({ toolsDir: 'kube-apiserver', pkg: b.pkg, ldflags: b.ldflags, out, logFile, signal });
      const reported = reportedVersion(out);
      if (reported !== b.version.slice(1)) throw new Error(`${out} was built but reports version ${JSON.stringify(reported)}, not ${b.version}`);
    }
    writeFileSync(marker(), `${stamp()}\n`);
    return binDir();
  },
};
export default part;
