import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, nextBackoff, pauseMessage } from './backoff.js';
import { chooseZones, countByZone, rebalanceZone } from './zones.js';

describe('zones', () => {
  const cases: { name: string; zones: string[]; have: string[]; n: number; want: string[] }[] = [
    { name: 'empty group spreads evenly, list order first', zones: ['a', 'b'], have: [], n: 3, want: ['a', 'b', 'a'] },
    { name: 'fills the short zone first', zones: ['a', 'b', 'c'], have: ['a', 'a', 'b'], n: 2, want: ['c', 'b'] },
    { name: 'instances in unlisted zones do not count', zones: ['a', 'b'], have: ['x', 'x'], n: 1, want: ['a'] },
  ];
  for (const t of cases) it(t.name, () => assert.deepEqual(chooseZones(t.zones, countByZone(t.zones, t.have), t.n), t.want));

  const rebalance: { name: string; zones: string[]; have: string[]; want: string | undefined }[] = [
    { name: 'balanced', zones: ['a', 'b'], have: ['a', 'b', 'a'], want: undefined },
    { name: 'two short', zones: ['a', 'b'], have: ['a', 'a', 'a', 'b'], want: 'b' },
    { name: 'an instance in a zone no longer listed', zones: ['a', 'b'], have: ['a', 'x'], want: 'b' },
    { name: 'no zones', zones: [], have: [], want: undefined },
  ];
  for (const t of rebalance) it(`rebalance: ${t.name}`, () => assert.equal(rebalanceZone(t.zones, countByZone(t.zones, t.have)), t.want));
});

describe('crash-loop back-off', () => {
  const delays: [number, number][] = [[0, 0], [1, 0], [2, 10_000], [3, 20_000], [4, 40_000], [6, 160_000], [7, 300_000], [50, 300_000]];
  for (const [failures, ms] of delays) it(`${failures} failures -> ${ms} ms`, () => assert.equal(backoffDelay(failures), ms));

  it('counts failures in a row, pauses from the second, and says why plainly', () => {
    const now = Date.UTC(2026, 10, 22, 0, 10, 0);
    const f = (id: string) => ({ instanceId: id, reason: 'Boot script exited with status 3; see the boot log', bootFailure: true });
    const one = nextBackoff({ failures: 0 }, [f('i-01')], false, now);
    assert.deepEqual([one.failures, one.until], [1, undefined]);
    const three = nextBackoff(one, [f('i-02'), f('i-03')], false, now);
    assert.equal(three.failures, 3);
    assert.equal(three.until, now + 20_000);
    assert.equal(pauseMessage(three), 'Launches paused until 00:10:20Z: the last 3 instances failed to boot (Boot script exited with status 3; see the boot log); see shoal logs i-03 --boot');
  });

  it('an instance that proves itself resets the count', () => {
    assert.deepEqual(nextBackoff({ failures: 5, until: 1 }, [], true, 0), { failures: 0 });
  });
});
