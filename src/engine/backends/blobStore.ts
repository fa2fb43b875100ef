/**
 * An `azblob://` backend: the container, through Microsoft's own `@azure/storage-blob` (paging,
 * retries, and every credential Pulumi accepts: account key, SAS, connection string, else
 * `DefaultAzureCredential` from `@azure/identity`). Loaded only when such a backend is read.
 * Creating an object only when it does not exist is a conditional write (`If-None-Match: *`),
 * which Blob Storage applies atomically.
 */
import type * as storage from '@azure/storage-blob';
import type { BlobBackend } from '../../core/backend';
import { blobServiceClient } from '../../probes/clients/blob';
import type { StateStore, StoredObject } from './stateStore';

const statusOf = (error: unknown) => (error as { statusCode?: number }).statusCode;

async function bodyOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

export class BlobStore implements StateStore {
  readonly shared = true;
  private readonly container: storage.ContainerClient;

  constructor(private readonly backend: BlobBackend) {
    this.container = blobServiceClient(backend.serviceUrl, backend.credential, { maxTries: 3, tryTimeoutInMs: 15_000 }).getContainerClient(backend.container);
  }

  get where(): string {
    return `azblob://${this.backend.container} at ${this.backend.serviceUrl}`;
  }

  async list(dir: string): Promise<string[]> {
    const prefix = dir ? `${dir.replace(/\/$/, '')}/` : '';
    const names: string[] = [];
    for await (const item of this.container.listBlobsByHierarchy('/', { prefix })) names.push(item.name.slice(prefix.length).replace(/\/$/, ''));
    return names;
  }

  async listPrefix(prefix: string): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    for await (const item of this.container.listBlobsFlat({ prefix })) found.push({ path: item.name, version: item.properties.etag });
    return found;
  }

  /** One GET (downloadToBuffer would ask for the blob's properties first). */
  async read(path: string): Promise<Buffer | undefined> {
    try {
      const response = await this.container.getBlobClient(path).download();
      return await bodyOf(response.readableStreamBody!);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Only when the object does not exist yet; false when it does. */
  create(path: string, body: string): Promise<boolean> {
    return this.uploadIf(path, body, { ifNoneMatch: '*' }, [409, 412]);
  }

  async write(path: string, body: string): Promise<void> {
    await this.container.getBlockBlobClient(path).upload(body, Buffer.byteLength(body));
  }

  /** Only while it exists (If-Match: *, applied atomically by the service); false when it was gone. */
  rewrite(path: string, body: string): Promise<boolean> {
    return this.uploadIf(path, body, { ifMatch: '*' }, [404, 412]);
  }

  /** A conditional upload: false when the service refuses it with one of `refused`. */
  private async uploadIf(path: string, body: string, conditions: { ifMatch?: string; ifNoneMatch?: string }, refused: readonly number[]): Promise<boolean> {
    try {
      await this.container.getBlockBlobClient(path).upload(body, Buffer.byteLength(body), { conditions });
      return true;
    } catch (error) {
      if (refused.includes(statusOf(error) ?? 0)) return false;
      throw error;
    }
  }

  async remove(path: string): Promise<void> {
    await this.container.getBlobClient(path).deleteIfExists();
  }
}
