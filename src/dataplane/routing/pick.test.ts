import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom, type Random } from '../../core/random.js';
import type { ForwardAction } from '../../model/load-balancer.js';
import { pickTargetGroup } from './pick.js';

function forward(...groups: Array<[string, number]>): ForwardAction {
  return { type: 'forward', targetGroups: groups.map(([targetGroup, weight]) => ({ targetGroup, weight })) };
}

function counts(action: ForwardAction, random: Random, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const tg = pickTargetGroup(action, random);
    out[tg] = (out[tg] ?? 0) + 1;
  }
  return out;
}

test('weighted pick follows the weights (90/10, seeded)', () => {
  const c = counts(forward(['app', 90], ['canary', 10]), seededRandom(1), 100_000);
  assert.ok(Math.abs(c.app! / 100_000 - 0.9) < 0.01, JSON.stringify(c));
  assert.ok(Math.abs(c.canary! / 100_000 - 0.1) < 0.01, JSON.stringify(c));
});

test('weight-0 groups are never chosen', () => {
  const c = counts(forward(['off', 0], ['a', 1], ['off2', 0], ['b', 3], ['off3', 0]), seededRandom(2), 20_000);
  assert.deepEqual(Object.keys(c).sort(), ['a', 'b']);
  assert.ok(Math.abs(c.b! / 20_000 - 0.75) < 0.02);
});

const edges: Array<[string, ForwardAction, number, string]> = [
  ['single group needs no draw', forward(['only', 1]), 0.99, 'only'],
  ['all weights 0 picks the first', forward(['x', 0], ['y', 0]), 0.5, 'x'],
  ['draw at 0 picks the first positive', forward(['z', 0], ['a', 1], ['b', 1]), 0, 'a'],
  ['draw just under 1 picks the last positive', forward(['a', 1], ['b', 1], ['z', 0]), 0.9999999999, 'b'],
];

for (const [name, action, draw, want] of edges) {
  test(`pick: ${name}`, () => {
    assert.equal(pickTargetGroup(action, { next: () => draw }), want);
  });
}
