// The project's own Node 24 (devDependency `node`): @pulumi/pulumi needs Node 22+, code-server
// Node 24. Its binary comes from the package's preinstall script and is not in
// package-lock.json, so a later `npm install X` in the repo prunes it; `npm rebuild node`
// puts it back.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectNode, projectNodeDir, repoRoot } from './env.mjs';
import { runLogged } from './cache.mjs';

function wanted() {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).devDependencies.node;
}

export default {
  name: 'node',
  title: `Node ${wanted()}`,
  firstTime: '~20 s',
  locate() {
    const node = join(projectNodeDir(), 'bin', 'node');
    return existsSync(node) ? node : undefined;
  },
  async build({ logFile, signal }) {
    if (!existsSync(join(repoRoot, 'node_modules', 'node', 'package.json'))) {
      throw new Error(`node_modules is missing or incomplete: run \`npm install\` in ${repoRoot} first`);
    }
    await runLogged('npm', ['rebuild', 'node'], { logFile, signal });
    return projectNode().node;
  },
};
