// Bundles the extension and the CLI. Types are checked separately (`npm run check-types`).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  // Pulumi's SDKs load files at run time (gRPC protos, the dynamic-provider host) and are
  // large: they ship as dependencies, loaded only when a program or health check runs.
  external: [
    'vscode',
    '@pulumi/pulumi',
    '@pulumi/pulumi/*',
    '@pulumi/azure-native',
    '@pulumi/azure-native/*',
    '@pulumi/kubernetes',
    '@pulumi/kubernetes/*',
    '@kubernetes/client-node',
  ],
};

const entries = [
  { entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  // Started by Pulumi (through the dynamic-provider shim), next to cli.js.
  { entryPoints: ['src/engine/dynamicProviderHost.ts'], outfile: 'dist/dynamicProviderHost.js' },
];

const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
