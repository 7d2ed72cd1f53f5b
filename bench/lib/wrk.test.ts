import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBytes, parseTimeMs, parseWrk, wrkArgs } from './wrk.js';

const sample = `Running 10s test @ http://127.0.0.1:8080/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   550.11us  200.00us   5.00ms   90.00%
    Req/Sec    80.00k     5.00k   90.00k    70.00%
  Latency Distribution
     50%  500.00us
     75%  600.00us
     90%  700.00us
     99%    1.20ms
  800000 requests in 10.00s, 100.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 5
Requests/sec:  80000.50
Transfer/sec:     10.00MB
`;

test('parseTimeMs reads every unit wrk prints', () => {
  const cases: Array<[string, number]> = [
    ['850.00us', 0.85],
    ['1.20ms', 1.2],
    ['2.00s', 2000],
    ['1.50m', 90_000],
  ];
  for (const [text, ms] of cases) assert.ok(Math.abs(parseTimeMs(text) - ms) < 1e-9, text);
  assert.throws(() => parseTimeMs('12 parsecs'));
});

test('parseBytes reads 1024-based sizes', () => {
  assert.equal(parseBytes('800B'), 800);
  assert.equal(parseBytes('2.00KB'), 2048);
  assert.equal(parseBytes('10.00MB'), 10 * 1024 * 1024);
});

test('parseWrk reads rate, percentiles, transfer and errors', () => {
  const r = parseWrk(sample);
  assert.equal(r.requestsPerSec, 80000.5);
  assert.equal(r.p50Ms, 0.5);
  assert.equal(r.p99Ms, 1.2);
  assert.equal(r.requests, 800000);
  assert.equal(r.transferBytesPerSec, 10 * 1024 * 1024);
  assert.equal(r.non2xx, 5);
  assert.equal(r.socketErrors, 5);
});

test('parseWrk without error lines counts zero errors', () => {
  const clean = sample.replace(/^\s*Socket errors.*\n/m, '').replace(/^\s*Non-2xx.*\n/m, '');
  const r = parseWrk(clean);
  assert.equal(r.non2xx, 0);
  assert.equal(r.socketErrors, 0);
});

test('parseWrk without --latency says so', () => {
  const noLatency = sample.replace(/Latency Distribution[\s\S]*?99%.*\n/, '');
  assert.throws(() => parseWrk(noLatency), /--latency/);
});

test('wrkArgs passes each header as its own -H, before the URL', () => {
  assert.deepEqual(wrkArgs({ threads: 1, connections: 8, durationSec: 3, headers: ['Connection: close'] }, 'https://127.0.0.1:1/'),
    ['-t1', '-c8', '-d3s', '-H', 'Connection: close', '--latency', 'https://127.0.0.1:1/']);
});
