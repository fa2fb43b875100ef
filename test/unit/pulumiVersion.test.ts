/** The Pulumi CLI a provider needs (src/core/pulumiVersion.ts). */
import { strict as assert } from 'node:assert';
import { pulumiTooOld } from '../../src/core/pulumiVersion';

describe('the Pulumi CLI a provider needs', () => {
  it('provider: azure needs 3.151 or newer, saying the version found, the one needed and why', () => {
    assert.match(pulumiTooOld('azure', 'v3.150.9') ?? '', /^the Pulumi CLI is 3\.150\.9, and provider: azure needs 3\.151\.0 or newer: .*replace every resource .*pulumi\/pulumi#18509\)\. Install Pulumi 3\.151\.0 or newer/);
    assert.ok(pulumiTooOld('azure', '2.99.0'));
    for (const ok of ['3.151.0', 'v3.151.0', '3.200.1-alpha.1', '4.0.0']) assert.equal(pulumiTooOld('azure', ok), undefined, ok);
  });

  it('other providers and versions it cannot read ask for nothing more', () => {
    assert.equal(pulumiTooOld('local', '3.2.0'), undefined);
    assert.equal(pulumiTooOld('kubernetes', '3.2.0'), undefined);
    assert.equal(pulumiTooOld('azure', 'dev'), undefined);
  });
});
