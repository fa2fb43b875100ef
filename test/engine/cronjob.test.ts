/**
 * The reconcile loop on a Kubernetes CronJob (examples/kubernetes/): its manifests accepted by a
 * real kube-apiserver (server-side dry run, strict field validation), and the job's exact command
 * run pod after pod from an empty home against Blob Storage (Azurite, the real Storage API), as
 * the kubelet runs it: each pod remembers the last one's attempts and stall, as one long-lived
 * loop would; its metrics file reads so through a parser of the text format, and its webhook
 * hears each transition once. SIGTERM (the kubelet's, at the deadline) ends a loop as Ctrl-C does.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { parseAllDocuments } from 'yaml';
import type { ReconcileDocument } from '../../src/core/protocol';
import { startApiServer, type ApiServer } from '../azure/apiserver';
import { Azurite } from '../azurite';
import { localConfig, parseEvents, REPO, Sandbox } from './harness';

const MANIFEST = resolve(REPO, 'examples', 'kubernetes', 'reconcile-cronjob.yaml');
const BIN = join(REPO, 'bin', 'mops-infra.js');

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };
type Container = { args: string[]; env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }>; volumeMounts: Array<{ name: string; mountPath: string }> };
type CronJob = Manifest & { spec: { concurrencyPolicy: string; jobTemplate: { spec: { backoffLimit: number; activeDeadlineSeconds: number; template: { spec: { containers: Container[]; volumes: Array<{ name: string; configMap?: { name: string } }> } } } } } };

const manifests = (): Manifest[] => parseAllDocuments(readFileSync(MANIFEST, 'utf8')).map((d) => d.toJS() as Manifest);
const cronJob = (): CronJob => manifests().find((m) => m.kind === 'CronJob') as CronJob;

/** Where each kind is created: its collection in a namespace. */
const COLLECTION: Record<string, string> = { ServiceAccount: '/api/v1/namespaces/NS/serviceaccounts', ConfigMap: '/api/v1/namespaces/NS/configmaps', Secret: '/api/v1/namespaces/NS/secrets', CronJob: '/apis/batch/v1/namespaces/NS/cronjobs' };

