/** Every problem code the config parser can report, with what it means. Docs and quick fixes key on these. */
export const CONFIG_PROBLEM_CODES = {
  // The file as a whole
  'file-too-large': 'The file is larger than the 2 MB limit and was not parsed.',
  'empty-config': 'The file has no content; the smallest valid file is `provider: local`.',
  'not-a-mapping': 'The document is not a mapping of `key: value` pairs.',
  'multiple-documents': 'The file holds more than one YAML document (`---`); only the first is read.',
  'too-many-problems': 'More than 1,000 problems; the rest are not listed.',
  'not-utf8': 'The file is not UTF-8 text (UTF-16, another encoding, or binary data).',
  'yaml-syntax': 'The text is not valid YAML at this position.',
  'yaml-tab-indent': 'A line is indented with a tab; YAML allows only spaces.',
  'yaml-alias-limit': 'Aliases expand beyond the limit (a "billion laughs" pattern); the file was not read.',
  'yaml-too-deep': 'Collections are nested deeper than the limit; the file was not read.',
  'yaml-unknown-tag': 'A YAML tag (`!something`) is not understood; the value is read as plain text.',
  'duplicate-key': 'The same key appears twice in one mapping.',
  'non-string-key': 'A mapping key is not plain text (a list, a mapping or null).',
  // Shapes
  'wrong-type': 'A value has the wrong type (e.g. text where a number or a list is expected).',
  'unknown-key': 'A key that is not read at this level (often a typo).',
  'unused-key': 'A key the original system accepted but that has no effect here.',
  'derived-name': 'A name given here is not the Azure name: that one is derived per environment (and user), so environments never collide.',
  'missing-required': 'A required key is missing or empty.',
  'invalid-enum': 'A value is not one of the allowed choices.',
  'out-of-range': 'A number is outside its allowed range.',
  'invalid-version': 'A schema `version` other than 1.',
  // Top level
  'invalid-provider': '`provider` must be `azure` or `local`.',
  'missing-subscription-id': 'No `subscription_id`: the AZURE_SUBSCRIPTION_ID environment variable must be set instead.',
  'invalid-subscription-id': '`subscription_id` is not a GUID.',
  'placeholder-subscription-id': '`subscription_id` is still a placeholder (YOUR_SUBSCRIPTION_ID or the all-zero GUID).',
  'invalid-resource-group-name': '`resource_group` breaks Azure resource group naming rules.',
  'username-sanitised': '`username` has characters that are dropped when names are derived from it.',
  'invalid-location': '`location` does not look like an Azure region name (e.g. `eastus2`).',
  'invalid-environment-name': '`environment` is not a short lowercase DNS label.',
  'invalid-backend-url': '`pulumi.backend_url` has a scheme Pulumi does not support.',
  // Cluster
  'invalid-cluster-name': '`aks.name` is not a DNS-1123 label.',
  'invalid-kubernetes-version': '`aks.kubernetes_version` is not MAJOR.MINOR or MAJOR.MINOR.PATCH.',
  'no-system-pool': 'No node pool has `mode: System`; AKS needs at least one.',
  'pool-sizing': 'A node pool sets neither or both of `count` and `min`/`max`, or `min` exceeds `max`.',
  'invalid-pool-name': 'A node pool name breaks the AKS rule (≤ 12 lowercase letters/digits, starting with a letter).',
  'duplicate-pool-name': 'Two node pools have the same name.',
  'invalid-label-key': 'A node label key is not a valid Kubernetes label key.',
  'invalid-label-value': 'A node label value is not a valid Kubernetes label value.',
  'invalid-taint': 'A taint is not `key=value:Effect`, `key:Effect` or {key, value, effect} with a valid effect.',
  'invalid-cidr': '`aks.network.service_cidr` is not an IPv4 CIDR.',
  'invalid-ip-address': '`aks.network.dns_service_ip` is not an IPv4 address.',
  'dns-ip-outside-cidr': '`dns_service_ip` is not a usable address inside `service_cidr`.',
  'invalid-ssh-public-key': '`ssh.public_key` is not an OpenSSH public key.',
  // Registry, storage
  'invalid-acr-name': 'A container registry name is not 5–50 lowercase letters/digits.',
  'invalid-storage-account-name': '`storage.account_name` is not 3–24 lowercase letters/digits.',
  // Workspace, adaptive
  'invalid-namespace': 'A Kubernetes namespace is not a DNS-1123 label.',
  'invalid-run-name': 'An adaptive run name cannot make a valid stack and namespace name.',
  'invalid-quantity': 'A size or CPU amount is not a Kubernetes quantity (`10Gi`, `512Mi`, `2`, `500m`).',
  'limit-below-request': 'A resource limit is below its request; Kubernetes refuses such a pod.',
  // Graph, local provider
  'unknown-component': 'A component name that is not defined by this file.',
} as const;

export type ConfigProblemCode = keyof typeof CONFIG_PROBLEM_CODES;
