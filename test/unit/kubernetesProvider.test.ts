/** `provider: kubernetes`: its config rules, its components, and how the kubeconfig and connection string are read. */
import { strict as assert } from 'node:assert';
import { componentsFor } from '../../src/core/components';
import { parseConfig } from '../../src/core/config/parse';
import { storageAccountOf } from '../../src/core/connectionString';
import { KubeconfigError, kubeconfigFiles, selectCluster } from '../../src/core/kubeconfig';
import { specOf } from '../../src/core/spec';
import { parse } from 'yaml';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;
const IMAGES = ['    scheduler: { image: "ghcr.io/example/dask:1" }', '    workers: { image: "ghcr.io/example/dask:1" }'];
const FILE = lines(
  'provider: kubernetes',
  'environment: test',
  'kubernetes:',
  '  kubeconfig: ~/clusters/kind.yaml',
  '  context: kind-modelops',
  '  ready_timeout: 2m',
  'storage:',
  '  connection_string_env: MODELOPS_STORAGE_CONNECTION_STRING',
  'workspace:',
  '  kind: Workspace',
  '  metadata: { name: suite }',
  '  spec:',
  ...IMAGES,
  'adaptive:',
  '  calib: { algorithm: optuna, workers: { image: "ghcr.io/example/adaptive:1" } }',
);

const problemsOf = (text: string) => parseConfig(text, '/work/azure.yaml').problems.map((p) => ({ code: p.code, severity: p.severity, line: p.range.start.line, message: p.message }));

