import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../core/random.js';
import { observeResponseTime, RESPONSE_TIME_BUCKETS, SAMPLE_SIZE, TrafficStats } from './stats.js';

test('take() reports the second and resets the counters in place', () => {
  const t = new TrafficStats();
  const lb = t.loadBalancer('web');
  const tg = t.targetGroup('web', 'app');
  lb.requests += 3;
  lb.elb5xx++;
  tg.requests += 2;
  tg.target2xx += 2;
  observeResponseTime(tg.responseTime, 0.25, seededRandom(1));
  const r = t.take(5000);
  assert.equal(r.at, 5000);
  assert.equal(r.loadBalancers.web!.requests, 3);
  assert.equal(r.loadBalancers.web!.elb5xx, 1);
  assert.equal(r.targetGroups['web/app']!.target2xx, 2);
  assert.deepEqual(r.targetGroups['web/app']!.responseTime, { count: 1, sum: 0.25, min: 0.25, max: 0.25, sample: [0.25], buckets: [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0] });
  // The objects the hot path holds are the same objects, now zeroed.
  assert.equal(t.loadBalancer('web'), lb);
  assert.equal(lb.requests, 0);
  assert.equal(tg.responseTime.count, 0);
  assert.deepEqual(t.take(6000), { at: 6000, loadBalancers: {}, targetGroups: {} }, 'idle series are left out');
});

test('observeResponseTime keeps exact count/sum/min/max and a bounded uniform sample', () => {
  const rt = { count: 0, sum: 0, min: Infinity, max: 0, sample: [] as number[], buckets: new Array<number>(RESPONSE_TIME_BUCKETS.length + 1).fill(0) };
  const random = seededRandom(42);
  for (let i = 1; i <= 10_000; i++) observeResponseTime(rt, i / 1000, random);
  assert.equal(rt.count, 10_000);
  assert.equal(rt.min, 0.001);
  assert.equal(rt.max, 10);
  assert.ok(Math.abs(rt.sum - 50_005) < 1e-6);
  assert.equal(rt.sample.length, SAMPLE_SIZE);
  // A uniform sample of 1..10 s has its median near 5 s (not skewed to the first or last values).
  const sorted = [...rt.sample].sort((a, b) => a - b);
  const median = sorted[SAMPLE_SIZE / 2]!;
  assert.ok(median > 4 && median < 6, `median ${median}`);
  // Buckets count exactly, le-inclusive: 1..5 ms in the first, 9001..10000 ms at the 10 s bound, none past it.
  assert.equal(rt.buckets[0], 5);
  assert.equal(rt.buckets[RESPONSE_TIME_BUCKETS.length - 1], 5000);
  assert.equal(rt.buckets[RESPONSE_TIME_BUCKETS.length], 0);
  assert.equal(rt.buckets.reduce((a, b) => a + b, 0), 10_000);
});
