/** The cluster's context merged into and pruned from a user's kubeconfig, leaving everything else as it was. */
import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
import { contextNames, kubeconfigTarget, mergeContext, pruneContext } from '../../src/core/kubeContext';

/** What AKS's listClusterUserCredentials returns for modelops-dev-aks-…, decoded (shape of `az aks get-credentials`). */
const AKS = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Q0EtTkVX
    server: https://modelops-dev-aks-jane-doe-1a2b3c4d-dns-00000000.hcp.eastus2.azmk8s.io:443
  name: modelops-dev-aks-jane-doe-1a2b3c4d
contexts:
- context:
    cluster: modelops-dev-aks-jane-doe-1a2b3c4d
    user: clusterUser_modelops-dev-rg-jane-doe_modelops-dev-aks-jane-doe-1a2b3c4d
  name: modelops-dev-aks-jane-doe-1a2b3c4d
current-context: modelops-dev-aks-jane-doe-1a2b3c4d
kind: Config
preferences: {}
users:
- name: clusterUser_modelops-dev-rg-jane-doe_modelops-dev-aks-jane-doe-1a2b3c4d
  user:
    token: new-token-not-secret
`;
const NAME = 'modelops-dev-aks-jane-doe-1a2b3c4d';
const USER = `clusterUser_modelops-dev-rg-jane-doe_${NAME}`;

/** A user's own kubeconfig: a kind cluster they use daily, comments, and a stale entry of ours from an earlier cluster. */
const MINE = `# my clusters
apiVersion: v1
kind: Config
clusters:
  - name: kind-dev # local
    cluster:
      server: https://127.0.0.1:6443
  - name: ${NAME}
    cluster:
      server: https://old-dns.hcp.eastus2.azmk8s.io:443
users:
  - name: kind-dev
    user:
      token: kind-token
  - name: ${USER}
    user:
      token: old-token
contexts:
  - name: kind-dev
    context: { cluster: kind-dev, user: kind-dev, namespace: work }
  - name: ${NAME}
    context: { cluster: ${NAME}, user: ${USER} }
current-context: kind-dev
`;

type Kubeconfig = { clusters: Array<{ name: string; cluster: { server: string } }>; users: Array<{ name: string; user: { token: string } }>; contexts: Array<{ name: string; context: Record<string, string> }>; 'current-context': string };
const read = (text: string): Kubeconfig => parse(text) as Kubeconfig;

describe("the cluster's context in the user's kubeconfig", () => {
  it('names the context, cluster and user the cluster kubeconfig selects', () => {
    assert.deepEqual(contextNames(AKS), { context: NAME, cluster: NAME, user: USER });
  });

  it('into no file: a kubeconfig of its own, the context selected', () => {
    const merged = read(mergeContext(undefined, AKS, '/home/jane/.kube/config'));
    assert.deepEqual([merged.clusters.map((c) => c.name), merged.users.map((u) => u.name), merged.contexts.map((c) => c.name), merged['current-context']], [[NAME], [USER], [NAME], NAME]);
  });

  it('into a file with the old entries of the same cluster: replaced in place (overwrite-existing), the others and the comments kept', () => {
    const text = mergeContext(MINE, AKS, '/home/jane/.kube/config');
    const merged = read(text);
    assert.deepEqual(merged.clusters.map((c) => [c.name, c.cluster.server]), [['kind-dev', 'https://127.0.0.1:6443'], [NAME, 'https://modelops-dev-aks-jane-doe-1a2b3c4d-dns-00000000.hcp.eastus2.azmk8s.io:443']]);
    assert.deepEqual(merged.users.map((u) => [u.name, u.user.token]), [['kind-dev', 'kind-token'], [USER, 'new-token-not-secret']]);
    assert.deepEqual(merged.contexts[0], { name: 'kind-dev', context: { cluster: 'kind-dev', user: 'kind-dev', namespace: 'work' } });
    assert.equal(merged['current-context'], NAME);
    assert.match(text, /^# my clusters\n/);
    assert.match(text, /name: kind-dev # local/);
  });

  it('into a file without them: appended after the user’s own entries', () => {
    const mine = mergeContext(MINE, AKS, 'f');
    const pruned = pruneContext(mine, contextNames(AKS), 'f')!;
    const merged = read(mergeContext(pruned.text, AKS, 'f'));
    assert.deepEqual(merged.contexts.map((c) => c.name), ['kind-dev', NAME]);
    assert.equal(merged['current-context'], NAME);
  });

  it('prunes the context, cluster and user after a cluster down, and a current-context naming it; nothing else', () => {
    const pruned = pruneContext(mergeContext(MINE, AKS, 'f'), contextNames(AKS), 'f');
    assert.ok(pruned);
    assert.deepEqual(pruned.removed, [`cluster ${NAME}`, `user ${USER}`, `context ${NAME}`, 'current-context']);
    const left = read(pruned.text);
    assert.deepEqual([left.clusters.map((c) => c.name), left.users.map((u) => u.name), left.contexts.map((c) => c.name), left['current-context']], [['kind-dev'], ['kind-dev'], ['kind-dev'], '']);
    assert.match(pruned.text, /name: kind-dev # local/);
  });

  it('a current-context of another cluster stays selected after a prune', () => {
    const pruned = pruneContext(MINE, contextNames(AKS), 'f')!;
    assert.equal(read(pruned.text)['current-context'], 'kind-dev');
    assert.ok(!pruned.removed.includes('current-context'));
  });

  it('a file without any of them is left alone', () => {
    const none = pruneContext(MINE, contextNames(AKS), 'f')!.text;
    assert.equal(pruneContext(none, contextNames(AKS), 'f'), undefined);
  });

  it('a file that is not YAML is refused, naming it, not overwritten', () => {
    assert.throws(() => mergeContext('clusters: [\n', AKS, '/home/jane/.kube/config'), /\/home\/jane\/\.kube\/config is not valid YAML/);
  });

  it('goes where kubectl puts a new context: the first KUBECONFIG file that exists, else its last; else ~/.kube/config', () => {
    const exists = (p: string) => p === '/b';
    assert.equal(kubeconfigTarget({ KUBECONFIG: '/a:/b:/c' }, '/home/jane', exists), '/b');
    assert.equal(kubeconfigTarget({ KUBECONFIG: '/a:/c' }, '/home/jane', exists), '/c');
    assert.equal(kubeconfigTarget({ KUBECONFIG: '/a' }, '/home/jane', exists), '/a');
    assert.equal(kubeconfigTarget({}, '/home/jane', exists), '/home/jane/.kube/config');
  });
});
