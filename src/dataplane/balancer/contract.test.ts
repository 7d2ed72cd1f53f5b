/**
 * The contract every load-balancing algorithm passes (style.md rule 5). A new
 * algorithm joins by adding one line to `algorithms`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../core/random.js';
import type { Algorithm } from '../../model/target-group.js';
import { createBalancer, type Balancer, type Upstream } from './index.js';

const algorithms: Algorithm[] = ['round_robin', 'least_outstanding_requests', 'weighted_random'];

function upstreams(n: number, inflight = 0): Upstream[] {
  return Array.from({ length: n }, (_, i) => ({ key: `10.0.0.${i + 1}:80`, host: `10.0.0.${i + 1}`, port: 80, inflight }));
}

function counts(b: Pick<Balancer, 'pick'>, list: readonly Upstream[], picks: number): Map<string, number> {
  const seen = new Map<string, number>();
  for (let i = 0; i < picks; i++) {
    const u = b.pick(list);
    assert.ok(u, 'a pick from a non-empty list');
    seen.set(u.key, (seen.get(u.key) ?? 0) + 1);
  }
  return seen;
}

/**
 * Within 5% of an even share; 15% for a randomized algorithm (weighted_random), whose share of
 * 700 picks varies by about 4% (one standard deviation) around the mean: 15% is almost 4 of them.
 */
function assertEvenWithin(tolerance: number, seen: Map<string, number>, list: readonly Upstream[], picks: number): void {
  const mean = picks / list.length;
  for (const u of list) {
    const got = seen.get(u.key) ?? 0;
    assert.ok(Math.abs(got - mean) <= mean * tolerance, `${u.key} got ${got} of ${picks}, expected about ${mean}`);
  }
}

for (const algorithm of algorithms) {
  describe(`balancer contract: ${algorithm}`, () => {
    const tolerance = algorithm === 'weighted_random' ? 0.15 : 0.05;
    const assertEven = (seen: Map<string, number>, list: readonly Upstream[], picks: number): void =>
      assertEvenWithin(tolerance, seen, list, picks);
    const make = (seed = 1) => createBalancer(algorithm, seededRandom(seed));

    const emptyCases: Array<{ desc: string; avoid?: Upstream }> = [
      { desc: 'no candidates' },
      { desc: 'no candidates, with something to avoid', avoid: upstreams(1)[0] },
    ];
    for (const c of emptyCases) {
      it(`returns undefined with ${c.desc}`, () => {
        assert.equal(make().pick([], c.avoid), undefined);
      });
    }

    it('picks only from the candidates, whatever their load', () => {
      const b = make();
      const random = seededRandom(7);
      const list = upstreams(5);
      for (let i = 0; i < 500; i++) {
        for (const u of list) u.inflight = Math.floor(random.next() * 4);
        assert.ok(list.includes(b.pick(list)!));
      }
    });

    const avoidCases = [
      { desc: 'avoid is the only candidate', n: 1, avoidAt: 0, expectNone: true },
      { desc: 'avoid is first of two', n: 2, avoidAt: 0, expectNone: false },
      { desc: 'avoid is last of three', n: 3, avoidAt: 2, expectNone: false },
      { desc: 'avoid is in the middle of five', n: 5, avoidAt: 2, expectNone: false },
    ];
    for (const c of avoidCases) {
      it(`never returns avoid when another candidate exists: ${c.desc}`, () => {
        const b = make();
        const list = upstreams(c.n);
        // The avoided target is the least loaded one: a least-loaded algorithm must still skip it.
        for (const u of list) u.inflight = 3;
        list[c.avoidAt]!.inflight = 0;
        for (let i = 0; i < 50; i++) {
          const got = b.pick(list, list[c.avoidAt]);
          if (c.expectNone) assert.equal(got, undefined);
          else assert.ok(got && got.key !== list[c.avoidAt]!.key, `picked ${got?.key}`);
        }
      });
    }

    it('matches avoid by key, so a rebuilt upstream object is avoided too', () => {
      const b = make();
      const list = upstreams(2);
      const rebuilt = { ...list[0]! };
      for (let i = 0; i < 20; i++) assert.equal(b.pick(list, rebuilt)?.key, list[1]!.key);
    });

    it('ignores an avoid that is not among the candidates', () => {
      const b = make();
      const list = upstreams(3);
      const gone: Upstream = { key: '10.9.9.9:80', host: '10.9.9.9', port: 80, inflight: 0 };
      assertEven(counts({ pick: (l) => b.pick(l, gone) }, list, 3000), list, 3000);
    });

    for (const n of [1, 2, 3, 7]) {
      it(`spreads evenly over ${n} equally loaded candidates`, () => {
        const list = upstreams(n);
        assertEven(counts(make(n), list, 700 * n), list, 700 * n);
      });
    }

    it('spreads evenly when the proxy keeps inflight up to date', () => {
      const b = make();
      const list = upstreams(4);
      const open: Upstream[] = [];
      const seen = new Map<string, number>();
      for (let i = 0; i < 4000; i++) {
        const u = b.pick(list)!;
        u.inflight++;
        open.push(u);
        seen.set(u.key, (seen.get(u.key) ?? 0) + 1);
        if (open.length > 6) open.shift()!.inflight--; // requests complete in order
      }
      assertEven(seen, list, 4000);
    });

    it('with targets in slow start, still picks only candidates and never avoid', () => {
      const b = make();
      const list = upstreams(4);
      const now = 1_000_000;
      // Every target ramping, at very different points, plus one that is not a candidate.
      const windows = list.map((u, i) => ({ key: u.key, slowStart: { startedAt: now - i * 10_000, endsAt: now + 30_000 } }));
      b.setSlowStart([...windows, { key: '10.9.9.9:80', slowStart: { startedAt: now, endsAt: now + 30_000 } }], now);
      for (let i = 0; i < 400; i++) {
        const avoid = list[i % 4]!;
        const got = b.pick(list, avoid);
        assert.ok(got && list.includes(got) && got.key !== avoid.key, `pick ${i}: ${got?.key}`);
        if (i % 100 === 99) b.tick(now + i * 100);
      }
      assert.equal(b.pick(list.slice(0, 1), list[0]), undefined);
    });

    it('handles the candidate list changing between calls', () => {
      const b = make();
      const all = upstreams(6);
      const shapes = [all, all.slice(0, 2), all.slice(3), all.slice(1, 2), [], all.slice(0, 5)];
      for (let round = 0; round < 200; round++) {
        const list = shapes[round % shapes.length]!;
        const got = b.pick(list);
        if (list.length === 0) assert.equal(got, undefined);
        else assert.ok(got && list.includes(got), `round ${round}: ${got?.key} not a candidate`);
      }
      // After shrinking to two, it spreads evenly over the two.
      const two = all.slice(4);
      assertEven(counts(b, two, 1000), two, 1000);
    });
  });
}
