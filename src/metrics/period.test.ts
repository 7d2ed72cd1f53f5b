import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roundedStart } from './period.js';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-12-07T15:07:17Z');

describe('roundedStart (CloudWatch rounding of a query start)', () => {
  it('a sub-minute period rounds to its own multiple within the minute', () => {
    assert.equal(roundedStart(at('2026-12-07T01:05:23Z'), 10, NOW), at('2026-12-07T01:05:20Z'));
    assert.equal(roundedStart(at('2026-12-07T15:02:17Z'), 5, NOW), at('2026-12-07T15:02:15Z'));
    assert.equal(roundedStart(at('2026-12-07T15:02:17.400Z'), 1, NOW), at('2026-12-07T15:02:17Z'));
  });

  it('a period of a minute or more rounds to the minute, 5 minutes or the hour by age', () => {
    assert.equal(roundedStart(at('2026-12-07T12:32:34Z'), 300, NOW), at('2026-12-07T12:32:00Z'));
    assert.equal(roundedStart(at('2026-11-12T12:32:34Z'), 300, NOW), at('2026-11-12T12:30:00Z'));
    assert.equal(roundedStart(at('2026-08-01T12:32:34Z'), 3600, NOW), at('2026-08-01T12:00:00Z'));
  });

  it('an aligned start stays', () => {
    assert.equal(roundedStart(at('2026-12-07T12:32:00Z'), 60, NOW), at('2026-12-07T12:32:00Z'));
  });
});
