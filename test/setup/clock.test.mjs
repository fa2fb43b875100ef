// test-all's "where the time went": a part that took 2039.6 s took 34:00, not 33:60.
import assert from 'node:assert/strict';
import { minutesSeconds } from '../../scripts/clock.mjs';

describe('durations in the time report', () => {
  it('rounds to the second before splitting into minutes and seconds', () => {
    assert.equal(minutesSeconds(2039.6), '34:00');
    assert.equal(minutesSeconds(59.5), '1:00');
    assert.equal(minutesSeconds(59.4), '0:59');
  });

  it('pads the seconds and lets the minutes grow', () => {
    assert.equal(minutesSeconds(0), '0:00');
    assert.equal(minutesSeconds(65), '1:05');
    assert.equal(minutesSeconds(4076), '67:56');
  });
});
