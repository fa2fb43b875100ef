/** What an output row offers, from its value. Pure. */

/** A plain output whose value is a web address (http/https), which Open can show in the browser. */
export function outputUrl(o: { secret: boolean; value?: unknown }): string | undefined {
  if (o.secret || typeof o.value !== 'string') return undefined;
  try {
    const url = new URL(o.value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** The output row's capabilities (its contextValue): copy what is there, open what is a web address. */
export function outputContextValue(o: { secret: boolean; present: boolean; empty: boolean; value?: unknown }): string {
  const caps = ['output'];
  if (o.secret) caps.push('secret');
  if (o.present && !o.empty) caps.push('canCopy');
  if (outputUrl(o)) caps.push('canOpen');
  return caps.sort().join(';');
}
