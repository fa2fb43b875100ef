/**
 * A double of Azure Resource Manager (no Azure is reachable here): an HTTPS server on 127.0.0.1
 * with a certificate made for it, answering the calls preflight makes with JSON in the shape ARM
 * documents for them. Each route can be changed per test; every request is recorded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ArmAnswer {
  status: number;
  body: unknown;
}

export interface ArmRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization?: string;
  body: string;
}

/** `${METHOD} ${path}` (lower-case path, no query) → answer. */
/** Built-in Contributor as the permissions API lists it: everything but Microsoft.Authorization's writes and deletes. */
export const CONTRIBUTOR_PERMISSIONS = { actions: ['*'], notActions: ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write', 'Microsoft.Authorization/elevateAccess/Action'], dataActions: [], notDataActions: [] };

export const routeKey = (method: 'GET' | 'POST', path: string): string => `${method} ${path.toLowerCase()}`;

export type ArmRoutes = Map<string, ArmAnswer | (() => ArmAnswer | undefined)>;

export interface ArmDouble {
  endpoint: string;
  /** The certificate to trust (PEM): the SDK is given it as its only CA. */
  ca: string;
  routes: ArmRoutes;
  requests: ArmRequest[];
  close(): Promise<void>;
}

/** A certificate for 127.0.0.1, made with openssl (a Debian package setup installs). */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'arm-double-'));
  try {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr || made.error?.message}`);
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startArmDouble(routes: ArmRoutes): Promise<ArmDouble> {
  const { key, cert } = selfSigned();
  const requests: ArmRequest[] = [];
  const server: Server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, body: Buffer.concat(chunks).toString('utf8') });
      const route = routes.get(routeKey(req.method as 'GET', url.pathname));
      const answer = typeof route === 'function' ? route() : route;
      if (answer === undefined && typeof route === 'function') return; // never answers
      const { status, body } = answer ?? { status: 404, body: { error: { code: 'NotFound', message: `no route for ${req.method} ${url.pathname}` } } };
      res.writeHead(status, { 'content-type': 'application/json', 'x-ms-request-id': 'double' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    ca: cert,
    routes,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ok = (body: unknown): ArmAnswer => ({ status: 200, body });

/** The answers of a subscription ready for a first up in eastus2, for the original's example (B2s system pool, D4s_v3 pool up to 5). */
export function readySubscription(subscription: string, location = 'eastus2', group = 'modelops-dev-rg-alice'): ArmRoutes {
  const sub = `/subscriptions/${subscription}`.toLowerCase();
  const provider = (namespace: string) => ok({ id: `/subscriptions/${subscription}/providers/${namespace}`, namespace, registrationState: 'Registered', resourceTypes: [] });
  const routes: ArmRoutes = new Map();
  for (const ns of ['Microsoft.ContainerService', 'Microsoft.Compute', 'Microsoft.Network', 'Microsoft.ManagedIdentity', 'Microsoft.ContainerRegistry', 'Microsoft.Storage']) {
    routes.set(`GET ${sub}/providers/${ns.toLowerCase()}`, provider(ns));
  }
  const vm = (name: string, family: string, vcpus: number) => ({
    resourceType: 'virtualMachines',
    name,
    tier: 'Standard',
    size: name.replace('Standard_', ''),
    family,
    locations: [location],
    capabilities: [{ name: 'vCPUs', value: String(vcpus) }, { name: 'MemoryGB', value: '8' }],
    restrictions: [],
  });
  routes.set(`GET ${sub}/providers/microsoft.compute/skus`, ok({ value: [vm('Standard_B2s', 'standardBSFamily', 2), vm('Standard_D4s_v3', 'standardDSv3Family', 4), { resourceType: 'disks', name: 'Premium_LRS', locations: [location] }] }));
  const usage = (value: string, localizedValue: string, currentValue: number, limit: number) => ({ unit: 'Count', currentValue, limit, name: { value, localizedValue } });
  routes.set(
    `GET ${sub}/providers/microsoft.compute/locations/${location}/usages`,
    ok({ value: [usage('cores', 'Total Regional vCPUs', 4, 100), usage('standardBSFamily', 'Standard BS Family vCPUs', 0, 20), usage('standardDSv3Family', 'Standard DSv3 Family vCPUs', 4, 100)] }),
  );
  // As ARM's "Managed Clusters - List Kubernetes Versions" documents it: `capabilities.supportPlan` lists
  // `KubernetesOfficial` and/or `AKSLongTermSupport` (the latter only on the Premium tier).
  routes.set(
    `GET ${sub}/providers/microsoft.containerservice/locations/${location}/kubernetesversions`,
    ok({ values: [
      { version: '1.27', isPreview: false, patchVersions: { '1.27.102': { upgrades: [] } }, capabilities: { supportPlan: ['AKSLongTermSupport'] } },
      { version: '1.31', isPreview: false, patchVersions: { '1.31.8': { upgrades: ['1.32.5'] } }, capabilities: { supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'] } },
      { version: '1.32', isPreview: false, patchVersions: { '1.32.5': { upgrades: [] } }, capabilities: { supportPlan: ['KubernetesOfficial'] } },
      { version: '1.34', isPreview: true, patchVersions: { '1.34.0': { upgrades: [] } }, capabilities: { supportPlan: ['KubernetesOfficial'] } },
    ] }),
  );
  // "Permissions - List For Resource Group": the caller's roles in the group, here Owner's.
  routes.set(`GET ${sub}/resourcegroups/${group}/providers/microsoft.authorization/permissions`, ok({ value: [{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }] }));
  routes.set(`POST ${sub}/providers/microsoft.containerregistry/checknameavailability`, ok({ nameAvailable: true }));
  routes.set(`POST ${sub}/providers/microsoft.storage/checknameavailability`, ok({ nameAvailable: true }));
  return routes;
}
