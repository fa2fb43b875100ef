#!/usr/bin/env node
// Starts a real Kubernetes API server (kube-apiserver + etcd, no kubelets, no controllers)
// for the health tests, from the binaries setup built (scripts/setup/kube-apiserver.mjs):
// TLS through openssl, a static token. Prints one JSON line {server, ca, token, ...} and
// runs until SIGTERM/SIGINT or stdin closes; then stops both.
//   node scripts/kube-apiserver.mjs start
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KUBE_VERSION as version, kubeApiserverBinDir } from './setup/kube-apiserver.mjs';

function log(message) {
  process.stderr.write(`kube-apiserver: ${message}\n`);
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
  const running = () => children.filter((child) => child.exitCode === null && child.signalCode === null);
  // Once both have exited, the folder goes (it holds the CA's key and the tokens), then this process:
  // an event loop that merely emptied would leave it behind.
  const stop = (code) => {
    if (stopping) return;
    stopping = true;
    const exited = running().map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of running()) child.kill('SIGTERM');
    const force = setTimeout(() => running().forEach((child) => child.kill('SIGKILL')), 1500);
    void Promise.all(exited).then(() => {
      clearTimeout(force);
      rmSync(dir, { recursive: true, force: true });
      process.exit(code);
    });
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

if (process.argv[2] !== 'start') {
  process.stderr.write('usage: node scripts/kube-apiserver.mjs start\n');
  process.exit(2);
}
let binDir;
try {
  binDir = kubeApiserverBinDir();
} catch (error) {
  log(error.message);
  process.exit(1);
}
await start();
