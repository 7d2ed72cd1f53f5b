import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.js';
import type { Upstream } from './balancer.js';
import { RoundRobin } from './round-robin.js';
import { rampWeight } from './slow-start.js';

const SECOND = 1000;
const T0 = 1_700_000_000_000;

describe('slow start: rampWeight', () => {
  const window = { startedAt: T0, endsAt: T0 + 100 * SECOND };
  const cases: Array<{ desc: string; at: number; want: number }> = [
    { desc: 'at the start: as if one second had elapsed', at: T0, want: 0.01 },
    { desc: 'before the start (clocks of two processes): the floor too', at: T0 - 5 * SECOND, want: 0.01 },
    { desc: 'a quarter in', at: T0 + 25 * SECOND, want: 0.25 },
    { desc: 'half way', at: T0 + 50 * SECOND, want: 0.5 },
    { desc: 'at the end: full share', at: T0 + 100 * SECOND, want: 1 },
    { desc: 'after the end: full share', at: T0 + 500 * SECOND, want: 1 },
  ];
  for (const c of cases) {
    it(c.desc, () => assert.equal(rampWeight(window, c.at), c.want));
  }
});

function upstreams(keys: string[]): Upstream[] {
  return keys.map((key) => ({ key, host: key, port: 80, inflight: 0 }));
}

function share(rr: RoundRobin, list: readonly Upstream[], picks: number): Record<string, number> {
  const seen: Record<string, number> = {};
  for (const u of list) seen[u.key] = 0;
  for (let i = 0; i < picks; i++) seen[rr.pick(list)!.key]! += 1;
  return seen;
}

describe('slow start: round_robin ramps the new target linearly (manual clock, counted picks)', () => {
  // Three old targets a, b, c and a new one, n, with a 60 s window. A target at weight w
  // among three full ones gets w / (3 + w) of the picks: 600 picks make the counts exact.
  const cases: Array<{ desc: string; elapsed: number; want: Record<string, number> }> = [
    { desc: '0% of the window: weight 1/60, n gets about 1/181', elapsed: 0, want: { a: 199, b: 199, c: 199, n: 3 } },
    { desc: '25%: weight 1/4, n gets 1/13', elapsed: 15, want: { a: 184, b: 185, c: 185, n: 46 } },
    { desc: '50%: weight 1/2, n gets 1/7', elapsed: 30, want: { a: 171, b: 172, c: 172, n: 85 } },
    { desc: '100%: out of slow start, an even share', elapsed: 60, want: { a: 150, b: 150, c: 150, n: 150 } },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const clock = new ManualClock(T0);
      const rr = new RoundRobin(0);
      const list = upstreams(['a', 'b', 'c', 'n']);
      rr.setSlowStart([{ key: 'a' }, { key: 'b' }, { key: 'c' }, { key: 'n', slowStart: { startedAt: T0, endsAt: T0 + 60 * SECOND } }], clock.now());
      clock.advance(c.elapsed * SECOND);
      rr.tick(clock.now());
      const got = share(rr, list, 600);
      for (const key of Object.keys(c.want)) {
        // Exact up to one pick: where the rotation stands when counting starts.
        assert.ok(Math.abs(got[key]! - c.want[key]!) <= 1, `${key}: got ${got[key]}, want about ${c.want[key]} (${JSON.stringify(got)})`);
      }
    });
  }

  it('the share follows the clock as the worker ticks, without a new snapshot', () => {
    const clock = new ManualClock(T0);
    const rr = new RoundRobin(0);
    const list = upstreams(['a', 'n']);
    rr.setSlowStart([{ key: 'a' }, { key: 'n', slowStart: { startedAt: T0, endsAt: T0 + 40 * SECOND } }], clock.now());
    const shares: number[] = [];
    for (let s = 0; s <= 40; s += 10) {
      shares.push(share(rr, list, 1000).n!);
      clock.advance(10 * SECOND);
      rr.tick(clock.now());
    }
    // n's share of 1000 picks among two targets: w / (1 + w) for w = 1/40, 1/4, 1/2, 3/4, then 1.
    const want = [24, 200, 333, 429, 500];
    shares.forEach((got, i) => assert.ok(Math.abs(got - want[i]!) <= 1, `step ${i}: got ${got}, want about ${want[i]} (${shares.join(', ')})`));
  });

  it('a new snapshot with the same window keeps the ramp (credit and weight)', () => {
    const rr = new RoundRobin(0);
    const list = upstreams(['a', 'n']);
    const targets = [{ key: 'a' }, { key: 'n', slowStart: { startedAt: T0, endsAt: T0 + 30 * SECOND } }];
    rr.setSlowStart(targets, T0 + 15 * SECOND);
    const first = share(rr, list, 300).n!;
    rr.setSlowStart(targets, T0 + 15 * SECOND);
    const second = share(rr, list, 300).n!;
    assert.ok(Math.abs(first - 100) <= 1 && Math.abs(second - 100) <= 1, `${first}, ${second}`);
  });

  it('when every candidate is ramping, shares follow the weights', () => {
    const rr = new RoundRobin(0);
    const list = upstreams(['x', 'y']);
    // x three quarters through its window, y a quarter: weights 3/4 and 1/4.
    rr.setSlowStart([
      { key: 'x', slowStart: { startedAt: T0 - 30 * SECOND, endsAt: T0 + 10 * SECOND } },
      { key: 'y', slowStart: { startedAt: T0 - 10 * SECOND, endsAt: T0 + 30 * SECOND } },
    ], T0);
    const got = share(rr, list, 800);
    assert.ok(Math.abs(got.x! - 600) <= 2 && Math.abs(got.y! - 200) <= 2, JSON.stringify(got));
  });

  it('a lone candidate in slow start takes every request', () => {
    const rr = new RoundRobin(0);
    const list = upstreams(['n']);
    rr.setSlowStart([{ key: 'n', slowStart: { startedAt: T0, endsAt: T0 + 900 * SECOND } }], T0);
    assert.deepEqual(share(rr, list, 50), { n: 50 });
  });
});
