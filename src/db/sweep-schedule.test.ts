import assert from 'node:assert/strict';
import { SweepSchedule } from './sweep-schedule.js';

describe('SweepSchedule', () => {
  it('sweeps on the first call, then every n-th call', () => {
    const s = new SweepSchedule(4, 60_000);
    assert.deepEqual(
      Array.from({ length: 9 }, () => s.due(0)),
      [true, false, false, false, true, false, false, false, true],
    );
  });

  it('also sweeps once the interval has passed, however few calls came', () => {
    const s = new SweepSchedule(100, 1000);
    assert.equal(s.due(0), true);
    assert.equal(s.due(500), false);
    assert.equal(s.due(1000), true);
    assert.equal(s.due(1500), false);
  });
});
