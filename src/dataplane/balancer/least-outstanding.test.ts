import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Upstream } from './balancer.js';
import { LeastOutstanding } from './least-outstanding.js';

function list(loads: number[]): Upstream[] {
  return loads.map((inflight, i) => ({ key: String.fromCharCode(97 + i), host: 'h', port: 80 + i, inflight }));
}

describe('least_outstanding_requests', () => {
  const cases: Array<{ desc: string; loads: number[]; avoid?: number; picks: string[] }> = [
    { desc: 'takes the least loaded', loads: [3, 1, 2], picks: ['b', 'b', 'b'] },
    { desc: 'rotates among equally loaded', loads: [0, 0, 0], picks: ['a', 'b', 'c', 'a'] },
    { desc: 'rotates among the tied minimum only', loads: [1, 0, 5, 0], picks: ['b', 'd', 'b', 'd'] },
    { desc: 'skips avoid even when it is the least loaded', loads: [0, 4, 2], avoid: 0, picks: ['c', 'c'] },
    { desc: 'returns nothing when avoid is the sole candidate', loads: [0], avoid: 0, picks: [''] },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const lor = new LeastOutstanding(0);
      const ups = list(c.loads);
      const got = c.picks.map(() => lor.pick(ups, c.avoid === undefined ? undefined : ups[c.avoid])?.key ?? '');
      assert.deepEqual(got, c.picks);
    });
  }

  it('follows load as the proxy updates inflight', () => {
    const lor = new LeastOutstanding(0);
    const ups = list([0, 0]);
    const a = lor.pick(ups)!;
    a.inflight = 10; // a slow request is stuck on a
    assert.deepEqual([lor.pick(ups)?.key, lor.pick(ups)?.key, lor.pick(ups)?.key], ['b', 'b', 'b']);
  });
});
