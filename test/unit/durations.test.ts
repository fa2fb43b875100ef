import { strict as assert } from 'node:assert';
import { describeSpan, parseDuration } from '../../src/core/durations';

describe('durations', () => {
  it('reads what people write: Go-style units, days, and a number alone as seconds', () => {
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('10m'), 600_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('2d'), 172_800_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('45'), 45_000);
    for (const bad of ['', 'soon', '10 m', '-5s', '1.5h', 'm10']) assert.equal(parseDuration(bad), undefined, bad);
  });

  it('says a span in its largest unit or two', () => {
    assert.equal(describeSpan(12_400), '12 s');
    assert.equal(describeSpan(3 * 60_000 + 59_000), '3 min');
    assert.equal(describeSpan(125 * 60_000), '2 h 5 min');
    assert.equal(describeSpan(2 * 3_600_000), '2 h');
    assert.equal(describeSpan(3 * 86_400_000 + 5 * 3_600_000), '3 d 5 h');
    assert.equal(describeSpan(10 * 86_400_000 + 5 * 3_600_000), '10 d');
    assert.equal(describeSpan(-5), '0 s');
  });
});
