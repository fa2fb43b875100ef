#!/usr/bin/env node
// Packages the extension: vsce runs `vscode:prepublish` (the production build), then
// writes modelops-infra.vsix with dist/, media/, schema/ and production dependencies only.
// README images stay relative: they are packaged (media/screenshots) and VS Code shows them from there.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = 'modelops-infra.vsix';
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const r = spawnSync(process.execPath, [vsce, 'package', '--out', out, '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
const mb = statSync(join(root, out)).size / (1024 * 1024);
process.stdout.write(`${out}: ${mb.toFixed(1)} MB\n`);