describe('the reconcile loop on a Kubernetes CronJob (examples/kubernetes/)', function () {
  this.timeout(600_000);

  it('the manifests are accepted by a real kube-apiserver (server-side dry run, strict field validation), and every Secret the job reads is among them', async () => {
    const api: ApiServer = await startApiServer();
    try {
      assert.equal((await api.call('POST', '/api/v1/namespaces', { metadata: { name: 'modelops' } })).status, 201);
      for (const m of manifests()) {
        const path = `${COLLECTION[m.kind]!.replace('NS', 'modelops')}?dryRun=All&fieldValidation=Strict`;
        const r = await api.call('POST', path, m);
        assert.equal(r.status, 201, `${m.kind} ${m.metadata.name}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      }
      // A misspelt field is refused: the check can fail.
      const job = cronJob();
      const wrong = await api.call('POST', `${COLLECTION.CronJob!.replace('NS', 'modelops')}?dryRun=All&fieldValidation=Strict`, { ...job, spec: { ...job.spec, concurrencyPolicyy: 'Forbid' } });
      assert.equal(wrong.status, 400, JSON.stringify(wrong.body));
      assert.equal((await api.call('GET', '/apis/batch/v1/namespaces/modelops/cronjobs')).status, 200);
      assert.deepEqual(((await api.call('GET', '/apis/batch/v1/namespaces/modelops/cronjobs')).body as { items: unknown[] }).items, [], 'a dry run creates nothing');
    } finally {
      await api.stop();
    }
    const { spec } = cronJob();
    assert.equal(spec.concurrencyPolicy, 'Forbid');
    assert.equal(spec.jobTemplate.spec.backoffLimit, 0);
    assert.ok(spec.jobTemplate.spec.activeDeadlineSeconds > 0);
    const secrets = new Map(manifests().filter((m) => m.kind === 'Secret').map((m) => [m.metadata.name, Object.keys(m.stringData as Record<string, string>)]));
    for (const e of spec.jobTemplate.spec.template.spec.containers[0]!.env) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref) assert.ok(secrets.get(ref.name)?.includes(ref.key), `${e.name}: Secret ${ref.name} has ${ref.key}`);
    }
  });

  describe("the job's exact command, pod after pod from an empty home, against Azurite", () => {
    let azurite: Azurite;
    let server: Server;
    let cloud: string;
    let work: string;
    const posts: Array<Record<string, unknown>> = [];
    let answers: number[] = [];

    before(async () => {
      azurite = await Azurite.start();
      await azurite.createContainer('cronjob');
      cloud = mkdtempSync(join(tmpdir(), 'mops-cronjob-cloud-'));
      work = mkdtempSync(join(tmpdir(), 'mops-cronjob-'));
      // The webhook: each post is kept; it answers from `answers` (then 200).
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          posts.push(JSON.parse(body) as Record<string, unknown>);
          res.writeHead(answers.shift() ?? 200).end();
        });
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    });
    after(async () => {
      server?.close();
      await azurite?.stop();
      rmSync(cloud, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    });

    /** The team's azure.yaml, as the ConfigMap holds it: the backend in the file, a fault on storage while `failing`. */
    const configMap = (failing: boolean, container = 'cronjob', root = cloud) =>
      localConfig(`local:\n  root: ${root}\n${failing ? '  faults:\n    storage:\n      fail_after_resources: 0\n' : ''}pulumi:\n  backend_url: ${azurite.backendUrl(container)}\n`);

    /** One pod: the container's args as the manifest has them, $(VAR) expanded from its env, the ConfigMap at /config, an empty home. */
    const pod = (failing: boolean, extra: string[] = [], blobContainer = 'cronjob', root = cloud): { args: string[]; env: NodeJS.ProcessEnv; box: Sandbox } => {
      const box = new Sandbox();
      const container = cronJob().spec.jobTemplate.spec.template.spec.containers[0]!;
      const configDir = join(box.dir, 'config');
      mkdirSync(configDir, { recursive: true });
      writeFileSync(join(configDir, 'azure.yaml'), configMap(failing, blobContainer, root));
      const vars: Record<string, string> = { MODELOPS_NOTIFY_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
      const args = container.args.map((a) => a.replace(/\$\((\w+)\)/g, (_, name: string) => vars[name] ?? '').replace(/^\/config\//, `${configDir}/`));
      const env = { ...box.env(azurite.env), ...vars, MODELOPS_HOME: join(box.dir, 'home') };
      return { args: [...args, ...extra], env, box };
    };

    /** Runs one pod's command as the manifest has it (`--json`: one document for its pass). */
    const run = (failing: boolean, extra: string[] = []): Promise<{ code: number; doc: ReconcileDocument; stderr: string }> => {
      const { args, env, box } = pod(failing, extra);
      const child = spawn(process.execPath, [BIN, ...args], { env, cwd: box.dir });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      return new Promise((done) =>
        child.on('close', (code) => {
          box.dispose();
          try {
            done({ code: code ?? -1, doc: JSON.parse(out) as ReconcileDocument, stderr: err });
          } catch {
            done({ code: code ?? -1, doc: { pass: 0, converged: false, conditions: [], drift: [], steps: [] }, stderr: `not JSON: ${out}\n${err}` });
          }
        }),
      );
    };
    const conditionOf = (doc: ReconcileDocument, component: string) => doc.conditions.find((c) => c.component === component);
    const storageSteps = (doc: ReconcileDocument) => doc.steps.filter((s) => s.component === 'storage' && s.action === 'up').length;

    it('pod 1 tries storage once and fails; pod 2, from another empty home, knows it was attempt 1, tries once more and stalls it; the webhook hears "stalled" once, after a 503 it retried', async () => {
      const metrics = join(work, 'modelops.prom');
      const first = await run(true, ['--max-attempts', '2', '--interval', '1', '--metrics-file', metrics]);
      assert.equal(first.code, 1, first.stderr);
      assert.equal(storageSteps(first.doc), 1);
      assert.deepEqual([conditionOf(first.doc, 'storage')?.condition, conditionOf(first.doc, 'storage')?.attempt], ['reconciling', 1]);
      assert.equal(posts.length, 0, 'nothing stalled yet: nothing to say');
      await new Promise((r) => setTimeout(r, 1500)); // the backoff after the first failure (1 s ±20 %)

      answers = [503];
      const second = await run(true, ['--max-attempts', '2', '--interval', '1', '--metrics-file', metrics]);
      assert.equal(second.code, 1, second.stderr);
      assert.equal(storageSteps(second.doc), 1, 'one more attempt: the budget spent by pod 1 counts');
      const stalled = conditionOf(second.doc, 'storage')!;
      assert.deepEqual([stalled.condition, stalled.reason, stalled.attempt], ['stalled', 'FailureBudgetSpent', 2]);
      assert.equal(posts.length, 2, `the 503 was retried: ${JSON.stringify(posts)}`);
      assert.deepEqual(posts.map((p) => [p.transition, p.component, p.reason]), [['stalled', 'storage', 'FailureBudgetSpent'], ['stalled', 'storage', 'FailureBudgetSpent']]);
      assert.match(String(posts[1]!.command), /^mops-infra /);

      const parsed = parsePrometheusTextFormat(readFileSync(metrics, 'utf8'));
      const sample = (name: string) => parsed.find((f) => f.name === `modelops_infra_${name}`)?.metrics.find((m) => m.labels?.component === 'storage');
      assert.deepEqual([sample('component_stalled')?.value, sample('component_stalled')?.labels?.reason], ['1', 'FailureBudgetSpent']);
      assert.equal(sample('component_ready')?.value, '0');
      assert.equal(sample('component_reconcile_attempt')?.value, '2');
      assert.ok(Number(sample('component_condition_seconds')?.value) >= 0);
    });

    it('pod 3 finds it stalled and leaves it alone, and says nothing new; with the fault gone, pod 4 heals it and the webhook hears "recovered"', async () => {
      posts.length = 0;
      const third = await run(true, ['--max-attempts', '2', '--interval', '1']);
      assert.equal(third.code, 1, third.stderr);
      assert.equal(storageSteps(third.doc), 0, 'a stall outlives the pod that reached it');
      assert.equal(conditionOf(third.doc, 'storage')?.condition, 'stalled');
      assert.equal(posts.length, 0, 'still stalled: said already');

      const fourth = await run(false, ['--max-attempts', '2', '--interval', '1']);
      assert.equal(fourth.code, 0, fourth.stderr);
      assert.equal(conditionOf(fourth.doc, 'storage')?.condition, 'ready');
      assert.deepEqual(posts.map((p) => [p.transition, p.component]), [['recovered', 'storage']]);
    });

    it('one long-lived loop with the same budget ends the same way: two attempts on storage, then stalled (FailureBudgetSpent, attempt 2)', async () => {
      await azurite.createContainer('loop');
      const root = mkdtempSync(join(tmpdir(), 'mops-cronjob-loop-'));
      const { args, env, box } = pod(true, ['--max-attempts', '2', '--interval', '1'], 'loop', root);
      const loop = spawn(process.execPath, [BIN, ...args.filter((a) => a !== '--once')], { env, cwd: box.dir });
      let out = '';
      loop.stdout.on('data', (c: Buffer) => (out += c.toString()));
      // One line per pass as it ends (then, once stopped, the run's whole document over several lines).
      const passes = () => out.split('\n').filter((l) => l.startsWith('{"pass"')).map((l) => JSON.parse(l) as ReconcileDocument);
      const exited = new Promise<number>((done) => loop.on('close', (code) => done(code ?? -1)));
      try {
        const deadline = Date.now() + 240_000;
        while (!passes().some((p) => conditionOf(p, 'storage')?.condition === 'stalled') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        loop.kill('SIGINT');
        await exited;
        const stalled = passes().map((p) => conditionOf(p, 'storage')).find((c) => c?.condition === 'stalled');
        assert.deepEqual([stalled?.reason, stalled?.attempt], ['FailureBudgetSpent', 2], out);
        assert.equal(passes().reduce((n, p) => n + storageSteps(p), 0), 2, 'two attempts, as the pods made');
        assert.equal(posts.filter((p) => p.transition === 'stalled').length, 1, 'the loop said it once');
      } finally {
        loop.kill('SIGKILL');
        box.dispose();
        rmSync(root, { recursive: true, force: true });
      }
    });

    it("SIGTERM, what the kubelet sends at the job's deadline, ends a loop as Ctrl-C does: cancelled gracefully, exit 130, one operation-done", async () => {
      const { args, env, box } = pod(false);
      const loop = spawn(process.execPath, [BIN, ...args.filter((a) => a !== '--once' && a !== '--json'), '--interval', '300', '--events'], { env, cwd: box.dir });
      let out = '';
      loop.stdout.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise<number>((done) => loop.on('close', (code) => done(code ?? -1)));
      try {
        const deadline = Date.now() + 240_000;
        while (!parseEvents(out).some((e) => e.type === 'pass' && e.phase === 'end') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        loop.kill('SIGTERM');
        assert.equal(await exited, 130);
        const done = parseEvents(out).filter((e) => e.type === 'operation-done');
        assert.deepEqual(done.map((e) => e.type === 'operation-done' && e.result), ['cancelled']);
      } finally {
        loop.kill('SIGKILL');
        box.dispose();
      }
    });
  });
});
