import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnomalyWeights } from './anomaly.js';
import { WeightedRandom } from './weighted-random.js';
import { seededRandom } from '../../core/random.js';

/** One second of traffic: per target [requests, failures]. */
function second(a: AnomalyWeights, traffic: Record<string, [number, number]>): void {
  for (const [key, [requests, failures]] of Object.entries(traffic)) {
    for (let i = 0; i < requests; i++) a.observe(key, i < failures);
  }
  a.tick();
}

test('a target failing far more than its peers loses weight, halving each second down to a floor', () => {
  const a = new AnomalyWeights();
  const weights: number[] = [];
  for (let s = 0; s < 8; s++) {
    second(a, { a: [100, 0], b: [100, 1], c: [100, 60] });
    weights.push(a.weight('c'));
  }
  assert.deepEqual(weights.slice(0, 4), [0.5, 0.25, 0.125, 0.0625]);
  assert.equal(weights.at(-1), 0.05);
  assert.equal(a.weight('a'), 1);
  assert.equal(a.weight('b'), 1);
  assert.equal(a.mitigated(), 1);
});

test('a mitigated target earns its weight back step by step once it behaves', () => {
  const a = new AnomalyWeights();
  for (let s = 0; s < 3; s++) second(a, { a: [50, 0], b: [50, 0], c: [50, 50] });
  const low = a.weight('c');
  const back: number[] = [];
  for (let s = 0; s < 20; s++) {
    second(a, { a: [50, 0], b: [50, 0], c: [5, 0] });
    back.push(a.weight('c'));
  }
  assert.ok(back[3]! > low && back[3]! < 1, `recovering gradually: ${back.join(' ')}`);
  assert.equal(back.at(-1), 1);
});

const quiet: Array<{ desc: string; traffic: Record<string, [number, number]> }> = [
  { desc: 'everyone failing alike (a group-wide outage is no anomaly)', traffic: { a: [100, 80], b: [100, 85], c: [100, 90] } },
  { desc: 'small failure rates under 10%', traffic: { a: [100, 0], b: [100, 0], c: [100, 8] } },
  { desc: 'only one target with traffic (nothing to compare with)', traffic: { a: [100, 100] } },
];
for (const c of quiet) {
  test(`no mitigation: ${c.desc}`, () => {
    const a = new AnomalyWeights();
    for (let s = 0; s < 5; s++) second(a, c.traffic);
    assert.equal(a.mitigated(), 0);
  });
}

test('half the group failing: that half is mitigated; more than half: no one is (the bar follows the median)', () => {
  const half = new AnomalyWeights();
  for (let s = 0; s < 3; s++) second(half, { a: [100, 0], b: [100, 0], c: [100, 90], d: [100, 70] });
  assert.equal(half.mitigated(), 2);
  const most = new AnomalyWeights();
  for (let s = 0; s < 3; s++) second(most, { a: [100, 0], b: [100, 90], c: [100, 90], d: [100, 70] });
  assert.equal(most.mitigated(), 0);
});

test('weighted_random with anomaly mitigation sends a failing target a small share', () => {
  const b = new WeightedRandom(seededRandom(9), true);
  const list = ['a', 'b', 'c'].map((k) => ({ key: k, host: k, port: 80, inflight: 0 }));
  for (let s = 0; s < 6; s++) {
    for (let i = 0; i < 300; i++) {
      const u = b.pick(list)!;
      b.observe(u, u.key === 'c' && i % 2 === 0);
    }
    b.tick(0);
  }
  const seen = new Map<string, number>();
  for (let i = 0; i < 3000; i++) {
    const k = b.pick(list)!.key;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  assert.ok((seen.get('c') ?? 0) < 150, `c got ${seen.get('c')} of 3000`);
  assert.ok((seen.get('a') ?? 0) > 1300 && (seen.get('b') ?? 0) > 1300);
});
