/** Settings → CLI flags (core/flags.ts) and child environment. Pure. */
import { verbsOf, type FlagName, type FlagValues } from '../../core/flags';
import type { Verb } from '../../core/verbs';
import type { Settings } from '../settings';

/** The settings every verb is run with (`modelopsInfra.*`, as settings.ts reads them). */
export type CommonSettings = Pick<Settings, 'environment' | 'pulumiPath' | 'backendUrl' | 'retryAttempts' | 'retryDelayMs'>;

/** The flags every verb shares: the config in use, then the settings (an empty one: the CLI decides, e.g. the file's `environment:`, else dev). */
export function commonFlags(configFile: string, s: CommonSettings): FlagValues & { config: string } {
  return {
    config: configFile,
    ...(s.environment ? { env: s.environment } : {}),
    ...(s.pulumiPath ? { pulumi: s.pulumiPath } : {}),
    ...(s.backendUrl ? { backend: s.backendUrl } : {}),
    'retry-attempts': s.retryAttempts,
    'retry-delay-ms': s.retryDelayMs,
  };
}

/** Flags settings add to the verbs that take them: `bundleEnv: false` leaves ~/.modelops/bundle-env alone on up and down, `kubeContext: false` the kubeconfig. */
export function settingFlags(verb: Verb, s: { bundleEnv: boolean; kubeContext: boolean }): FlagValues {
  const takes = (flag: FlagName) => verbsOf(flag)?.includes(verb) ?? true;
  return { 'no-bundle-env': !s.bundleEnv && takes('no-bundle-env'), 'no-kube-context': !s.kubeContext && takes('no-kube-context') };
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
