/** Kubernetes resource quantities, as config checks and programs read them. */

/** CPU: cores (`2`, `0.5`) or millicores (`500m`), as cores; undefined when it is not one. */
export function cpuCores(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?|\.\d+)(m?)$/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) / (match[2] ? 1000 : 1);
}

const MEMORY_UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** Memory (`512Mi`, `4Gi`, `1.5G`, `1000000`), in bytes; undefined when it is not one. */
export function memoryBytesOf(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(value.trim());
  return match ? Number(match[1]) * MEMORY_UNITS[match[2] ?? ''] : undefined;
}
