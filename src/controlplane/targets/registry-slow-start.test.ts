/**
 * Slow start in the target half of the snapshot: a TargetRegistry over a real
 * HealthChecker with a scripted probe and a ManualClock (no sockets, no sleeping).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/log.js';
import { NO_STICKINESS, type Target, type TargetGroup } from '../../model/target-group.js';
import { HealthChecker } from '../health/checker.js';
import type { ProbeFn } from '../health/probe.js';
import { TargetRegistry } from './registry.js';

const T0 = 1_700_000_000_000;
const A: Target = { id: '10.0.0.1', port: 80 };
const B: Target = { id: '10.0.0.2', port: 80 };
const C: Target = { id: '10.0.0.3', port: 80 };

function group(slowStartSeconds: number): TargetGroup {
  return {
    name: 'app', protocol: 'HTTP', port: 80, targets: [],
    healthCheck: {
      enabled: true, protocol: 'HTTP', path: '/', port: 'traffic-port', intervalSeconds: 5,
      timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2, matcher: '200',
    },
    attributes: { deregistrationDelaySeconds: 0, algorithm: 'round_robin', slowStartSeconds, anomalyMitigation: false, stickiness: { ...NO_STICKINESS } },
  };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup() {
  const clock = new ManualClock(T0);
  const probe: ProbeFn = () => Promise.resolve({ ok: true, kind: 'ok', statusCode: 200, detail: 'HTTP 200' });
  const checker = new HealthChecker({ clock, probe, onChange: () => {} });
  const registry = new TargetRegistry({ clock, checker, log: silentLogger, onChange: () => {} });
  /** Advances in 1 s steps, letting probe results land; takes a snapshot after each step (as publishes do). */
  const run = async (seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      await flush();
      clock.advance(1000);
      await flush();
      registry.snapshot();
    }
  };
  /** key -> [seconds since T0 the window starts, its length in s], for targets in slow start. */
  const ramps = () => {
    const out: Record<string, [number, number]> = {};
    for (const t of registry.snapshot().app!.targets) {
      if (t.slowStart) out[t.key] = [(t.slowStart.startedAt - T0) / 1000, (t.slowStart.endsAt - t.slowStart.startedAt) / 1000];
    }
    return out;
  };
  const sync = (g: TargetGroup, targets: Target[]) => registry.sync([g], new Map([['app', targets]]));
  return { clock, checker, registry, run, ramps, sync };
}

describe('TargetRegistry: slow start in snapshots', () => {
  it('the targets of the loaded config get full shares; one registered later ramps for slowStartSeconds', async () => {
    const s = setup();
    s.sync(group(30), [A, B]);
    await s.run(1);
    assert.deepEqual(s.ramps(), {}, 'static targets of the config: one registration into an empty group');
    s.sync(group(30), [A, B, C]); // registered at t=1 s, first check right away
    await s.run(1);
    assert.deepEqual(s.ramps(), { '10.0.0.3:80': [1, 30] });
    await s.run(28);
    assert.deepEqual(s.ramps(), { '10.0.0.3:80': [1, 30] }, 'still ramping at t=30 s');
    await s.run(1);
    assert.deepEqual(s.ramps(), {}, 'the window ended at t=31 s');
  });

  it('a target that becomes unhealthy leaves slow start, and enters it again when healthy', async () => {
    const s = setup();
    s.sync(group(30), [A]);
    await s.run(1);
    s.sync(group(30), [A, B]);
    await s.run(1);
    assert.deepEqual(s.ramps(), { '10.0.0.2:80': [1, 30] });
    s.checker.markSuspect('app', '10.0.0.2:80', 'Connection to target failed (ECONNREFUSED)');
    assert.deepEqual(s.ramps(), {});
    // B is checked at t=1, 6, 11 s...: healthyThresholdCount (2) passes after the failure make it healthy at t=11 s.
    await s.run(10);
    assert.deepEqual(s.ramps(), { '10.0.0.2:80': [11, 30] });
  });

  it('a target healthy before slow start is turned on does not enter it; deregistered and back, it does', async () => {
    const s = setup();
    s.sync(group(0), [A]);
    await s.run(1);
    s.sync(group(0), [A, B]);
    await s.run(1);
    s.sync(group(60), [A, B]);
    await s.run(1);
    assert.deepEqual(s.ramps(), {});
    s.sync(group(60), [A]);
    await s.run(1);
    s.sync(group(60), [A, B]); // registered again at t=4 s
    await s.run(1);
    assert.deepEqual(s.ramps(), { '10.0.0.2:80': [4, 60] });
  });

  it('least_outstanding_requests never ramps (ALB does not allow both; the config rejects it)', async () => {
    const s = setup();
    const lor = group(30);
    lor.attributes.algorithm = 'least_outstanding_requests';
    s.sync(lor, [A]);
    await s.run(1);
    s.sync(lor, [A, B]);
    await s.run(1);
    assert.deepEqual(s.ramps(), {});
  });
});
