import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, median } from './stats.js';
import type { WrkResult } from './wrk.js';

const r = (rps: number, p99: number, errs = 0): WrkResult => ({
  requestsPerSec: rps, p50Ms: p99 / 2, p99Ms: p99, transferBytesPerSec: rps * 10,
  requests: rps, non2xx: errs, socketErrors: 0,
});

test('median of odd, even and empty lists', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('aggregate takes field-wise medians, sums errors, measures spread', () => {
  const [a] = aggregate([
    { proxy: 'nginx', scenario: 'small', round: 1, result: r(100, 2) },
    { proxy: 'nginx', scenario: 'small', round: 2, result: r(120, 5, 1) },
    { proxy: 'nginx', scenario: 'small', round: 3, result: r(80, 3, 2) },
  ]);
  assert.equal(a!.result!.requestsPerSec, 100);
  assert.equal(a!.result!.p99Ms, 3);
  assert.equal(a!.result!.non2xx, 3);
  assert.equal(a!.spread, 0.4);
  assert.equal(a!.failedRounds, 0);
});

test('aggregate keeps groups apart and reports failed rounds', () => {
  const out = aggregate([
    { proxy: 'shoal', scenario: 'small', round: 1, error: 'did not start' },
    { proxy: 'nginx', scenario: 'small', round: 1, result: r(100, 2) },
    { proxy: 'shoal', scenario: 'small', round: 2, result: r(70, 2) },
  ]);
  assert.deepEqual(out.map((a) => a.proxy), ['shoal', 'nginx']);
  assert.equal(out[0]!.failedRounds, 1);
  assert.equal(out[0]!.error, 'did not start');
  assert.equal(out[0]!.result!.requestsPerSec, 70);
  assert.deepEqual(out[0]!.warnings, []);
});
