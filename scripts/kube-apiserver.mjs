#!/usr/bin/env node
// A real Kubernetes API server (kube-apiserver + etcd, no kubelets, no controllers)
// for the health tests. Neither can be downloaded here, so both are built from
// the Go module proxy (tools/kube-apiserver pins the versions) and cached like the
// Pulumi CLI (scripts/engine.mjs).
//   node scripts/kube-apiserver.mjs          build or reuse; prints the bin folder as the last line
//   node scripts/kube-apiserver.mjs start    also start both on 127.0.0.1 (TLS via openssl, a static
//                                            token), print one JSON line {server, ca, token, ...}, and
//                                            run until SIGTERM/SIGINT or stdin closes; then stop both.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(repo, 'tools', 'kube-apiserver');
const goMod = readFileSync(join(toolsDir, 'go.mod'), 'utf8');
const version = /k8s\.io\/kubernetes (v[\d.]+)/.exec(goMod)[1];
const etcdVersion = /go\.etcd\.io\/etcd\/server\/v3 (v[\d.]+)/.exec(goMod)[1];
const cacheRoot = process.env.MOPS_ENGINE_CACHE ? resolve(process.env.MOPS_ENGINE_CACHE) : join(repo, '.engine');
const binDir = join(cacheRoot, `kube-apiserver-${version}`, 'bin');
const BINARIES = {
  'kube-apiserver': {
    pkg: 'k8s.io/kubernetes/cmd/kube-apiserver',
    version,
    ldflags: `-s -w -X k8s.io/component-base/version.gitVersion=${version} -X k8s.io/component-base/version.gitMajor=${version.split('.')[0].slice(1)} -X k8s.io/component-base/version.gitMinor=${version.split('.')[1]}`,
  },
  etcd: { pkg: 'go.etcd.io/etcd/server/v3', version: etcdVersion, ldflags: '-s -w' },
};

function log(message) {
  process.stderr.write(`kube-apiserver: ${message}\n`);
}

function reportedVersion(name) {
  const path = join(binDir, name);
  if (!existsSync(path)) return undefined;
  const r = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? /v?(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] : undefined;
}

function ensureBuilt() {
  mkdirSync(binDir, { recursive: true });
  for (const [name, { pkg, version: wanted, ldflags }] of Object.entries(BINARIES)) {
    if (reportedVersion(name) === wanted.slice(1)) {
      log(`reusing ${join(binDir, name)}`);
      continue;
    }
    const tmp = join(binDir, `${name}.tmp-${process.pid}`);
    const started = Date.now();
    log(`building ${name} ${wanted} from the Go module proxy (first time: ~10 minutes on 2 cores)…`);
    execFileSync('go', ['build', '-trimpath', '-ldflags', ldflags, '-o', tmp, pkg], { cwd: toolsDir, stdio: ['ignore', 'inherit', 'inherit'] });
    renameSync(tmp, join(binDir, name));
    log(`built ${name} in ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA, a serving cert for 127.0.0.1/localhost signed by it, and the service-account key pair. */
function makeCertificates(dir) {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=mops-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=kube-apiserver', '-keyout', 'server.key', '-out', 'server.csr'], dir);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt'], dir);
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
}

function readyz(server, ca, token) {
  return new Promise((resolveReady) => {
    const req = request(`${server}/readyz`, { ca, headers: { authorization: `Bearer ${token}` }, timeout: 2000 }, (res) => {
      res.resume();
      resolveReady(res.statusCode === 200);
    });
    req.on('error', () => resolveReady(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'mops-kube-apiserver-'));
  const children = [];
  let stopping = false;
  const stop = (code) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    setTimeout(() => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      process.exit(code);
    }, 1500).unref();
  };
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => stop(0));
  process.stdin.on('end', () => stop(0));
  process.stdin.resume();

  makeCertificates(dir);
  const token = randomBytes(24).toString('hex');
  const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
  // A second identity that authenticates but may do nothing (RBAC grants it no role).
  const readerToken = randomBytes(24).toString('hex');
  writeFileSync(join(dir, 'tokens.csv'), `${token},admin,admin,"system:masters"\n${readerToken},nobody,nobody,\n`);
  const output = (name) => (stream) => stream.on('data', (chunk) => process.env.MOPS_KUBE_APISERVER_LOG && process.stderr.write(`[${name}] ${chunk}`));
  const spawnChild = (name, args) => {
    const child = spawn(join(binDir, name), args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    output(name)(child.stdout);
    output(name)(child.stderr);
    child.on('exit', (code, signal) => {
      if (!stopping) {
        log(`${name} exited (${code ?? signal}); stopping`);
        stop(1);
      }
    });
    children.push(child);
  };
  spawnChild('etcd', [
    '--name', 'mops', '--data-dir', join(dir, 'etcd'),
    '--listen-client-urls', `http://127.0.0.1:${etcdClient}`, '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
    '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
    '--initial-cluster', `mops=http://127.0.0.1:${etcdPeer}`, '--unsafe-no-fsync', '--log-level', 'error',
  ]);
  spawnChild('kube-apiserver', [
    '--etcd-servers', `http://127.0.0.1:${etcdClient}`,
    '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1', '--secure-port', String(securePort),
    '--tls-cert-file', 'server.crt', '--tls-private-key-file', 'server.key', '--client-ca-file', 'ca.crt',
    '--token-auth-file', 'tokens.csv', '--authorization-mode', 'RBAC', '--anonymous-auth=false',
    '--service-account-issuer', 'https://kubernetes.default.svc', '--service-account-key-file', 'sa.pub', '--service-account-signing-key-file', 'sa.key',
    '--service-cluster-ip-range', '10.96.0.0/24', '--watch-cache=false',
  ]);

  const server = `https://127.0.0.1:${securePort}`;
  const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  const started = Date.now();
  while (!(await readyz(server, ca, token))) {
    if (stopping) return;
    if (Date.now() - started > 120_000) {
      log('not ready after 120 s; stopping (set MOPS_KUBE_APISERVER_LOG=1 to see its log)');
      stop(1);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`ready at ${server} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${JSON.stringify({ server, ca, token, readerToken, version })}\n`);
}

ensureBuilt();
if (process.argv[2] === 'start') await start();
else console.log(binDir);
