/**
 * A real kube-apiserver + etcd on 127.0.0.1 (scripts/kube-apiserver.mjs builds
 * and starts them), and a few raw API calls to put objects into the state a
 * test needs. Nothing reconciles them: no kubelets, no controllers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:https';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface ApiServer {
  server: string;
  ca: string;
  token: string;
  /** A user that authenticates but has no role. */
  readerToken: string;
  kubeconfig(token?: string, server?: string): string;
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

const repo = resolve(__dirname, '../../..');

export function kubeconfigYaml(server: string, ca: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: test`,
    `  cluster: { server: "${server}", certificate-authority-data: ${Buffer.from(ca).toString('base64')} }`,
    'users:',
    `- name: test`,
    `  user: { token: "${token}" }`,
    'contexts:',
    '- name: test',
    '  context: { cluster: test, user: test }',
    'current-context: test',
    '',
  ].join('\n');
}

export async function startApiServer(): Promise<ApiServer> {
  const child: ChildProcess = spawn(process.execPath, [resolve(repo, 'scripts/kube-apiserver.mjs'), 'start'], { cwd: repo, stdio: ['pipe', 'pipe', 'inherit'] });
  const info = await new Promise<{ server: string; ca: string; token: string; readerToken: string }>((done, fail) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => done(JSON.parse(line)));
    child.once('exit', (code) => fail(new Error(`scripts/kube-apiserver.mjs exited with ${code} before the API server was ready`)));
  });
  const call: ApiServer['call'] = (method, path, body, contentType = 'application/json') =>
    new Promise((done, fail) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      // Content-Length always: Node sends a DELETE's body unframed otherwise, and the API server ignores it.
      const length = payload === undefined ? {} : { 'content-length': Buffer.byteLength(payload) };
      const req = request(`${info.server}${path}`, { method, ca: info.ca, headers: { authorization: `Bearer ${info.token}`, 'content-type': contentType, accept: 'application/json', ...length } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      });
      req.on('error', fail);
      req.end(payload);
    });
  return {
    ...info,
    call,
    kubeconfig: (token = info.token, server = info.server) => kubeconfigYaml(server, info.ca, token),
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.stdin!.end();
      }),
  };
}

/** Creates (or replaces) what the tests need, failing loudly on an API error. */
export class Objects {
  constructor(private readonly api: ApiServer) {}

  private async ok(method: string, path: string, body?: unknown, contentType?: string): Promise<unknown> {
    const r = await this.api.call(method, path, body, contentType);
    if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  private patchStatus(path: string, status: unknown): Promise<unknown> {
    return this.ok('PATCH', `${path}/status`, { status }, 'application/merge-patch+json');
  }

  async namespace(name: string): Promise<void> {
    const r = await this.api.call('POST', '/api/v1/namespaces', { metadata: { name } });
    if (r.status !== 201 && r.status !== 409) throw new Error(`namespace ${name}: HTTP ${r.status}`);
  }

  async node(name: string, pool: string, ready: boolean): Promise<void> {
    await this.api.call('DELETE', `/api/v1/nodes/${name}`);
    await this.ok('POST', '/api/v1/nodes', { metadata: { name, labels: { 'kubernetes.azure.com/agentpool': pool, agentpool: pool } } });
    const now = new Date().toISOString();
    await this.patchStatus(`/api/v1/nodes/${name}`, {
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'KubeletReady' : 'KubeletNotReady', message: ready ? 'kubelet is posting ready status' : 'container runtime network not ready', lastHeartbeatTime: now, lastTransitionTime: now }],
    });
  }

  async deleteNodes(): Promise<void> {
    await this.ok('DELETE', '/api/v1/nodes');
  }

  /** A Deployment whose status says `ready` of `replicas` are ready; `available` sets the Available condition. */
  async deployment(namespace: string, name: string, replicas: number, ready: number, available = ready > 0): Promise<void> {
    await this.namespace(namespace);
    await this.api.call('DELETE', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
    await this.ok('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, {
      metadata: { name },
      spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'example/image:1' }] } } },
    });
    const now = new Date().toISOString();
    await this.patchStatus(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, {
      replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      updatedReplicas: replicas,
      conditions: [
        available
          ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: now, lastTransitionTime: now }
          : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastUpdateTime: now, lastTransitionTime: now },
      ],
    });
  }
}
