#!/usr/bin/env node
// The CLI demo on the local provider: up with an injected fault (the cluster's
// update succeeds without exporting kubeconfig), status, then repair.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSetup } from './setup.mjs';
import { npmRun, repoRoot as repo } from './setup/env.mjs';
import { pulumiCliPath } from './setup/pulumi-cli.mjs';

await runSetup(['node', 'pulumi-cli']);
const dir = join(repo, '.demo-home', 'cli');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const node = process.execPath;
npmRun('build');
const pulumi = process.env.MOPS_PULUMI || pulumiCliPath();

const base = `provider: local
environment: demo
username: demo
storage: {}
workspace:
  apiVersion: modelops/v1
  kind: Workspace
  metadata: { name: demo }
  spec:
    workers: { replicas: 2 }
adaptive:
  default: { algorithm: optuna }
`;
const fault = `local:
  faults:
    cluster:
      omit_outputs: [kubeconfig]
`;
const config = join(dir, 'azure.yaml');
const env = { ...process.env, MODELOPS_HOME: join(dir, 'home'), PULUMI_HOME: join(dir, 'pulumi-home'), MOPS_PULUMI: pulumi };

function step(title, args) {
  process.stdout.write(`\n\x1b[1m$ mops-infra ${args.join(' ')}\x1b[0m   # ${title}\n`);
  const r = spawnSync(node, [join(repo, 'bin', 'mops-infra.js'), ...args, '--config', config], { stdio: 'inherit', env });
  process.stdout.write(`(exit ${r.status})\n`);
  return r.status;
}

writeFileSync(config, base + fault);
step('provision with an injected fault: the cluster update succeeds but omits kubeconfig', ['up']);
step('the truth: cluster outputs-missing, the rest cannot start', ['status']);
step('validate fails and says where', ['validate']);
writeFileSync(config, base);
step('fault removed from azure.yaml: repair the cluster', ['repair', 'cluster']);
step('provision the rest', ['up']);
step('all ready', ['status']);
step('health of what the outputs point at', ['health']);
process.stdout.write(`\nDemo state is in ${dir} (delete it when done).\n`);
