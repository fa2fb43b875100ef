/**
 * `provider: kubernetes`: ModelOps on a cluster you already have. The cluster and storage components
 * read what exists (a kubeconfig, a connection string); the workspace and adaptive runs are the same
 * Kubernetes programs as on AKS.
 */
import type * as pulumi from '@pulumi/pulumi';
import { azureProgram } from '../azure';
import type { Outputs } from '../azure/context';
import type { ProgramContext } from '../types';

export function kubernetesProgram(ctx: ProgramContext, sdk: typeof pulumi): () => Promise<Outputs> {
  switch (ctx.component.kind) {
    case 'cluster':
      return () => (require('./cluster') as typeof import('./cluster')).cluster(ctx, sdk);
    case 'storage':
      return () => (require('./storage') as typeof import('./storage')).storage(ctx, sdk);
    case 'workspace':
    case 'adaptive':
      return azureProgram(ctx, sdk);
    default:
      throw new Error(`provider: kubernetes has no ${ctx.component.kind} component`);
  }
}
