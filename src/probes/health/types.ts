/** Plain output values of every component that has a stack (secrets included: keep in memory only). */
export type OutputsByComponent = ReadonlyMap<string, Record<string, unknown>>;
