/** Which updates the data guard looks at first, what they may not do, and how a refusal reads (src/core/dataGuard.ts). */
import { strict as assert } from 'node:assert';
import { guardRefusal, isMadeElsewhere, lookFirst, madeElsewhereNote, protectionSuffices, unsafeChanges } from '../../src/core/dataGuard';
import { describeRow } from '../../src/vscode/view/format';
import type { ResourceChange } from '../../src/core/events';
import { refusedChangesDetail } from '../../src/vscode/view/refusedChanges';

const ours = { exists: true, deployedSpecHash: 'abc', resourceCount: 3 };
const account: ResourceChange = { urn: 'urn:pulumi:dev::modelops-storage::azure-native:storage:StorageAccount::modelopsdevst1234', type: 'azure-native:storage:StorageAccount', op: 'replace', stateful: true, reasons: ['accountName'] };
const container: ResourceChange = { urn: 'urn:pulumi:dev::modelops-storage::azure-native:storage:BlobContainer::results', type: 'azure-native:storage:BlobContainer', op: 'replace' };
const secret: ResourceChange = { urn: 'urn:pulumi:dev::modelops-workspace::kubernetes:core/v1:Secret::creds', type: 'kubernetes:core/v1:Secret', op: 'update', reasons: ['data'] };

describe('the data guard', () => {
  it('looks first at an update of a stack of ours that can hold data, or of any stack made elsewhere', () => {
    assert.equal(lookFirst({ kind: 'storage' }, ours, false), 'holds-data');
    assert.equal(lookFirst({ kind: 'adaptive' }, ours, false), 'holds-data', "a run's Postgres volume");
    assert.equal(lookFirst({ kind: 'workspace' }, ours, false), undefined, 'the workspace holds nothing: no preview, no cost');
    assert.equal(lookFirst({ kind: 'workspace' }, { ...ours, deployedSpecHash: undefined }, false), 'made-elsewhere');
    assert.equal(lookFirst({ kind: 'workspace' }, { ...ours, deployedSpecHash: undefined, owner: 'dev/workspace' }, false), undefined, 'ours, though its first up failed part way');
  });

  it("leaves the look to Pulumi's own preview only where the state protects everything that holds data", () => {
    const pvc = 'kubernetes:core/v1:PersistentVolumeClaim';
    assert.equal(protectionSuffices('adaptive', { unprotectedTypes: ['kubernetes:core/v1:Secret', 'kubernetes:apps/v1:Deployment'] }), true, 'what is unprotected holds no data');
    assert.equal(protectionSuffices('adaptive', { unprotectedTypes: [pvc] }), false, 'a volume made before protection: a preview of its own');
    assert.equal(protectionSuffices('storage', { unprotectedTypes: ['pulumi-nodejs:dynamic/modelops-local:LocalResource'] }), false, "the local provider's stand-in for an account");
    assert.equal(protectionSuffices('adaptive', {}), false, 'a reader that could not tell');
  });

  it('does not look where nothing can be lost or the user consented', () => {
    assert.equal(lookFirst({ kind: 'storage' }, { exists: false, resourceCount: 0 }, false), undefined, 'a new stack is only created');
    assert.equal(lookFirst({ kind: 'storage' }, { ...ours, resourceCount: 0 }, false), undefined, 'a destroyed stack has nothing left');
    assert.equal(lookFirst({ kind: 'storage' }, ours, true), undefined, '--allow-replace');
  });

  it('refuses a replace or delete of what holds data; on a stack made elsewhere, of anything', () => {
    const changes = [account, container, secret];
    assert.deepEqual(unsafeChanges(changes, 'holds-data'), [account]);
    assert.deepEqual(unsafeChanges(changes, 'made-elsewhere'), [account, container]);
    assert.deepEqual(unsafeChanges([secret, { ...account, op: 'update' }], 'holds-data'), [], 'an update in place loses nothing');
  });

  it('names each resource, why Pulumi replaces it, and what consents', () => {
    const text = guardRefusal({ name: 'storage', stack: 'modelops-storage-dev' }, [account], 'holds-data', 're-run with --allow-replace to go ahead anyway');
    assert.equal(text, 'updating storage would replace StorageAccount modelopsdevst1234 (replaced because of accountName), which holds data. Nothing of storage was changed; re-run with --allow-replace to go ahead anyway.');
    const elsewhere = guardRefusal({ name: 'storage', stack: 'modelops-storage-dev' }, [container], 'made-elsewhere', 're-run with --allow-replace to go ahead anyway');
    assert.match(elsewhere, /^modelops-storage-dev was made outside mops-infra .* would replace BlobContainer results\. See it with preview; migrate adopts the stack, or re-run with --allow-replace/);
  });

  it("the editor's consent modal names each resource, why, what it holds, and that nothing of it changed", () => {
    const { message, detail } = refusedChangesDetail('Up storage', [{ component: 'storage', stack: 'modelops-storage-dev', why: 'holds-data', changes: [account], holdsData: 'holds data: the storage account and its blob containers (bundles, results, jobs)' }]);
    assert.equal(message, 'Up storage would replace what holds data. Nothing of storage has been changed.');
    assert.match(detail, /^storage — holds data: the storage account and its blob containers \(bundles, results, jobs\):\n  • replace StorageAccount modelopsdevst1234 \(replaced because of accountName\)\n\nWhat a replaced or deleted resource holds is lost\. Replace Anyway runs it again with --allow-replace/);
  });

  it("a row made outside mops-infra says its first up is previewed", () => {
    assert.equal(describeRow({ status: 'ready', reason: '', spec: 'unknown', madeElsewhere: true }), 'ready · made outside mops-infra: preview before up');
    assert.equal(describeRow({ status: 'outputs-missing', reason: 'no resources', spec: 'unknown' }), 'outputs-missing — no resources', 'a first up of ours, cancelled');
    assert.equal(madeElsewhereNote({}), undefined);
    assert.ok(isMadeElsewhere({ exists: true, resourceCount: 3 }));
    assert.ok(!isMadeElsewhere({ exists: true, resourceCount: 3, owner: 'dev/storage' }), 'a first up of ours that failed part way');
    assert.ok(!isMadeElsewhere({ exists: true, resourceCount: 0 }), 'nothing there to lose');
  });
});
