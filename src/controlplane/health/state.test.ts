import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HealthCheck, TargetHealth } from '../../model/target-group.js';
import type { ProbeResult } from './probe.js';
import { applyResult, disabledHealth, initialHealth, markSuspect, sameHealth, type HealthState } from './state.js';

const settings: HealthCheck = {
  enabled: true, protocol: 'HTTP', path: '/health', port: 'traffic-port', intervalSeconds: 5,
  timeoutSeconds: 2, healthyThresholdCount: 3, unhealthyThresholdCount: 2, matcher: '200',
};

type Step = 'ok' | '503' | '404' | 'timeout' | 'refused' | 'suspect';

const results: Record<Exclude<Step, 'suspect'>, ProbeResult> = {
  ok: { ok: true, kind: 'ok', statusCode: 200, detail: 'HTTP 200' },
  '503': { ok: false, kind: 'code-mismatch', statusCode: 503, detail: 'HTTP 503' },
  '404': { ok: false, kind: 'code-mismatch', statusCode: 404, detail: 'HTTP 404' },
  timeout: { ok: false, kind: 'timeout', detail: 'no complete response within 2000 ms' },
  refused: { ok: false, kind: 'error', detail: 'connect ECONNREFUSED 127.0.0.1:9001' },
};

const H = { state: 'healthy' } as const;
const INIT = { state: 'initial', reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' } as const;
const MISMATCH_503 = { state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [503]' } as const;
const MISMATCH_404 = { state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]' } as const;
const TIMEOUT = { state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' } as const;
const FAILED = { state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: 'Health checks failed' } as const;
const SUSPECT = { state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: 'Connection refused by target' } as const;

function run(steps: Step[], start: HealthState = initialHealth(0), s: HealthCheck = settings): TargetHealth[] {
  let state = start;
  return steps.map((step, i) => {
    state = step === 'suspect' ? markSuspect(state, i + 1, 'Connection refused by target') : applyResult(state, results[step], s, i + 1);
    return state.health;
  });
}

describe('target health state machine (healthy 3, unhealthy 2)', () => {
  const cases: Array<{ desc: string; steps: Step[]; want: TargetHealth[] }> = [
    { desc: 'a new target is healthy after one passing check', steps: ['ok'], want: [H] },
    { desc: 'a new target stays initial through one failure, then passes', steps: ['503', 'ok'], want: [INIT, H] },
    { desc: 'a new target is unhealthy after unhealthyThresholdCount failures', steps: ['503', '503'], want: [INIT, MISMATCH_503] },
    { desc: 'the reason is the failure that tipped it', steps: ['503', 'timeout'], want: [INIT, TIMEOUT] },
    { desc: 'a refused connection is Target.FailedHealthChecks', steps: ['refused', 'refused'], want: [INIT, FAILED] },
    { desc: 'healthy survives fewer failures than the threshold', steps: ['ok', '503', 'ok', '503'], want: [H, H, H, H] },
    { desc: 'healthy goes unhealthy after consecutive failures', steps: ['ok', 'timeout', 'timeout'], want: [H, H, TIMEOUT] },
    { desc: 'unhealthy follows the latest failure reason', steps: ['503', '503', '404', 'refused'], want: [INIT, MISMATCH_503, MISMATCH_404, FAILED] },
    {
      desc: 'unhealthy needs healthyThresholdCount consecutive passes',
      steps: ['503', '503', 'ok', 'ok', 'ok'],
      want: [INIT, MISMATCH_503, MISMATCH_503, MISMATCH_503, H],
    },
    {
      desc: 'a failure restarts the recovery count',
      steps: ['503', '503', 'ok', 'ok', '503', 'ok', 'ok', 'ok'],
      want: [INIT, MISMATCH_503, MISMATCH_503, MISMATCH_503, MISMATCH_503, MISMATCH_503, MISMATCH_503, H],
    },
    { desc: 'a suspect report takes a healthy target out at once', steps: ['ok', 'suspect'], want: [H, SUSPECT] },
    {
      desc: 'after a suspect report, healthyThresholdCount passes bring it back',
      steps: ['ok', 'suspect', 'ok', 'ok', 'ok'],
      want: [H, SUSPECT, SUSPECT, SUSPECT, H],
    },
    {
      desc: 'a suspect report restarts an unhealthy target\'s recovery count',
      steps: ['503', '503', 'ok', 'ok', 'suspect', 'ok', 'ok', 'ok'],
      want: [INIT, MISMATCH_503, MISMATCH_503, MISMATCH_503, MISMATCH_503, MISMATCH_503, MISMATCH_503, H],
    },
    { desc: 'a suspect report leaves an initial target to its checks', steps: ['suspect', 'ok'], want: [INIT, H] },
  ];
  for (const c of cases) {
    it(c.desc, () => assert.deepEqual(run(c.steps), c.want));
  }
});

describe('health checks disabled', () => {
  const off = { ...settings, enabled: false };
  const UNAVAILABLE = { state: 'unavailable', reason: 'Target.HealthCheckDisabled', description: 'Health checks are disabled' };

  it('a target with checks disabled is unavailable', () => {
    assert.deepEqual(disabledHealth(0).health, UNAVAILABLE);
  });
  it('a result under disabled settings makes it unavailable', () => {
    assert.deepEqual(run(['ok', 'ok'], initialHealth(0), off), [UNAVAILABLE, UNAVAILABLE]);
  });
  it('re-enabled checks start again from initial', () => {
    assert.deepEqual(run(['503', 'ok'], disabledHealth(0)), [INIT, H]);
  });
  it('a suspect report does not change an unavailable target', () => {
    const s = disabledHealth(0);
    assert.equal(markSuspect(s, 1, 'refused'), s);
  });
});

describe('state bookkeeping', () => {
  it('records when the state changed and when it was last checked', () => {
    let s = initialHealth(100);
    s = applyResult(s, results['503'], settings, 200);
    assert.deepEqual([s.since, s.checkedAt, s.failures, s.lastDetail], [100, 200, 1, 'HTTP 503']);
    s = applyResult(s, results['503'], settings, 300);
    assert.deepEqual([s.health.state, s.since, s.failures], ['unhealthy', 300, 2]);
  });
  it('sameHealth compares what DescribeTargetHealth shows', () => {
    assert.equal(sameHealth(MISMATCH_503, { ...MISMATCH_503 }), true);
    assert.equal(sameHealth(MISMATCH_503, MISMATCH_404), false);
    assert.equal(sameHealth(H, INIT), false);
  });
});
