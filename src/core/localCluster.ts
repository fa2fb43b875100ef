/** The local provider's stand-in for a cluster: a folder that its kubeconfig points at. */

/** A kubeconfig for the local cluster: its server URL is the cluster's folder. */
export function kubeconfigYaml(cluster: string, clusterDir: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `clusters:\n- name: ${cluster}\n  cluster:\n    server: local://${clusterDir}`,
    `users:\n- name: ${cluster}-admin\n  user:\n    token: ${token}`,
    `contexts:\n- name: ${cluster}\n  context:\n    cluster: ${cluster}\n    user: ${cluster}-admin`,
    `current-context: ${cluster}`,
    '',
  ].join('\n');
}

/** The cluster folder a local kubeconfig points at. */
export function clusterDirOf(kubeconfig: string): string {
  const m = /server: local:\/\/(.+)/.exec(kubeconfig);
  if (!m) throw new Error('kubeconfig does not point at a local cluster (server: local://…)');
  return m[1].trim();
}

