import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headlines, ratios, roundsReport, type Scenario } from './report.js';
import type { RoundMeasurement } from './stats.js';
import type { WrkResult } from './wrk.js';

const result = (rps: number, p99: number): WrkResult => ({ requestsPerSec: rps, p50Ms: 1, p99Ms: p99, transferBytesPerSec: 0, requests: rps, non2xx: 0, socketErrors: 0 });
const small: Scenario = { name: 'small', path: '/', bodyBytes: 3, durationSec: 1, warmupSec: 1 };

test('ratios: a scenario with no p99 goal meets it whatever the p99', () => {
  const q = ratios(result(70, 30), result(100, 10), { minThroughputRatio: 0.7 });
  assert.equal(q.throughputMet, true);
  assert.equal(q.p99Met, true);
  assert.equal(ratios(result(69, 10), result(100, 10), { minThroughputRatio: 0.7 }).throughputMet, false);
});

test('roundsReport shows every round against the reference of that same round', () => {
  const ms: RoundMeasurement[] = [
    { proxy: 'nginx', scenario: 'small', round: 1, result: result(100, 2) },
    { proxy: 'shoal', scenario: 'small', round: 1, result: result(90, 2.6) },
    { proxy: 'nginx', scenario: 'small', round: 2, result: result(50, 4) },
    { proxy: 'shoal', scenario: 'small', round: 2, error: 'boom' },
  ];
  const text = roundsReport([small], ms);
  assert.match(text, /\| small\s+\| shoal\s+\| 0\.90× \/ 1\.30×\s+\| failed\s+\|/);
  assert.equal(roundsReport([small], ms.filter((m) => m.round === 1)), '', 'one round: the table already says it');
});

test('headlines: a -2w row is also read against its own 1-worker row', () => {
  const agg = (proxy: string, rps: number) => ({ proxy, scenario: 'small', result: result(rps, 2), rounds: 1, failedRounds: 0, spread: 0, warnings: [] });
  const lines = headlines([small], [agg('nginx', 100), agg('shoal', 80), agg('shoal-2w', 120)]);
  assert.ok(lines.includes('shoal / small: 2 workers ÷ 1 worker: throughput 1.50×, p99 1.00×'), lines.join('\n'));
});

test('a scenario with its own reference reads every ratio against that proxy', () => {
  const tcp: Scenario = { ...small, name: 'bulk', reference: 'haproxy-tcp', target: { minThroughputRatio: 0.9 } };
  const agg = (proxy: string, rps: number) => ({ proxy, scenario: 'bulk', result: result(rps, 2), rounds: 1, failedRounds: 0, spread: 0, warnings: [] });
  const lines = headlines([tcp], [agg('haproxy-tcp', 100), agg('shoal-tcp', 85)]);
  assert.deepEqual(lines, ['shoal-tcp / bulk: throughput 0.85× haproxy-tcp (target ≥ 0.9×: NOT met), p99 1.00× haproxy-tcp']);
});
