/**
 * Extension start-up cost, side by side with a baseline: loading our bundle (what
 * activation pays before `activate` runs) vs importing Pulumi's Automation API eagerly
 * (what Pulumi's own extension does at activation), and the bundle and .vsix sizes.
 * Each load runs in a fresh Node process so nothing is cached. Run: npm run bench
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');

/**
 * Loads `request` in a fresh process with a stand-in `vscode` module (a constructible
 * function for every name of the API: only module-level code runs); returns milliseconds.
 */
function loadTime(request: string): number {
  const script = `
    const Module = require('module');
    // Every name the vscode API declares (the bundle is minified: its own uses cannot be read off).
    const names = new Set([...require('fs').readFileSync(${JSON.stringify(join(REPO, 'node_modules', '@types', 'vscode', 'index.d.ts'))}, 'utf8').matchAll(/^\\s*export (?:class|namespace|enum|function|const|let) (\\w+)/gm)].map((m) => m[1]));
    const stub = Object.fromEntries([...names].map((n) => [n, function () {}]));
    const resolveFilename = Module._resolveFilename;
    Module._resolveFilename = function (r, ...rest) { return r === 'vscode' ? r : resolveFilename.call(this, r, ...rest); };
    require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub };
    const t = process.hrtime.bigint();
    require(${JSON.stringify(request)});
    process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout);
}

function median(n: number, f: () => number): number {
  const xs = Array.from({ length: n }, f).sort((a, b) => a - b);
  return xs[Math.floor(n / 2)];
}

const size = (path: string): string => (existsSync(path) ? `${(statSync(path).size / 1024).toFixed(0)} KB` : 'not built');

/** The .vsix of 0.1.0, before the CLI child process was bundled (measured with `npm run package` then). */
const UNBUNDLED_VSIX = { mb: 34.1, files: 12_863 };

function vsixFigures(vsix: string): string {
  if (!existsSync(vsix)) return 'not packaged (npm run package)';
  const listing = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
  const files = listing.stdout.split('\n').filter((l) => l && !l.endsWith('/')).length;
  return `${(statSync(vsix).size / 1048576).toFixed(1)} MB in ${files} files   unbundled (0.1.0) ${UNBUNDLED_VSIX.mb} MB in ${UNBUNDLED_VSIX.files} files`;
}

export function benchActivation(): void {
  const ours = median(7, () => loadTime(join(REPO, 'dist', 'extension.js')));
  const eager = median(7, () => loadTime('@pulumi/pulumi/automation'));
  console.log(`extension load before activate   ours (dist/extension.js) ${ours.toFixed(1).padStart(6)} ms   eager @pulumi/pulumi/automation import ${eager.toFixed(1).padStart(6)} ms`);
  const vsix = join(REPO, 'modelops-infra.vsix');
  console.log(`bundle sizes   dist/extension.js ${size(join(REPO, 'dist', 'extension.js'))}   dist/cli.js ${size(join(REPO, 'dist', 'cli.js'))}   dist/vendor.js ${size(join(REPO, 'dist', 'vendor.js'))} (loaded only when Pulumi runs)`);
  console.log(`package        modelops-infra.vsix ${vsixFigures(vsix)}`);
}
