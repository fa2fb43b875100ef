#!/usr/bin/env node
'use strict';
// Entry point of the `mops-infra` CLI (bundled to dist/cli.js by `npm run build`).
const major = Number(process.versions.node.split('.')[0]);
if (major < 22 && !process.versions.electron) {
  process.stderr.write(`mops-infra needs Node.js 22 or newer (this is ${process.version}). In a checkout, "npm install" brings Node 24 for npm scripts; run it as "npx mops-infra".\n`);
  process.exit(2);
}
// Bytecode of the bundles kept between runs (see src/cli/compileCache.ts); this one covers cli.js too.
require('node:module').enableCompileCache?.();
try {
  require('../dist/cli.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write('mops-infra is not built yet: run "npm run build" in the modelops-infra checkout.\n');
    process.exit(2);
  }
  throw error;
}
