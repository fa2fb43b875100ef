/** Test fixtures shared by the suites. */

export const lines = (...text: string[]): string => `${text.join('\n')}\n`;

/** The original flat provider file, `examples/providers/azure.yaml`. */
export const ORIGINAL_EXAMPLE = lines(
  '# Azure provider configuration for ModelOps',
  'provider: azure',
  'subscription_id: "12345678-90ab-cdef-1234-567890abcdef"',
  'location: eastus2',
  'resource_group: modelops-rg',
  'username: alice',
  '',
  'aks:',
  '  name: modelops-cluster',
  '  kubernetes_version: "1.32"',
  '  node_pools:',
  '    - name: system',
  '      vm_size: Standard_B2s',
  '      mode: System',
  '      count: 1',
  '    - name: cpu',
  '      vm_size: Standard_D4s_v3',
  '      mode: User',
  '      min: 1',
  '      max: 5',
  '      labels:',
  '        modelops.io/role: cpu',
  '      taints:',
  '        - "modelops.io/role=cpu:NoSchedule"',
  '',
  'acr:',
  '  name: modelopsacr',
  '  sku: Standard',
  '',
  'ssh:',
  '  public_key_path: ~/.ssh/id_rsa.pub',
);
