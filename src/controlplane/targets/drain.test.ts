import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDrain, type DrainEntry, type WorkerReport } from './drain.js';

const entry: DrainEntry = { group: 'app', key: '127.0.0.1:9001', sinceVersion: 5, startedAt: 1000, deadline: 31_000 };

const cases: { description: string; reports: WorkerReport[]; now: number; expect: string | null }[] = [
  { description: 'no worker has reported yet: keep draining', reports: [], now: 2000, expect: null },
  {
    description: 'a report from before the drain started is stale, even with zero in flight',
    reports: [{ version: 4, inflight: {} }],
    now: 2000,
    expect: null,
  },
  {
    description: 'a fresh report still counting requests keeps it',
    reports: [{ version: 5, inflight: { '127.0.0.1:9001': 2 } }],
    now: 2000,
    expect: null,
  },
  {
    description: 'every worker fresh and idle for it: remove at once',
    reports: [
      { version: 5, inflight: {} },
      { version: 6, inflight: { '127.0.0.1:9002': 3 } },
    ],
    now: 2000,
    expect: 'no in-flight requests remain',
  },
  {
    description: 'one worker fresh and busy, another idle: keep',
    reports: [
      { version: 6, inflight: {} },
      { version: 6, inflight: { '127.0.0.1:9001': 1 } },
    ],
    now: 2000,
    expect: null,
  },
  {
    description: 'one worker still on an older snapshot: keep',
    reports: [
      { version: 6, inflight: {} },
      { version: 3, inflight: {} },
    ],
    now: 2000,
    expect: null,
  },
  {
    description: 'the delay ran out with requests still in flight: remove anyway',
    reports: [{ version: 6, inflight: { '127.0.0.1:9001': 1 } }],
    now: 31_000,
    expect: 'deregistration delay of 30s expired',
  },
];

for (const c of cases) {
  test(`planDrain: ${c.description}`, () => {
    const actions = planDrain([entry], c.reports, c.now);
    if (c.expect === null) assert.deepEqual(actions, []);
    else assert.deepEqual(actions, [{ type: 'remove', group: 'app', key: entry.key, reason: c.expect }]);
  });
}
