/**
 * Up on the local provider, then a missing output injected by a rehearsal fault: the rows, the
 * diagnostics in azure.yaml (codes, ranges, related information), the quick fixes offered for
 * each code, and the log, as the extension holds them.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { capabilities, COMPONENTS, configUri, everyText, extension, inspect, logText, rows, secretValues, sleep, statusOf, waitFor, waitForStatuses } from './helpers';

const run = promisify(execFile);

const ours = (d: vscode.Diagnostic) => d.source === 'modelops-infra';
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

async function diagnostics(): Promise<vscode.Diagnostic[]> {
  return vscode.languages.getDiagnostics(configUri()).filter(ours);
}

async function setConfig(text: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(configUri());
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.ok(await doc.save());
  return doc;
}

const lineOf = (doc: vscode.TextDocument, text: string) => doc.getText().split('\n').findIndex((l) => l.trimStart().startsWith(text));

describe('Up, then a missing output, as the extension holds them', () => {
  let original: string;

  before(async () => {
    original = (await vscode.workspace.openTextDocument(configUri())).getText();
  });

  it('Up makes every row ready: pass icon, outputs present, Repair and Force Recreate offered where they help', async () => {
    await vscode.commands.executeCommand('modelopsInfra.up');
    const r = await waitForStatuses(Object.fromEntries(COMPONENTS.map((c) => [c, 'ready'])));
    for (const name of COMPONENTS) {
      const row = r[name];
      assert.equal(row.icon, 'pass', `${name}: icon`);
      assert.equal(row.iconColor, 'testing.iconPassed');
      assert.deepEqual(
        capabilities(row).filter((c) => ['canUp', 'canRepair', 'canForceRecreate', 'deployed', 'hasOutputs'].includes(c)),
        ['canForceRecreate', 'deployed', 'hasOutputs'],
        `${name}: ${row.contextValue}`,
      );
    }
    const workspace = r.workspace;
    const outputs = workspace.children.find((c) => c.label === 'Outputs') ?? workspace;
    assert.ok(everyText([outputs]).some((t) => /scheduler_address/.test(t)), 'the workspace lists its scheduler address');
    // Output rows: Copy Value where there is one, Open for a web address.
    const row = (name: string) => outputs.children.find((c) => c.label === name)!;
    assert.deepEqual(capabilities(row('dashboard_url')), ['canCopy', 'canOpen', 'output']);
    assert.deepEqual(capabilities(row('scheduler_address')), ['canCopy', 'output']);
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('modelopsInfra.copyOutput', { component: 'workspace', name: 'scheduler_address', secret: false });
    assert.equal(await vscode.env.clipboard.readText(), row('scheduler_address').description, 'Copy Value puts the value on the clipboard');
    // Show Stack State: a read-only JSON view of what the stack holds, secrets masked.
    await vscode.commands.executeCommand('modelopsInfra.showState', 'storage');
    const editor = await waitFor('the state document', async () => (vscode.window.activeTextEditor?.document.uri.scheme === 'modelops-state' ? vscode.window.activeTextEditor : undefined), 60_000);
    const state = JSON.parse(editor.document.getText()) as { stack: string; resources: unknown[]; outputs: Record<string, unknown> };
    assert.equal(state.stack, 'modelops-storage-inhost');
    assert.ok(state.resources.length >= 5, 'the storage account and its containers');
    assert.equal(state.outputs.connection_string, '[secret]');
    for (const secret of secretValues()) assert.ok(!editor.document.getText().includes(secret), 'no secret value in the state view');
    assert.equal(editor.document.languageId, 'json');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.deepEqual(await diagnostics(), [], 'nothing to say about a converged environment');
    assert.equal((await inspect()).context['modelopsInfra.running'], false);
    assert.equal((await inspect()).context['modelopsInfra.deployed'], true, 'the walkthrough\'s "Run Up" step is done');
  });

  it('the Environments view lists the environment with how ready it is; a click switches the Components view to another', async () => {
    const environments = async () => {
      await vscode.commands.executeCommand('modelopsInfra.refreshEnvironments');
      return (await inspect()).environments;
    };
    const before = await environments();
    assert.deepEqual(before.map((e) => [e.label, e.description, e.icon, e.contextValue]), [['inhost', '4/4 ready · current', 'pass', 'environment;current']]);
    await vscode.commands.executeCommand('modelopsInfra.switchEnvironment', 'staging');
    try {
      await waitFor('the Components view on staging', async () => {
        const r = await rows();
        return COMPONENTS.every((c) => statusOf(r[c]) === 'absent') && r;
      });
      const after = await waitFor('staging current', async () => {
        const envs = await environments();
        return envs.some((e) => e.label === 'staging' && e.contextValue === 'environment;current') && envs;
      });
      assert.deepEqual(after.map((e) => [e.label, e.description]), [['inhost', '4/4 ready'], ['staging', 'nothing created · current']]);
    } finally {
      await vscode.workspace.getConfiguration('modelopsInfra').update('environment', undefined, vscode.ConfigurationTarget.Workspace);
      await waitForStatuses(Object.fromEntries(COMPONENTS.map((c) => [c, 'ready'])));
    }
  });

  // VS Code's tree takes focus back at the end of a refresh while it believes it has focus, and
  // learns of a blur one task late: a repaint landing just after the palette opened from the tree
  // closes the palette (src/vscode/tree/shown.ts). Re-reads that find nothing new send nothing.
  it('a status re-read that finds nothing new repaints no row, in either view', async () => {
    const settle = async () => {
      await vscode.commands.executeCommand('modelopsInfra.refresh');
      await vscode.commands.executeCommand('modelopsInfra.refreshEnvironments');
    };
    await settle();
    const before = (await inspect()).repaints;
    await settle();
    await settle();
    assert.deepEqual((await inspect()).repaints, before);
  });

  it('an omitted kubeconfig: the cluster reads outputs-missing, its dependents blocked, with diagnostics at the right lines and quick fixes by code', async () => {
    const doc = await setConfig(`${original.trimEnd()}\nlocal:\n  faults:\n    cluster:\n      omit_outputs: [kubeconfig]\n`);
    await vscode.window.showTextDocument(doc);
    // Up leaves a ready cluster alone (a fault is rehearsal, not a change of spec); Repair updates it.
    await vscode.commands.executeCommand('modelopsInfra.repair', 'cluster');
    const r = await waitFor('the cluster to read outputs-missing', async () => {
      const found = await rows();
      return statusOf(found.cluster) === 'outputs-missing' && !capabilities(found.cluster).includes('running') && found;
    });
    assert.match(r.cluster.contextValue!, /\bcanRepair\b/);
    assert.equal(r.cluster.icon, 'warning');
    assert.match(r.cluster.description ?? '', /kubeconfig/);
    assert.ok(['blocked', 'outputs-missing'].includes(statusOf(r.workspace)!), `workspace: ${r.workspace.contextValue}`);

    const found = await waitFor('missing-output and fault-active diagnostics', async () => {
      const d = await diagnostics();
      return d.some((x) => codeOf(x) === 'missing-output') && d.some((x) => codeOf(x) === 'fault-active') && d;
    });
    const missing = found.filter((d) => codeOf(d) === 'missing-output');
    const faultLine = doc.getText().split('\n').indexOf('    cluster:');
    // A local config without `aks:` keeps the cluster under `provider:`.
    const onCluster = missing.find((d) => d.range.start.line === lineOf(doc, 'provider:'));
    assert.ok(onCluster, `a missing-output error on the provider line among: ${missing.map((d) => `${d.range.start.line}: ${d.message}`).join(' | ')}`);
    assert.equal(onCluster.severity, vscode.DiagnosticSeverity.Error);
    assert.match(onCluster.message, /kubeconfig/);
    assert.match(onCluster.message, /local\.faults\.cluster/, 'the advice names the fault, not a repair that would fail');
    const fault = found.find((d) => codeOf(d) === 'fault-active')!;
    assert.equal(fault.range.start.line, faultLine, "the fault's warning sits on its line under local.faults");
    assert.equal(fault.severity, vscode.DiagnosticSeverity.Warning);
    const related = (onCluster.relatedInformation ?? []).map((ri) => [ri.location.uri.toString(), ri.location.range.start.line, ri.message]);
    assert.deepEqual(related.find(([, , m]) => /fault/.test(String(m))), [doc.uri.toString(), faultLine, 'the fault that omits kubeconfig']);
    assert.ok(related.some(([, line, m]) => /workspace reads cluster\.kubeconfig/.test(String(m)) && line === lineOf(doc, 'workspace:')), JSON.stringify(related));
    const onReader = found.find((d) => codeOf(d) === 'missing-dependency-output' && d.range.start.line === lineOf(doc, 'workspace:'));
    assert.ok(onReader, 'the reading section (workspace) says what it cannot start without');
    const onReaderFixes = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, onReader.range)) ?? [];
    assert.equal(onReaderFixes[0]?.title, 'Remove the fault on cluster', `on workspace: ${onReaderFixes.map((a) => a.title).join(' | ')}`);

    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, fault.range)) ?? [];
    const removeFault = actions.find((a) => a.edit && /fault/i.test(a.title));
    assert.ok(removeFault, `a Remove fault action among: ${actions.map((a) => a.title).join(' | ')}`);
    const onMissing = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, onCluster.range)) ?? [];
    assert.ok(onMissing.some((a) => a.command?.command === 'modelopsInfra.repair' || a.edit), `fixes for missing-output: ${onMissing.map((a) => a.title).join(' | ')}`);

    assert.ok(await vscode.workspace.applyEdit(removeFault.edit!));
    assert.doesNotMatch(doc.getText(), /omit_outputs/);
    await doc.save();
    await waitFor('the fault diagnostic to go', async () => !(await diagnostics()).some((d) => codeOf(d) === 'fault-active'));
  });

  it('Repair brings the cluster back, and no secret ever reached the log, a row, a description or a tooltip', async () => {
    await vscode.commands.executeCommand('modelopsInfra.repair', 'cluster');
    await waitForStatuses(Object.fromEntries(COMPONENTS.map((c) => [c, 'ready'])));
    const secrets = secretValues();
    assert.ok(secrets.length > 0, 'the stacks hold secrets to look for');
    const log = logText();
    assert.match(log, /activated/, 'the log file was found and holds the session');
    assert.match(log, /\bup\b/i);
    const texts = everyText((await inspect()).items).join('\n');
    for (const secret of secrets) {
      assert.ok(!log.includes(secret), 'a secret output value is in the log');
      assert.ok(!texts.includes(secret), 'a secret output value is in the tree');
    }
  });

  it('a storage account replaced from a terminal: the workspace and the run read stale (row, status bar, Problems with Up), and Up makes them ready', async () => {
    const doc = await setConfig(original.replace('storage: {}', 'storage: { account_name: inhostrenamed }'));
    await vscode.window.showTextDocument(doc);
    // A teammate's terminal, with consent to replace what holds data: the shared CLI, not this window.
    const cli = join(extension().extensionPath, 'bin', 'mops-infra.js');
    const replaced = await run(process.env.MOPS_NODE ?? 'node', [cli, 'up', 'storage', '--allow-replace', '--config', configUri().fsPath], { env: process.env, timeout: 240_000 }).catch((e: { stdout?: string; stderr?: string }) => e);
    assert.ok(!('code' in replaced) || !replaced.code, `up storage: ${replaced.stdout}${replaced.stderr}`);

    await vscode.commands.executeCommand('modelopsInfra.refresh');
    const r = await waitForStatuses({ cluster: 'ready', storage: 'ready', workspace: 'stale', 'adaptive-default': 'stale' });
    assert.equal(r.workspace.icon, 'history');
    assert.equal(r.workspace.iconColor, 'list.warningForeground');
    assert.match(r.workspace.description ?? '', /reads connection_string, account_name from storage, changed since its last up/);
    const stale = await waitFor('the component-stale diagnostics', async () => {
      const d = (await diagnostics()).filter((x) => codeOf(x) === 'component-stale');
      return d.length === 2 && d;
    });
    const onWorkspace = stale.find((d) => d.range.start.line === lineOf(doc, 'workspace:'))!;
    assert.ok(onWorkspace, stale.map((d) => `${d.range.start.line}: ${d.message}`).join(' | '));
    assert.equal(onWorkspace.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual((onWorkspace.relatedInformation ?? []).map((ri) => [ri.location.range.start.line, ri.message]), [[lineOf(doc, 'storage:'), "storage's connection_string, account_name changed since workspace read them"]]);
    const fixes = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, onWorkspace.range)) ?? [];
    assert.equal(fixes[0]?.command?.command, 'modelopsInfra.upComponent', fixes.map((a) => a.title).join(' | '));
    assert.equal(fixes[0]?.title, 'Up workspace');

    await vscode.commands.executeCommand('modelopsInfra.up');
    await waitForStatuses(Object.fromEntries(COMPONENTS.map((c) => [c, 'ready'])));
    await waitFor('the stale diagnostics to go', async () => !(await diagnostics()).some((d) => codeOf(d) === 'component-stale'));
    assert.match(logText(), /re-applied workspace: storage's connection_string, account_name changed/);
  });

  it('a cancel Pulumi does not honour: the row offers Force Stop, which ends the run; storage reads interrupted, and Repair makes it ready', async () => {
    const settings = () => vscode.workspace.getConfiguration('modelopsInfra');
    const cli = join(extension().extensionPath, 'bin', 'mops-infra.js');
    await settings().update('environment', 'forcestop', vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('the Components view on forcestop', async () => statusOf((await rows()).storage) === 'absent');
      // Ten minutes per resource: Pulumi's graceful cancel waits for the step in flight.
      await setConfig(`${original.trimEnd()}\nlocal:\n  faults:\n    storage:\n      step_delay_ms: 600000\n`);
      const logged = logText().length;
      const up = vscode.commands.executeCommand('modelopsInfra.upComponent', 'storage');
      await waitFor('storage being created', async () => /\[storage\] .*dynamic.*creating/.test(logText().slice(logged)), 120_000);
      await vscode.commands.executeCommand('modelopsInfra.cancel', 'storage');
      const cancelling = await waitFor('the row to offer Force Stop', async () => {
        const row = (await rows()).storage;
        return capabilities(row).includes('canForceStop') && row;
      });
      assert.ok(!capabilities(cancelling).includes('canCancel'), cancelling.contextValue);
      assert.equal((await inspect()).context['modelopsInfra.cancelling'], true);
      await sleep(5000);
      assert.equal((await inspect()).context['modelopsInfra.running'], true, 'the graceful cancel waits for the blocked step');

      const forcedAt = Date.now();
      await vscode.commands.executeCommand('modelopsInfra.forceStop', 'storage');
      await up;
      assert.ok(Date.now() - forcedAt < 60_000, `Force Stop ends the run at once (took ${Date.now() - forcedAt} ms)`);
      assert.match(logText().slice(logged), /force-stopping up storage: the state may record pending operations, and the component reads interrupted; the next repair, up or reconcile settles them/);
      const interrupted = await waitFor('storage to read interrupted', async () => {
        const row = (await rows()).storage;
        return statusOf(row) === 'interrupted' && !capabilities(row).includes('running') && row;
      });
      assert.match(interrupted.contextValue!, /\bcanRepair\b/);
      assert.equal((await inspect()).context['modelopsInfra.cancelling'], false);

      await setConfig(original);
      await vscode.commands.executeCommand('modelopsInfra.repair', 'storage');
      await waitFor('storage ready after Repair', async () => statusOf((await rows()).storage) === 'ready');
    } finally {
      // A failed check must not leave the blocked run behind it (a cancel first: Force Stop then asks nothing).
      if ((await inspect()).context['modelopsInfra.running']) {
        await vscode.commands.executeCommand('modelopsInfra.cancel', 'storage');
        await vscode.commands.executeCommand('modelopsInfra.forceStop', 'storage');
        await waitFor('the run to end', async () => !(await inspect()).context['modelopsInfra.running'], 60_000);
      }
      await setConfig(original);
      await run(process.env.MOPS_NODE ?? 'node', [cli, 'down', '--all', '--yes', '--env', 'forcestop', '--config', configUri().fsPath], { env: process.env, timeout: 240_000 }).catch(() => undefined);
      await settings().update('environment', undefined, vscode.ConfigurationTarget.Workspace);
      await waitForStatuses(Object.fromEntries(COMPONENTS.map((c) => [c, 'ready'])));
    }
  });
});
