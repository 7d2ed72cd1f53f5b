/**
 * HealthChecker with a ManualClock and a scripted probe: no sockets, no sleeping.
 * Probe results resolve as promises, so each step advances the clock and then
 * lets pending promise callbacks run (flush).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.js';
import { ShoalError } from '../../core/errors.js';
import { seededRandom } from '../../core/random.js';
import type { HealthCheck, Target, TargetHealth } from '../../model/target-group.js';
import { HealthChecker } from './checker.js';
import type { ProbeFn, ProbeRequest, ProbeResult } from './probe.js';

type Step = 'ok' | '503' | 'refused' | 'hang' | 'throw' | 'manual';

const RESULTS: Record<'ok' | '503' | 'refused', ProbeResult> = {
  ok: { ok: true, kind: 'ok', statusCode: 200, detail: 'HTTP 200' },
  '503': { ok: false, kind: 'code-mismatch', statusCode: 503, detail: 'HTTP 503' },
  refused: { ok: false, kind: 'error', detail: 'connect ECONNREFUSED' },
};

/**
 * A per-target script of results, keyed "host:port"; the last step repeats.
 * 'hang' never settles; 'manual' hands the resolver to the test.
 */
function scripted(script: Record<string, Step[]>) {
  const calls: ProbeRequest[] = [];
  const resolvers: Array<(r: ProbeResult) => void> = [];
  const seen = new Map<string, number>();
  const probe: ProbeFn = (req) => {
    calls.push(req);
    const key = `${req.host}:${req.port}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const steps = script[key] ?? ['ok'];
    const step = steps[Math.min(n, steps.length - 1)]!;
    if (step === 'hang') return new Promise(() => {});
    if (step === 'throw') throw new Error('probe bug');
    if (step === 'manual') return new Promise((resolve) => resolvers.push(resolve));
    return Promise.resolve(RESULTS[step]);
  };
  return { probe, calls, resolvers, callsTo: (key: string) => calls.filter((c) => `${c.host}:${c.port}` === key).length };
}

const settings: HealthCheck = {
  enabled: true, protocol: 'HTTP', path: '/health', port: 'traffic-port', intervalSeconds: 5,
  timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2, matcher: '200',
};
const A: Target = { id: '10.0.0.1', port: 80 };
const B: Target = { id: '10.0.0.2', port: 80 };
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(script: Record<string, Step[]> = {}, extra: { random?: boolean } = {}) {
  const clock = new ManualClock(0);
  const fake = scripted(script);
  const events: Array<[string, string, TargetHealth['state'], string | undefined]> = [];
  const checker = new HealthChecker({
    clock,
    probe: fake.probe,
    onChange: (group, key, h) => events.push([group, key, h.state, h.reason]),
    random: extra.random ? seededRandom(3) : undefined,
  });
  /** Advances `ms` in steps of at most 1 s, letting probe results land between steps. */
  const run = async (ms: number) => {
    await flush();
    for (let left = ms; left > 0; left -= 1000) {
      clock.advance(Math.min(1000, left));
      await flush();
    }
  };
  return { clock, fake, events, checker, run };
}

describe('HealthChecker: probing', () => {
  const cases: Array<{ desc: string; script: Step[]; ms: number; probes: number; state: string; reason?: string }> = [
    { desc: 'probes a new target right away: one pass makes it healthy', script: ['ok'], ms: 0, probes: 1, state: 'healthy' },
    { desc: 'probes every intervalSeconds', script: ['ok'], ms: 15_000, probes: 4, state: 'healthy' },
    { desc: 'a 503 twice makes a new target unhealthy', script: ['503'], ms: 5_000, probes: 2, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch' },
    { desc: 'a refused connection twice is Target.FailedHealthChecks', script: ['refused'], ms: 5_000, probes: 2, state: 'unhealthy', reason: 'Target.FailedHealthChecks' },
    { desc: 'a probe that never settles counts as Target.Timeout', script: ['hang'], ms: 7_000, probes: 2, state: 'unhealthy', reason: 'Target.Timeout' },
    { desc: 'one timeout is not enough', script: ['hang'], ms: 2_000, probes: 1, state: 'initial', reason: 'Elb.InitialHealthChecking' },
    { desc: 'a probe that throws counts as a failure', script: ['throw'], ms: 5_000, probes: 2, state: 'unhealthy', reason: 'Target.FailedHealthChecks' },
    { desc: 'an unhealthy target comes back after healthyThresholdCount passes', script: ['503', '503', 'ok', 'ok'], ms: 15_000, probes: 4, state: 'healthy' },
  ];
  for (const c of cases) {
    it(c.desc, async () => {
      const { checker, fake, run } = setup({ '10.0.0.1:80': c.script });
      checker.setGroup('app', settings, [A]);
      await run(c.ms);
      const h = checker.health('app', '10.0.0.1:80');
      assert.equal(fake.calls.length, c.probes);
      assert.deepEqual([h.state, h.reason], [c.state, c.reason]);
      checker.stop();
    });
  }

  it('sends the group\'s path, timeout and the traffic port, or the configured port', async () => {
    const { checker, fake, run } = setup();
    checker.setGroup('app', settings, [{ id: '10.0.0.1', port: 4000 }]);
    checker.setGroup('admin', { ...settings, port: 8081, path: '/ping', timeoutSeconds: 3 }, [A]);
    await run(0);
    assert.deepEqual(fake.calls.map((c) => [c.host, c.port, c.path, c.timeoutMs]), [
      ['10.0.0.1', 4000, '/health', 2000],
      ['10.0.0.1', 8081, '/ping', 3000],
    ]);
    assert.equal(fake.calls[0]!.matches(200), true);
    assert.equal(checker.describe('admin')[0]!.healthCheckPort, '8081');
    checker.stop();
  });

  it('keeps at most one probe in flight per target', async () => {
    const { checker, fake, run } = setup({ '10.0.0.1:80': ['manual'] });
    checker.setGroup('app', { ...settings, timeoutSeconds: 12 }, [A]); // longer than the interval
    await run(10_000);
    assert.equal(fake.calls.length, 1, 'no second probe while the first is pending');
    fake.resolvers[0]!(RESULTS.ok);
    await run(5_000);
    assert.equal(fake.calls.length, 2, 'probing resumes on the next interval');
    checker.stop();
  });

  it('spreads first probes when given a random source', async () => {
    const { checker, fake, run } = setup({}, { random: true });
    checker.setGroup('app', settings, [A, B, { id: '10.0.0.3', port: 80 }]);
    assert.equal(fake.calls.length, 0, 'nothing probed synchronously');
    await run(1000);
    assert.equal(fake.calls.length, 3, 'all probed within the first second');
    checker.stop();
  });
});

describe('HealthChecker: onChange', () => {
  it('fires only when the reported health changes', async () => {
    const { checker, events, run } = setup({ '10.0.0.1:80': ['ok', 'ok', '503', '503', '503', 'refused', 'ok', 'ok', 'ok'] });
    checker.setGroup('app', settings, [A]);
    await run(40_000);
    assert.deepEqual(events, [
      ['app', '10.0.0.1:80', 'healthy', undefined],
      ['app', '10.0.0.1:80', 'unhealthy', 'Target.ResponseCodeMismatch'],
      ['app', '10.0.0.1:80', 'unhealthy', 'Target.FailedHealthChecks'], // the reason follows the latest failure
      ['app', '10.0.0.1:80', 'healthy', undefined],
    ]);
    checker.stop();
  });

  it('keeps going when the handler throws', async () => {
    const clock = new ManualClock(0);
    let calls = 0;
    const checker = new HealthChecker({ clock, probe: scripted({}).probe, onChange: () => { calls++; throw new Error('boom'); } });
    checker.setGroup('app', settings, [A, B]);
    await flush();
    assert.equal(calls, 2);
    checker.stop();
  });
});

describe('HealthChecker: group changes', () => {
  it('keeps the health of targets that stay, drops removed ones, starts new ones initial', async () => {
    const { checker, fake, run, clock } = setup();
    checker.setGroup('app', settings, [A]);
    await run(0);
    checker.setGroup('app', { ...settings, intervalSeconds: 10, matcher: '200-299' }, [A, B]);
    assert.equal(checker.health('app', '10.0.0.1:80').state, 'healthy');
    assert.equal(checker.health('app', '10.0.0.2:80').state, 'initial');
    await run(0);
    assert.equal(checker.health('app', '10.0.0.2:80').state, 'healthy', 'a new target is probed right away');
    checker.setGroup('app', settings, [B]);
    assert.deepEqual(checker.health('app', '10.0.0.1:80'), { state: 'unused', reason: 'Target.NotRegistered', description: 'Target is not registered to the target group' });
    const before = fake.callsTo('10.0.0.1:80');
    await run(30_000);
    assert.equal(fake.callsTo('10.0.0.1:80'), before, 'a removed target is no longer probed');
    checker.stop();
    assert.equal(clock.pending(), 0);
  });

  it('uses a new interval for targets that stay', async () => {
    const { checker, fake, run } = setup();
    checker.setGroup('app', settings, [A]);
    await run(0);
    checker.setGroup('app', { ...settings, intervalSeconds: 30 }, [A]);
    await run(29_000);
    assert.equal(fake.calls.length, 1);
    await run(1_000);
    assert.equal(fake.calls.length, 2);
    checker.stop();
  });

  it('ignores the result of a probe whose target was removed meanwhile', async () => {
    const { checker, fake, events, run } = setup({ '10.0.0.1:80': ['manual'] });
    checker.setGroup('app', settings, [A]);
    checker.setGroup('app', settings, []);
    checker.setGroup('app', settings, [A]); // back, as a new registration
    fake.resolvers[0]!(RESULTS['503']);
    await run(0);
    assert.deepEqual(events, []);
    assert.equal(checker.health('app', '10.0.0.1:80').state, 'initial');
    checker.stop();
  });

  it('disabling checks makes targets unavailable and stops probing; enabling starts over', async () => {
    const { checker, fake, events, run } = setup();
    checker.setGroup('app', settings, [A]);
    await run(0);
    checker.setGroup('app', { ...settings, enabled: false }, [A, B]);
    assert.deepEqual(checker.describe('app').map((d) => [d.target.id, d.targetHealth.state, d.targetHealth.reason]), [
      ['10.0.0.1', 'unavailable', 'Target.HealthCheckDisabled'],
      ['10.0.0.2', 'unavailable', 'Target.HealthCheckDisabled'],
    ]);
    const probes = fake.calls.length;
    await run(20_000);
    assert.equal(fake.calls.length, probes);
    checker.setGroup('app', settings, [A, B]);
    await run(0);
    assert.equal(fake.calls.length, probes + 2, 'probed right away when re-enabled');
    // B joined while checks were disabled: no event for its registration, one when it left unavailable.
    assert.deepEqual(events.map((e) => `${e[1]} ${e[2]}`), [
      '10.0.0.1:80 healthy',
      '10.0.0.1:80 unavailable',
      '10.0.0.1:80 initial',
      '10.0.0.2:80 initial',
      '10.0.0.1:80 healthy',
      '10.0.0.2:80 healthy',
    ]);
    checker.stop();
  });

  it('rejects a bad matcher and leaves the group as it was', async () => {
    const { checker, run } = setup();
    checker.setGroup('app', settings, [A]);
    await run(0);
    assert.throws(() => checker.setGroup('app', { ...settings, matcher: '600' }, []), ShoalError);
    assert.equal(checker.health('app', '10.0.0.1:80').state, 'healthy');
    checker.stop();
  });

  it('removeGroup and stop cancel every timer', async () => {
    const { checker, clock, run } = setup({ '10.0.0.1:80': ['hang'] });
    checker.setGroup('a', settings, [A]);
    checker.setGroup('b', settings, [A, B]);
    await run(1000);
    checker.removeGroup('a');
    assert.equal(checker.describe('a').length, 0);
    checker.stop();
    assert.equal(clock.pending(), 0);
  });
});

describe('HealthChecker: markSuspect', () => {
  it('takes a healthy target out of every group holding it; passes bring it back', async () => {
    const { checker, events, run } = setup();
    checker.setGroup('a', settings, [A]);
    checker.setGroup('b', settings, [A, B]);
    await run(0);
    events.length = 0;
    assert.equal(checker.markSuspect(undefined, '10.0.0.1:80', 'Connection refused by target'), true);
    assert.deepEqual(events, [
      ['a', '10.0.0.1:80', 'unhealthy', 'Target.FailedHealthChecks'],
      ['b', '10.0.0.1:80', 'unhealthy', 'Target.FailedHealthChecks'],
    ]);
    assert.equal(checker.health('b', '10.0.0.1:80').description, 'Connection refused by target');
    assert.equal(checker.health('b', '10.0.0.2:80').state, 'healthy');
    await run(5_000);
    assert.equal(checker.health('a', '10.0.0.1:80').state, 'unhealthy', 'one pass is not enough');
    await run(5_000);
    assert.equal(checker.health('a', '10.0.0.1:80').state, 'healthy', 'healthyThresholdCount passes are');
    checker.stop();
  });

  const cases = [
    { desc: 'only the named group', group: 'a', changed: true, a: 'unhealthy', b: 'healthy' },
    { desc: 'an unknown group', group: 'zzz', changed: false, a: 'healthy', b: 'healthy' },
  ];
  for (const c of cases) {
    it(`with a group given, touches ${c.desc}`, async () => {
      const { checker, run } = setup();
      checker.setGroup('a', settings, [A]);
      checker.setGroup('b', settings, [A]);
      await run(0);
      assert.equal(checker.markSuspect(c.group, '10.0.0.1:80', 'Connection reset by target'), c.changed);
      assert.deepEqual([checker.health('a', '10.0.0.1:80').state, checker.health('b', '10.0.0.1:80').state], [c.a, c.b]);
      checker.stop();
    });
  }
});
