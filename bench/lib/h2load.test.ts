import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h2loadArgs, parseH2load } from './h2load.js';

const sample = `starting benchmark...
spawning thread #0: 4 total client(s). 2000 total requests
TLS Protocol: TLSv1.3
Cipher: TLS_AES_128_GCM_SHA256
Server Temp Key: X25519 253 bits
Application protocol: h2
progress: 100% done

finished in 20.33ms, 98362.27 req/s, 6.48MB/s
requests: 2000 total, 2000 started, 2000 done, 1990 succeeded, 4 failed, 3 errored, 3 timeout
status codes: 1980 2xx, 1 3xx, 2 4xx, 7 5xx
traffic: 134.96KB (138196) total, 93.75KB (96000) headers (space savings 51.02%), 5.86KB (6000) data
                     min         max         mean         sd        +/- sd
time for request:       19us       1.64ms       211us        69us    83.20%
time for connect:     4.99ms      5.99ms      5.63ms       443us    75.00%
time to 1st byte:     5.66ms      6.34ms      6.06ms       285us    75.00%
req/s           :   24919.22    27032.33    25932.46      903.93    50.00%
`;

test('parseH2load reads the rate, counts, request times and the negotiated protocol', () => {
  const r = parseH2load(sample);
  assert.equal(r.requestsPerSec, 98362.27);
  assert.ok(Math.abs(r.seconds - 0.02033) < 1e-9);
  assert.equal(r.requests, 2000);
  assert.equal(r.succeeded, 1990);
  assert.equal(r.failed, 10);
  assert.equal(r.non2xx, 10);
  assert.ok(Math.abs(r.meanMs - 0.211) < 1e-9);
  assert.ok(Math.abs(r.maxMs - 1.64) < 1e-9);
  assert.equal(r.protocol, 'h2');
  assert.equal(r.tls, 'TLSv1.3 TLS_AES_128_GCM_SHA256');
});

test('parseH2load says what is missing', () => {
  assert.throws(() => parseH2load('connect error\n'), /no "finished in"/);
});

test('h2loadArgs: one thread, clients, streams per client, a request count', () => {
  assert.deepEqual(h2loadArgs({ clients: 10, streams: 20, requests: 5000 }, 'https://127.0.0.1:1/'), ['-t1', '-c10', '-m20', '-n5000', 'https://127.0.0.1:1/']);
});
