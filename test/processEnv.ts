/**
 * Runs `fn` with these variables set (undefined: unset) in the test process's own environment, then
 * puts every variable back as it was. Assigning a copy to process.env instead would leave the
 * changes in the real environment, where os.tmpdir() and os.homedir() still read them.
 */
export async function withProcessEnv<T>(vars: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return await fn();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}
