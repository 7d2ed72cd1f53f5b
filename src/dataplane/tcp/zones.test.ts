import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RoundRobin, type Upstream } from '../balancer/index.js';
import { groupByZone, ZoneSpread } from './zones.js';

type Zoned = Upstream & { zone: string };
const t = (key: string, zone: string): Zoned => ({ key, host: key, port: 80, inflight: 0, zone });
/** Zone A: a1; zone B: b1, b2, b3 (the e2e's shape). */
const targets = [t('b1', 'zone-b'), t('a1', 'zone-a'), t('b2', 'zone-b'), t('b3', 'zone-b')];
const zones = groupByZone(targets, (u) => u.zone);

function counts(pick: () => Upstream | undefined, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const k = pick()?.key ?? 'none';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

describe('groupByZone', () => {
  it('groups candidates by zone, zones in name order, members in candidate order', () => {
    assert.deepEqual(zones.map((z) => [z.name, z.members.map((m) => m.key)]), [['zone-a', ['a1']], ['zone-b', ['b1', 'b2', 'b3']]]);
  });
  it('puts targets without a zone in a zone of their own', () => {
    assert.deepEqual(groupByZone([t('x', ''), t('a1', 'zone-a')], (u) => u.zone).map((z) => z.name), ['', 'zone-a']);
  });
});

describe('ZoneSpread (cross-zone off)', () => {
  const cases: Array<{ desc: string; start: number; want: string[] }> = [
    { desc: 'zones take turns, each zone rotates its own targets', start: 0, want: ['a1', 'b1', 'a1', 'b2', 'a1', 'b3', 'a1', 'b1'] },
    { desc: 'the start offset picks the first zone', start: 1, want: ['b1', 'a1', 'b2', 'a1'] },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const z = new ZoneSpread(() => new RoundRobin(0), c.start);
      assert.deepEqual(c.want.map(() => z.pick(zones)?.key), c.want);
    });
  }

  it('gives a 1-target zone half the connections next to a 3-target zone (a quarter when crossing zones)', () => {
    const z = new ZoneSpread(() => new RoundRobin(0));
    assert.deepEqual(counts(() => z.pick(zones), 600), { a1: 300, b1: 100, b2: 100, b3: 100 });
    const all = new RoundRobin(0);
    assert.equal(counts(() => all.pick(targets), 600).a1, 150);
  });

  it('passes over a zone whose only target is avoided, and never returns avoid', () => {
    const z = new ZoneSpread(() => new RoundRobin(0));
    const a1 = targets[1]!;
    assert.deepEqual([1, 2, 3].map(() => z.pick(zones, a1)?.key), ['b1', 'b2', 'b3']);
    const b1 = targets[0]!;
    const z2 = new ZoneSpread(() => new RoundRobin(0), 1);
    assert.equal(z2.pick(zones, b1)?.key, 'b2', 'within a zone the avoided target is skipped');
  });

  it('answers undefined with no zones, or only the avoided target', () => {
    const z = new ZoneSpread(() => new RoundRobin(0));
    assert.equal(z.pick([]), undefined);
    const only = groupByZone([t('a1', 'zone-a')], (u) => u.zone);
    assert.equal(z.pick(only, only[0]!.members[0]), undefined);
  });

  it('carries on when a zone goes away (no healthy target left there)', () => {
    const z = new ZoneSpread(() => new RoundRobin(0));
    z.pick(zones); // a1
    const onlyB = zones.filter((x) => x.name === 'zone-b');
    assert.deepEqual([1, 2, 3].map(() => z.pick(onlyB)?.key), ['b1', 'b2', 'b3']);
  });
});
