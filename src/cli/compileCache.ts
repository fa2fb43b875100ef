/**
 * Node keeps the bytecode it compiles for our bundles on disk (node:module's compile cache, in
 * NODE_COMPILE_CACHE or the temp folder) and reuses it while a bundle is unchanged: each run of
 * the CLI — a status every few seconds from the extension, a CI step — then skips compiling the
 * Azure SDK or Pulumi bundle it loads (~0.1 s for the Azure one). Imported first by main.ts.
 */
import * as nodeModule from 'node:module';

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