describe('provider: kubernetes', () => {
  describe('azure.yaml', () => {
    it('reads the cluster, the wait and the storage account without a problem', () => {
      const parsed = parseConfig(FILE, '/work/azure.yaml');
      assert.deepEqual(parsed.problems, []);
      assert.deepEqual(parsed.config!.kubernetes, { kubeconfig: '~/clusters/kind.yaml', context: 'kind-modelops', readyTimeoutSeconds: 120 });
      assert.equal(parsed.config!.storage!.connectionStringEnv, 'MODELOPS_STORAGE_CONNECTION_STRING');
    });

    it('needs no kubernetes section (KUBECONFIG, then ~/.kube/config) and no storage', () => {
      const parsed = parseConfig(lines('provider: kubernetes', 'workspace:', '  kind: Workspace', '  metadata: { name: w }', '  spec:', ...IMAGES), '/w/azure.yaml');
      assert.deepEqual(parsed.problems, []);
      assert.deepEqual(componentsFor(parsed.config!, 'dev').map((c) => c.name), ['cluster', 'workspace']);
    });

    it('says at its line what the Azure sections do here: nothing', () => {
      const text = lines('provider: kubernetes', 'resource_group: rg', 'aks: { name: c }', 'registry: {}', 'subscription_id: "12345678-90ab-cdef-1234-567890abcdef"');
      const found = problemsOf(text).filter((p) => p.code === 'unused-key');
      assert.deepEqual(found.map((p) => p.line), [2, 3, 4, 5]);
      assert.ok(found.every((p) => p.severity === 'warning' && p.message.includes('ignored with `provider: kubernetes`')));
    });

    it('asks storage for an account to use, and refuses what is not one', () => {
      assert.deepEqual(problemsOf(lines('provider: kubernetes', 'storage: {}')).map((p) => [p.code, p.line]), [['missing-required', 2]]);
      const bad = problemsOf(lines('provider: kubernetes', 'storage:', '  connection_string: "hello"'));
      assert.deepEqual(bad.map((p) => [p.code, p.line]), [['invalid-connection-string', 3]]);
      const env = problemsOf(lines('provider: kubernetes', 'storage:', '  connection_string_env: "1 NOT A NAME"'));
      assert.deepEqual(env.map((p) => [p.code, p.line]), [['invalid-env-name', 3]]);
    });

    it('warns of a real account key written in the file, not of Azurite development storage', () => {
      const real = problemsOf(lines('provider: kubernetes', 'storage:', '  connection_string: "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net"'));
      assert.deepEqual(real.map((p) => [p.code, p.severity, p.line]), [['secret-in-config', 'warning', 3]]);
      assert.ok(!real[0].message.includes('c2VjcmV0'), 'the warning never repeats the key');
      assert.deepEqual(problemsOf(lines('provider: kubernetes', 'storage:', '  connection_string: "UseDevelopmentStorage=true"')), []);
    });

    it('refuses a wait it cannot read, at its line', () => {
      for (const value of ['soon', '5s', '-1']) {
        const found = problemsOf(lines('provider: kubernetes', 'kubernetes:', `  ready_timeout: ${value}`));
        assert.equal(found.length, 1, value);
        assert.equal(found[0].line, 3);
      }
      assert.equal(parseConfig(lines('provider: kubernetes', 'kubernetes: { ready_timeout: 90 }'), '/a.yaml').config!.kubernetes!.readyTimeoutSeconds, 90);
    });

    it('ignores a kubeconfig given with provider: azure, and says so', () => {
      const found = problemsOf(lines('provider: azure', 'subscription_id: "12345678-90ab-cdef-1234-567890abcdef"', 'aks: { name: c }', 'kubernetes: { context: kind, ready_timeout: 20m }'));
      assert.deepEqual(found.filter((p) => p.code === 'unused-key').map((p) => p.message.slice(0, 30)), ['`kubernetes.context` is ignore']);
    });
  });

  describe('components', () => {
    it('are the cluster you have, storage, the workspace and the runs — no resource group or registry', () => {
      const components = componentsFor(parseConfig(FILE, '/work/azure.yaml').config!, 'test');
      assert.deepEqual(components.map((c) => c.name), ['cluster', 'storage', 'workspace', 'adaptive-calib']);
      const byName = new Map(components.map((c) => [c.name, c]));
      assert.deepEqual(byName.get('cluster')!.requiredOutputs, [{ name: 'kubeconfig', secret: true }, { name: 'cluster_name', secret: false }, { name: 'server', secret: false }]);
      assert.deepEqual(byName.get('cluster')!.configPath, ['kubernetes']);
      assert.deepEqual(byName.get('storage')!.requiredOutputs.map((o) => o.name), ['account_name', 'connection_string', 'primary_endpoint']);
      assert.equal(byName.get('cluster')!.stack, 'modelops-infra-test');
    });

    it('say that destroying storage loses nothing (the account is yours), and the run still holds its database', () => {
      const held = new Map(componentsFor(parseConfig(FILE, '/work/azure.yaml').config!, 'test').map((c) => [c.name, c.holdsData]));
      assert.equal(held.get('storage'), undefined);
      assert.equal(held.get('cluster'), undefined);
      assert.match(held.get('adaptive-calib') ?? '', /study database/);
    });

    it('have a spec that changes with the cluster chosen, not with how long up waits', () => {
      const specs = (text: string) => {
        const config = parseConfig(text, '/work/azure.yaml').config!;
        return componentsFor(config, 'test').map((c) => JSON.stringify(specOf(config, c, 'test')));
      };
      const base = specs(FILE);
      assert.deepEqual(specs(FILE.replace('ready_timeout: 2m', 'ready_timeout: 30m')), base);
      const moved = specs(FILE.replace('context: kind-modelops', 'context: kind-other'));
      assert.deepEqual(moved.map((spec, i) => spec !== base[i]), [true, false, false, false], 'only the cluster reads the context');
    });

    it('never record a connection string written in azure.yaml in the spec (kept in plain stack config)', () => {
      const secret = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net';
      const config = parseConfig(lines('provider: kubernetes', 'storage:', `  connection_string: "${secret}"`), '/a.yaml').config!;
      const storage = componentsFor(config, 'dev').find((c) => c.name === 'storage')!;
      const spec = JSON.stringify(specOf(config, storage, 'dev'));
      assert.ok(!spec.includes('c2VjcmV0'), spec);
      assert.match(spec, /"connectionString":"sha256:[0-9a-f]{16}"/);
    });
  });

  describe('connection strings', () => {
    it('name the account and its blob endpoint', () => {
      assert.deepEqual(storageAccountOf('DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=k;EndpointSuffix=core.windows.net'), { accountName: 'acct', blobEndpoint: 'https://acct.blob.core.windows.net', holdsSecret: true });
      assert.deepEqual(storageAccountOf('UseDevelopmentStorage=true'), { accountName: 'devstoreaccount1', blobEndpoint: 'http://127.0.0.1:10000/devstoreaccount1', holdsSecret: false });
      const azurite = storageAccountOf('DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:41234/devstoreaccount1;');
      assert.deepEqual(azurite, { accountName: 'devstoreaccount1', blobEndpoint: 'http://127.0.0.1:41234/devstoreaccount1', holdsSecret: false });
      assert.deepEqual(storageAccountOf('BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=1'), { accountName: 'acct', blobEndpoint: 'https://acct.blob.core.windows.net', holdsSecret: true });
      assert.ok('problem' in storageAccountOf('AccountName=acct'));
      assert.ok('problem' in storageAccountOf('nonsense'));
    });
  });

  describe('the kubeconfig', () => {
    const files: Record<string, string> = {
      '/home/u/clusters/kind.yaml': lines(
        'apiVersion: v1',
        'kind: Config',
        'current-context: other',
        'clusters:',
        '- name: kind',
        '  cluster: { server: "https://127.0.0.1:6443", certificate-authority: ca.crt }',
        '- name: far',
        '  cluster: { server: "https://far:6443" }',
        'users:',
        '- name: admin',
        '  user: { client-certificate: /pki/admin.crt, client-key-data: S0VZ }',
        '- name: robot',
        '  user: { tokenFile: token }',
        'contexts:',
        '- name: kind-modelops',
        '  context: { cluster: kind, user: admin, namespace: science }',
        '- name: other',
        '  context: { cluster: far, user: robot }',
      ),
      '/home/u/clusters/ca.crt': 'CA PEM',
      '/home/u/clusters/token': 'tok-123\n',
      '/pki/admin.crt': 'CERT PEM',
    };
    const read = (path: string) => files[path];
    const choice = { configDir: '/work', env: {}, home: '/home/u' };

    it('is looked for in kubernetes.kubeconfig, else every KUBECONFIG entry, else ~/.kube/config', () => {
      assert.deepEqual(kubeconfigFiles({ ...choice, configured: 'k/config' }), ['/work/k/config']);
      assert.deepEqual(kubeconfigFiles({ ...choice, configured: '~/c.yaml', env: { KUBECONFIG: '/x' } }), ['/home/u/c.yaml']);
      assert.deepEqual(kubeconfigFiles({ ...choice, env: { KUBECONFIG: '/a:~/b:' } }), ['/a', '/home/u/b']);
      assert.deepEqual(kubeconfigFiles(choice), ['/home/u/.kube/config']);
    });

    it('gives one context, self-contained: the files it names are read in', () => {
      const access = selectCluster({ ...choice, configured: '~/clusters/kind.yaml', context: 'kind-modelops' }, read);
      assert.deepEqual({ ...access, kubeconfig: undefined }, { kubeconfig: undefined, file: '/home/u/clusters/kind.yaml', context: 'kind-modelops', clusterName: 'kind', server: 'https://127.0.0.1:6443' });
      const doc = parse(access.kubeconfig);
      assert.equal(doc['current-context'], 'kind-modelops');
      assert.deepEqual(doc.clusters, [{ name: 'kind', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from('CA PEM').toString('base64') } }]);
      assert.deepEqual(doc.users, [{ name: 'admin', user: { 'client-key-data': 'S0VZ', 'client-certificate-data': Buffer.from('CERT PEM').toString('base64') } }]);
      assert.deepEqual(doc.contexts, [{ name: 'kind-modelops', context: { cluster: 'kind', user: 'admin', namespace: 'science' } }]);
    });

    it('takes the current-context by default, with a token file read in', () => {
      const doc = parse(selectCluster({ ...choice, env: { KUBECONFIG: '/home/u/clusters/kind.yaml' } }, read).kubeconfig);
      assert.deepEqual(doc.users, [{ name: 'robot', user: { token: 'tok-123' } }]);
      assert.deepEqual(doc.clusters.map((c: { name: string }) => c.name), ['far']);
    });

    it('says which file, which context and what to do when it cannot', () => {
      const fails = (c: Parameters<typeof selectCluster>[0], pattern: RegExp) => assert.throws(() => selectCluster(c, read), (e: Error) => e instanceof KubeconfigError && pattern.test(e.message));
      fails(choice, /no kubeconfig at \/home\/u\/\.kube\/config .*kubernetes\.kubeconfig/);
      fails({ ...choice, configured: '/home/u/clusters/kind.yaml', context: 'kind-other' }, /no context "kind-other" in \/home\/u\/clusters\/kind\.yaml; its contexts: kind-modelops, other/);
      files['/broken.yaml'] = 'clusters: [';
      fails({ ...choice, configured: '/broken.yaml' }, /\/broken\.yaml is not valid YAML/);
      files['/nocur.yaml'] = 'contexts: []\n';
      fails({ ...choice, configured: '/nocur.yaml' }, /has no current-context/);
      files['/lost.yaml'] = lines('current-context: c', 'contexts: [{ name: c, context: { cluster: k } }]', 'clusters: [{ name: k, cluster: { server: "https://k", certificate-authority: gone.crt } }]');
      fails({ ...choice, configured: '/lost.yaml' }, /refers to \/gone\.crt, which cannot be read/);
    });
  });
});
