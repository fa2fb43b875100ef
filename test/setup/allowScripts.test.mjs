// A new user's first `npm install`: npm 11 warns about every install script that package.json's
// `allowScripts` does not name, so each dependency with one is named, allowed or not.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const readJson = (name) => JSON.parse(readFileSync(new URL(name, root), 'utf8'));

/** `node_modules/@scope/name` → `@scope/name`, for every locked package with an install script. */
function withInstallScripts(lock) {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path && entry.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
}

describe('install scripts', () => {
  const allowScripts = readJson('package.json').allowScripts;
  const locked = withInstallScripts(readJson('package-lock.json'));

  it('every locked package with an install script is named in allowScripts', () => {
    assert.ok(locked.includes('node'), 'the lock lists the project Node among packages with install scripts');
    const unnamed = locked.filter((name) => !(name in allowScripts));
    assert.deepEqual(unnamed, [], `add these to package.json's allowScripts (true to run, false to skip): ${unnamed.join(', ')}`);
  });

  it('the Kubernetes provider is built by setup, never downloaded by an install script', () => {
    assert.equal(allowScripts['@pulumi/kubernetes'], false);
  });
});
