/** The provider doubles as plugins on PATH (providerDouble.ts): the folder to put first on PATH. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DOUBLE = join(__dirname, 'providerDouble.js');

export function installDoubles(dir: string): string {
  const bin = join(dir, 'provider-doubles');
  mkdirSync(bin, { recursive: true });
  for (const pkg of ['azure-native', 'kubernetes', 'random']) {
    const shim = join(bin, `pulumi-resource-${pkg}`);
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${DOUBLE}" ${pkg} "$@"\n`);
    chmodSync(shim, 0o755);
  }
  return bin;
}
