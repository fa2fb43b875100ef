/** A resource's name: the last part of its URN. */
export function resourceName(urn: string): string {
  return urn.slice(urn.lastIndexOf('::') + 2);
}
