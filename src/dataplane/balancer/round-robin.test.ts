import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Upstream } from './balancer.js';
import { RoundRobin } from './round-robin.js';

const list: Upstream[] = ['a', 'b', 'c'].map((key) => ({ key, host: key, port: 80, inflight: 0 }));
const byKey = (k: string) => list.find((u) => u.key === k)!;

describe('round_robin', () => {
  const cases: Array<{ desc: string; start: number; steps: Array<[avoid: string | null, want: string]> }> = [
    { desc: 'rotates in list order', start: 0, steps: [[null, 'a'], [null, 'b'], [null, 'c'], [null, 'a']] },
    { desc: 'starts at the given offset, modulo the list', start: 4, steps: [[null, 'b'], [null, 'c'], [null, 'a']] },
    { desc: 'skips avoid and carries on after the pick', start: 0, steps: [['a', 'b'], [null, 'c'], ['a', 'b']] },
    { desc: 'ignores load', start: 0, steps: [[null, 'a'], [null, 'b']] },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const rr = new RoundRobin(c.start);
      for (const [avoid, want] of c.steps) {
        assert.equal(rr.pick(list, avoid ? byKey(avoid) : undefined)?.key, want);
      }
    });
  }

  it('keeps rotating, without a reset, when the list shrinks', () => {
    const rr = new RoundRobin(0);
    rr.pick(list); // a
    rr.pick(list); // b
    const two = list.slice(0, 2);
    assert.equal(rr.pick(two)?.key, 'a'); // position 2 wraps to 0
    assert.equal(rr.pick(two)?.key, 'b');
  });
});
