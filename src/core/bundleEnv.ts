/**
 * `~/.modelops/bundle-env/<env>.yaml`: where `mops job submit` and modelops-bundle find the
 * registry and the bundle storage of an environment. The original writes it after every
 * `infra up` and `down` from the registry and storage stack outputs, and deletes it when either
 * is missing (`core/env_reconcile.py` at 06153e8; its shape is modelops-contracts'
 * `BundleEnvironment`). This is that function, pure: outputs in, the file's text (or why none) out.
 */
import { Document, Scalar } from 'yaml';

export type Outputs = Readonly<Record<string, unknown>>;

/** The file's text, or which of the two its writer needs is missing (then the file goes). */
export type BundleEnvFile = { text: string } | { missing: Array<'registry' | 'storage'> };

const present = (o: Outputs, key: string): boolean => Boolean(o[key]);

/** `bundle-blobs` when the account lists it, else its first container, else `bundle-blobs`. */
function bundleContainer(containers: unknown): string {
  const names = Array.isArray(containers)
    ? containers.flatMap((c) => (typeof c === 'string' ? [c] : c && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string' ? [(c as { name: string }).name] : []))
    : [];
  return names.includes('bundle-blobs') || names.length === 0 ? 'bundle-blobs' : names[0];
}

/** `datetime.utcnow().isoformat()`: naive UTC, microseconds, no zone. */
function pythonUtcIso(now: Date): string {
  const seconds = now.toISOString().slice(0, 19);
  return now.getUTCMilliseconds() ? `${seconds}.${String(now.getUTCMilliseconds()).padStart(3, '0')}000` : seconds;
}

export function bundleEnvFile(env: string, registry: Outputs, storage: Outputs, now: Date): BundleEnvFile {
  const missing: Array<'registry' | 'storage'> = [];
  if (!present(registry, 'login_server') && !present(registry, 'registry_name')) missing.push('registry');
  if (!present(storage, 'connection_string') && !present(storage, 'primary_endpoint')) missing.push('storage');
  if (missing.length) return { missing };
  const body = {
    environment: env.trim().toLowerCase(),
    registry: { provider: 'acr', login_server: registry.login_server ?? '', requires_auth: registry.requires_auth ?? true },
    storage: {
      provider: 'azure',
      container: bundleContainer(storage.containers),
      ...(storage.connection_string != null ? { connection_string: storage.connection_string } : {}),
      ...(storage.primary_endpoint != null ? { endpoint: storage.primary_endpoint } : {}),
    },
    // Quoted as PyYAML quotes it: unquoted, a Python reader would load a datetime where a string is expected.
    timestamp: Object.assign(new Scalar(pythonUtcIso(now)), { type: Scalar.QUOTE_SINGLE }),
  };
  return { text: new Document(body).toString({ lineWidth: 0 }) };
}
