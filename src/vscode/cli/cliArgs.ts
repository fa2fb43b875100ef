/** Settings → CLI flags and child environment. Pure. */

export interface CliSettings {
  configFile: string;
  /** '' means: the file's `environment:`, else dev (the CLI decides). */
  environment: string;
  pulumiPath: string;
  backendUrl: string;
  retryAttempts?: number;
  retryDelayMs?: number;
}

/** Flags every verb shares (after the verb and its positionals). */
export function commonFlags(s: CliSettings): string[] {
  const flags = ['--config', s.configFile];
  if (s.environment) flags.push('--env', s.environment);
  if (s.pulumiPath) flags.push('--pulumi', s.pulumiPath);
  if (s.backendUrl) flags.push('--backend', s.backendUrl);
  if (s.retryAttempts !== undefined) flags.push('--retry-attempts', String(s.retryAttempts));
  if (s.retryDelayMs !== undefined) flags.push('--retry-delay-ms', String(s.retryDelayMs));
  return flags;
}

/** Flags settings add to the verbs that take them: `bundleEnv: false` leaves ~/.modelops/bundle-env alone on up and down, `kubeContext: false` the kubeconfig. */
export function settingFlags(verb: string, s: { bundleEnv: boolean; kubeContext: boolean }): string[] {
  if (verb !== 'up' && verb !== 'down') return [];
  return [...(s.bundleEnv ? [] : ['--no-bundle-env']), ...(s.kubeContext ? [] : ['--no-kube-context'])];
}

/** Environment of the child: VS Code's runtime as plain Node, plus the passphrase if the user set one. */
export function childEnv(base: NodeJS.ProcessEnv, passphrase: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1', FORCE_COLOR: '0' };
  if (passphrase) {
    env.PULUMI_CONFIG_PASSPHRASE = passphrase;
    delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  }
  return env;
}
