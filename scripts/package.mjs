#!/usr/bin/env node
// Packages the extension: vsce runs `vscode:prepublish` (the production build, which bundles
// everything the CLI child process needs into dist/), then writes modelops-infra.vsix with
// dist/, media/, schema/ and no node_modules. Prints its size and file count.
// README images stay relative: they are packaged (media/screenshots) and VS Code shows them from there.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './setup/env.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = 'modelops-infra.vsix';
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out, '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links'], { cwd: root, stdio: 'inherit', env: cleanEnv() });
if (r.status !== 0) process.exit(r.status ?? 1);
const listing = spawnSync('unzip', ['-Z1', join(root, out)], { encoding: 'utf8' });
const files = listing.status === 0 ? listing.stdout.split('\n').filter((l) => l && !l.endsWith('/')).length : NaN;
const mb = statSync(join(root, out)).size / (1024 * 1024);
process.stdout.write(`${out}: ${mb.toFixed(1)} MB, ${files} files\n`);
