/**
 * The double's client of the kube-apiserver: one keep-alive agent; every write names its component
 * (the field manager). A refused write is logged by method, path, HTTP status and reason only.
 */
import { Agent, request } from 'node:https';
import type { ApiServer } from '../../azure/apiserver';

export type Actor = 'kube-controller-manager' | 'kube-scheduler' | 'kubelet';
export type Reply = { status: number; body: unknown };

export class Kube {
  writes = 0;
  private readonly agent: Agent;
  private readonly reported = new Set<string>();

  constructor(private readonly api: Pick<ApiServer, 'server' | 'ca' | 'token'>) {
    this.agent = new Agent({ ca: api.ca, keepAlive: true, maxSockets: 4 });
  }

  send(method: string, path: string, body?: unknown, options: { actor?: Actor; contentType?: string; accept?: string } = {}): Promise<Reply> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = {
      authorization: `Bearer ${this.api.token}`,
      accept: options.accept ?? 'application/json',
      'user-agent': `${options.actor ?? 'kube-controller-manager'}/mops-double`,
      ...(payload ? { 'content-type': options.contentType ?? 'application/json', 'content-length': payload.length } : {}),
    };
    return new Promise((done, fail) => {
      const req = request(`${this.api.server}${path}`, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: parseJson(Buffer.concat(chunks).toString()) }));
      });
      req.on('error', fail);
      req.end(payload);
    });
  }

  async get<T>(path: string, accept?: string): Promise<T> {
    const r = await this.send('GET', path, undefined, { accept });
    if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status} ${reasonOf(r.body)}`);
    return r.body as T;
  }

  /** Items of a (cluster-wide) list; metadata only when `metadataOnly`. */
  async list<T>(path: string, metadataOnly = false): Promise<T[]> {
    const accept = metadataOnly ? 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' : undefined;
    return (await this.get<{ items: T[] | null }>(path, accept)).items ?? [];
  }

  /** A write: the API server's answer, or undefined when it refused; races (404, 409, a namespace being terminated) are normal, the next pass retries. */
  async attempt(actor: Actor, method: string, path: string, body?: unknown, contentType?: string): Promise<unknown> {
    this.writes++;
    const r = await this.send(method, path, body, { actor, contentType });
    if (r.status < 300) return r.body ?? {};
    if (!isRace(r)) this.report(`${method} ${path}: HTTP ${r.status} ${reasonOf(r.body)}`);
    return undefined;
  }

  async write(actor: Actor, method: string, path: string, body?: unknown, contentType?: string): Promise<boolean> {
    return (await this.attempt(actor, method, path, body, contentType)) !== undefined;
  }

  mergePatch(actor: Actor, path: string, patch: unknown): Promise<boolean> {
    return this.write(actor, 'PATCH', path, patch, 'application/merge-patch+json');
  }

  report(message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    process.stderr.write(`cluster-controllers double: ${message}\n`);
  }

  close(): void {
    this.agent.destroy();
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** A Status' reason and the fields it names; never its message (it may quote values). */
function reasonOf(body: unknown): string {
  const status = body as { reason?: string; details?: { causes?: { field?: string }[] } } | undefined;
  const fields = (status?.details?.causes ?? []).map((c) => c.field).filter(Boolean);
  return `${status?.reason ?? ''}${fields.length ? ` (${fields.join(', ')})` : ''}`;
}

function isRace(r: Reply): boolean {
  if (r.status === 404 || r.status === 409) return true;
  const message = String((r.body as { message?: string } | undefined)?.message ?? '');
  return r.status === 403 && /being terminated|serviceaccount/.test(message);
}

// ---------------------------------------------------------------------------------------------
// Paths

export const CORE = '/api/v1';
export const APPS = '/apis/apps/v1';
export const DISCOVERY = '/apis/discovery.k8s.io/v1';
export const STORAGE = '/apis/storage.k8s.io/v1';

export function at(base: string, resource: string, meta: { namespace?: string; name?: string } = {}): string {
  const ns = meta.namespace ? `/namespaces/${meta.namespace}` : '';
  return `${base}${ns}/${resource}${meta.name ? `/${meta.name}` : ''}`;
}
