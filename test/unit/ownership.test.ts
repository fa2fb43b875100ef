/** Which environment and component a stack belongs to (src/core/ownership.ts). */
import { strict as assert } from 'node:assert';
import { componentsFor } from '../../src/core/components';
import { ambiguousRunName, ownerOf, ownershipConflict } from '../../src/core/ownership';
import { byName, localConfig } from './helpers';

/** Environment `dev` with run `x-y`, and environment `dev-x` with run `y`: the same stack name. */
const dev = byName(componentsFor(localConfig({}, ['x-y']), 'dev'), 'adaptive-x-y');
const devX = byName(componentsFor(localConfig({}, ['y']), 'dev-x'), 'adaptive-y');

describe('stack ownership', () => {
  it('two environment/run pairs can name one stack', () => {
    assert.equal(dev.stack, 'modelops-adaptive-dev-x-y');
    assert.equal(devX.stack, dev.stack);
  });

  it('a stack recorded for another environment is refused, naming both; one recorded for this one is not', () => {
    const made = { exists: true, owner: ownerOf('dev', dev) };
    assert.equal(ownershipConflict('dev', dev, made, ['dev', 'dev-x']), undefined);
    const reason = ownershipConflict('dev-x', devX, made, []);
    assert.match(reason ?? '', /stack modelops-adaptive-dev-x-y belongs to environment "dev"'s adaptive-x-y, not to environment "dev-x"'s adaptive-y/);
    assert.match(reason ?? '', /rename adaptive run "y"/);
  });

  it('a stack that records no owner is refused when another environment of the backend can also name it', () => {
    const old = { exists: true };
    assert.match(ownershipConflict('dev-x', devX, old, ['dev', 'dev-x']) ?? '', /also environment "dev"'s adaptive run "x-y"/);
    assert.equal(ownershipConflict('dev-x', devX, old, ['dev-x', 'prod']), undefined, 'no other environment can name it');
    assert.equal(ownershipConflict('dev', dev, old, ['dev', 'dev-y']), undefined, '"dev-y" cannot name dev-x-y');
  });

  it('a stack that does not exist yet is free: the update that creates it records its owner', () => {
    assert.equal(ownershipConflict('dev-x', devX, { exists: false }, ['dev', 'dev-x']), undefined);
    assert.equal(ownershipConflict('dev-x', devX, undefined, ['dev', 'dev-x']), undefined);
  });

  it('a component with one variable part (the cluster, storage, the workspace) is judged only by its record', () => {
    const cluster = byName(componentsFor(localConfig(), 'dev-x'), 'cluster');
    assert.equal(ownershipConflict('dev-x', cluster, { exists: true }, ['dev', 'dev-x']), undefined);
    assert.match(ownershipConflict('dev-x', cluster, { exists: true, owner: 'dev/cluster' }, []) ?? '', /belongs to environment "dev"'s cluster/);
  });

  it('validate rejects a run not deployed yet whose stack name another environment of the backend also gives, either way round', () => {
    assert.match(ambiguousRunName('dev-x', devX, undefined, ['dev']) ?? '', /adaptive run "y" would be stack modelops-adaptive-dev-x-y, which environment "dev"'s adaptive run "x-y" on this backend would also be/);
    assert.match(ambiguousRunName('dev', dev, { exists: false }, ['dev-x']) ?? '', /environment "dev-x"'s adaptive run "y"/);
    assert.equal(ambiguousRunName('dev-x', devX, undefined, ['dev-x', 'prod', 'dev-y']), undefined, 'no other environment can name it');
    const cluster = byName(componentsFor(localConfig(), 'dev-x'), 'cluster');
    assert.equal(ambiguousRunName('dev-x', cluster, undefined, ['dev']), undefined, 'one variable part: no ambiguity');
  });

  it('a run already deployed keeps its name: its owner record, not validate, guards it', () => {
    assert.equal(ambiguousRunName('dev-x', devX, { exists: true, owner: ownerOf('dev-x', devX) }, ['dev']), undefined);
    assert.equal(ambiguousRunName('dev-x', devX, { exists: true }, ['dev']), undefined, 'a stack with no owner is ownershipConflict\'s to judge');
  });
});
