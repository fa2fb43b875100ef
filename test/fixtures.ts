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

/** A 2048-bit RSA public key, the only kind AKS accepts (made with node:crypto; its private half was thrown away). */
export const RSA_SSH_KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCrYjun6Sr9rTB99//xM9wEgHpAbI2EiEQCrP32S4wt0s/cLYJpnf5cPohEEoq1yELSahV/ZvP6ljh9Z/ohdmYsIh2gUe8uQOQDVCgxbzSu16VBPsuMejWBD7waAbnfmvV60zIGC9DOnqbiZ0G8fkrgH4swUa0dMGvWRuu1kMChf97kl5q74ywzJzVfzcKU+nF8T5eWV6ZDkjQF0Zj/ZyPiv8FI1cZpYGxGW4PPgI/LQMowrjHmoE9JE45vuQTTNBWg6hteZTnRr015HHSwQA1cMRwFLWeCEyt6+dH1TFqvfxcOalu8Mk+gwgYl/FhJMbeAYbZWHoFrjyk1uxOmgr7B alice@host';
/** 1024 bits: refused by AKS. */
export const SHORT_RSA_SSH_KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC09DcxZN7WQ2AI+28RB19oRqSS3ls7JjuInCaL5AHkRHqRyLxxnsu/OwsuuXp3SoQn0RRXjhCNI2Y/rtKJavOnld2M/dEsqZhkOF40/ZPDpItazEMg2Stgq2idA+x7yMhvYFzVfRNnE8wluugsxIChr+c0wc6FBAYDFTCFRkTgMw== old@host';
/** What `ssh-keygen -t ed25519` writes: refused by AKS. */
export const ED25519_SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG0PqQ8n6Xb8Yk1Qo3Z4m2Q1q0Fh8bJq3S3mJ0Vf0x1d alice@host';
