/**
 * Azurite, Microsoft's Azure Storage emulator (npm `azurite`): the real Blob Storage API on a
 * free port, its data in a temporary folder. Used as the team's shared state backend and as
 * the storage account that health checks. The account is Azurite's published development
 * account; its key is public and no secret.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}

export class Azurite {
  private constructor(private readonly child: ChildProcess, private readonly dir: string, readonly port: number) {}

  static async start(): Promise<Azurite> {
    const bin = resolve(__dirname, '..', '..', 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
    const dir = mkdtempSync(join(tmpdir(), 'mops-azurite-'));
    const port = await freePort();
    const child = spawn(process.execPath, [bin, '--location', dir, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--skipApiVersionCheck', '--loose', '--silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const azurite = new Azurite(child, dir, port);
    const deadline = Date.now() + 60_000;
    while (!/successfully listens/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await azurite.stop();
        throw new Error(`Azurite did not start on port ${port}: ${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return azurite;
  }

  /** The variables Pulumi and our blob reader sign in with (account + key). */
  get env(): Record<string, string> {
    return { AZURE_STORAGE_ACCOUNT: DEV_ACCOUNT, AZURE_STORAGE_KEY: DEV_KEY };
  }

  /** `azblob://CONTAINER?domain=127.0.0.1:PORT&protocol=http&localemu=true`, Pulumi's form for an emulator. */
  backendUrl(container: string): string {
    return `azblob://${container}?domain=127.0.0.1:${this.port}&protocol=http&localemu=true`;
  }

  get serviceUrl(): string {
    return `http://127.0.0.1:${this.port}/${DEV_ACCOUNT}`;
  }

  get connectionString(): string {
    return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${this.serviceUrl};`;
  }

  /** Creates a container (Pulumi needs it to exist). */
  async createContainer(name: string): Promise<void> {
    const { BlobServiceClient } = require('@azure/storage-blob') as typeof import('@azure/storage-blob');
    await BlobServiceClient.fromConnectionString(this.connectionString).getContainerClient(name).createIfNotExists();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      // Open keep-alive connections can hold a graceful close: then it is killed.
      if (!(await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]))) {
        this.child.kill('SIGKILL');
        await exited;
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
