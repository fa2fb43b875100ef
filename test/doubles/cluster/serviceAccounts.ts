/** The serviceaccount and root-ca-cert-publisher controllers. */
import type { Ctx } from './context';
import { at, CORE } from './kube';
import { deleting } from './objects';

export async function serviceAccounts(c: Ctx, ca: string): Promise<void> {
  const has = (type: string, ns: string, name: string): boolean =>
    c.snap.items.some((i) => i.type.groupVersion === 'v1' && i.type.resource === type && i.meta.namespace === ns && i.meta.name === name);
  for (const ns of c.snap.namespaces.filter((n) => !deleting(n))) {
    const namespace = ns.metadata.name;
    if (!has('serviceaccounts', namespace, 'default')) await c.kube.write('kube-controller-manager', 'POST', at(CORE, 'serviceaccounts', { namespace }), { metadata: { name: 'default' } });
    if (!has('configmaps', namespace, 'kube-root-ca.crt')) await c.kube.write('kube-controller-manager', 'POST', at(CORE, 'configmaps', { namespace }), rootCa(ca));
  }
}

function rootCa(ca: string): unknown {
  const description =
    'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';
  return { metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': description } }, data: { 'ca.crt': ca } };
}
