// Debian packages: build tools and headers for code-server's native modules, Chromium
// for the real-VS-Code suite, openssl for the test API server's certificates.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { runLogged } from './cache.mjs';

export const DEBIAN_PACKAGES = [
  'build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'libx11-dev',
  'libxkbfile-dev', 'libsecret-1-dev', 'chromium', 'openssl',
];

function missing() {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...DEBIAN_PACKAGES], { encoding: 'utf8' });
  const installed = new Set((r.stdout || '').split('\n').filter((l) => l.endsWith(' installed')).map((l) => l.split(/[ :]/)[0]));
  return DEBIAN_PACKAGES.filter((p) => !installed.has(p));
}

const isDebian = () => existsSync('/usr/bin/dpkg-query');

export default {
  name: 'debian',
  title: 'Debian packages',
  firstTime: '~2 min',
  locate() {
    if (!isDebian()) return 'not a Debian system: install the equivalents of ' + DEBIAN_PACKAGES.join(' ');
    return missing().length === 0 ? `${DEBIAN_PACKAGES.length} installed` : undefined;
  },
  async build({ logFile, signal }) {
    const absent = missing();
    const isRoot = process.getuid?.() === 0;
    if (!isRoot) throw new Error(`missing Debian packages: ${absent.join(' ')}. Run: sudo apt-get update && sudo apt-get install -y ${absent.join(' ')}`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    await runLogged('apt-get', ['update'], { env, logFile, signal });
    await runLogged('apt-get', ['install', '-y', '--no-install-recommends', ...absent], { env, logFile, signal });
    const still = missing();
    if (still.length) throw new Error(`apt-get finished but these are still missing: ${still.join(' ')} (log: ${logFile})`);
    return `${DEBIAN_PACKAGES.length} installed`;
  },
};
