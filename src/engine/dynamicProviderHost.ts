/**
 * The process Pulumi starts for our dynamic providers (the local provider's resources),
 * through the `pulumi-resource-pulumi-nodejs` shim setup installs beside the CLI: Pulumi's
 * own host, plus a parent-death check. Pulumi starts plugins in process groups of their
 * own, so when Pulumi is killed nothing else ends this one (it lingered ~15 minutes).
 */
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500).unref();

require('@pulumi/pulumi/cmd/dynamic-provider');
