/**
 * The scaling service end to end on a manual clock: a simulated group
 * (instances go InService 5 s after launch), per-instance CPU from a load
 * split over the in-service instances with seeded noise, the real alarm
 * service, target tracking policy, warmup accounting and decision log.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeMetrics } from '../../alarms/testing.js';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/log.js';
import { seededRandom } from '../../core/random.js';
import type { ScalingPolicy } from '../../model/scaling.js';
import { createMemoryStore } from '../../store/index.js';
import type { AutoScalingService } from '../asg/service.js';
import { inst, state } from '../asg/testing.js';
import type { Activity, GroupState } from '../asg/types.js';
import { ScalingService, type ScalingGroupConfig } from './service.js';

const START = Date.UTC(2026, 10, 22, 0, 0, 0);

function simulate(o: { load: (t: number) => number; noise: number; desired: number; policy?: Partial<ScalingPolicy>; warmup?: number; min?: number; max?: number }) {
  const clock = new ManualClock(START);
  const store = createMemoryStore(clock);
  const metrics = new FakeMetrics();
  const random = seededRandom(42);
  const g = { state: state({ name: 'app', desiredCapacity: o.desired, minSize: o.min ?? 1, maxSize: o.max ?? 10 }) as GroupState, deleting: false, persist() {} };
  const activities: Activity[] = [];
  const asg = {
    group: (n: string) => (n === 'app' ? g : undefined), poke() {},
    activities: { record: (_s: GroupState, a: { description: string; cause: string }, status: Activity['StatusCode']) => void activities.push({ Description: a.description, Cause: a.cause, StatusCode: status } as Activity) },
  } as unknown as AutoScalingService;
  const policy = { name: 'cpu50', enabled: true, policyType: 'TargetTrackingScaling', estimatedInstanceWarmup: o.warmup ?? 30,
    targetTrackingConfiguration: { targetValue: 50, predefinedMetricType: 'ASGAverageCPUUtilization', disableScaleIn: false, period: 10 }, ...o.policy } as ScalingPolicy;
  const gc: ScalingGroupConfig = { name: 'app', targetGroups: [], defaultCooldown: 300, scalingPolicies: [policy], scheduledActions: [] };
  const svc = new ScalingService({ store, clock, log: silentLogger, metrics: () => metrics, asg: () => asg });
  svc.sync({ alarms: [], groups: [gc] });
  for (let i = 0; i < o.desired; i++) g.state.instances.push(inst({ launchedAt: START - 600_000 }));
  const changes: { at: number; from: number; to: number }[] = [];

  const second = async () => {
    const now = clock.now();
    const s = g.state;
    // the group converges: launch to desired (Pending 5 s), newest leave first
    while (s.instances.length < s.desiredCapacity) s.instances.push(inst({ lifecycleState: 'Pending', launchedAt: now }));
    while (s.instances.length > s.desiredCapacity) s.instances.pop();
    for (const r of s.instances) if (r.lifecycleState === 'Pending' && now - r.launchedAt >= 5000) r.lifecycleState = 'InService';
    const serving = s.instances.filter((r) => r.lifecycleState === 'InService');
    for (const r of serving) {
      const cpu = Math.min(100, (o.load(now - START) / serving.length) * (1 + o.noise * (2 * random.next() - 1)));
      metrics.add('AWS/EC2', 'CPUUtilization', [{ name: 'InstanceId', value: r.instanceId }], now, cpu);
    }
    const before = s.desiredCapacity;
    clock.advance(1000);
    await svc.tick();
    if (s.desiredCapacity !== before) changes.push({ at: clock.now() - START, from: before, to: s.desiredCapacity });
  };
  const run = async (seconds: number) => { for (let i = 0; i < seconds; i++) await second(); };
  return { run, changes, activities, svc, g };
}

/** How many times the direction of change flips (out then in, or in then out). */
function alternations(changes: { from: number; to: number }[]): number {
  let flips = 0;
  for (let i = 1; i < changes.length; i++) if (Math.sign(changes[i]!.to - changes[i]!.from) !== Math.sign(changes[i - 1]!.to - changes[i - 1]!.from)) flips++;
  return flips;
}

describe('target tracking on a simulated group', () => {
  for (const [load, from] of [[100, 2], [150, 3], [200, 4]] as const) {
    it(`a metric noisy by ±5% around the target (load ${load}% over ${from}) settles and never flaps over an hour`, async () => {
      const sim = simulate({ load: () => load, noise: 0.05, desired: from });
      await sim.run(3600);
      // Settling is the one scale-out that a mean at the target calls for (whenever the noise first gives 3 periods above it).
      assert.equal(alternations(sim.changes), 0, `changes: ${JSON.stringify(sim.changes)}`);
      assert.ok(sim.changes.length <= 1 && sim.changes.every((c) => c.to === from + 1), `at most the one scale-out: ${JSON.stringify(sim.changes)}`);
    });
  }

  it('scales out proportionally under load, waits for warmup, then scales in after the load stops', async () => {
    const sim = simulate({ load: (t) => (t < 600_000 ? 330 : 40), noise: 0.02, desired: 2, warmup: 30 });
    await sim.run(600);
    const out = sim.changes.filter((c) => c.to > c.from);
    assert.ok(out.length >= 1);
    assert.equal(out[0]!.to, 4, 'CPU saturates at 100%: ceil(2 × 100 / 50) = 4');
    assert.equal(sim.g.state.desiredCapacity, 7, 'then, warmed up: 4 × 82.5% = 330% in all, ceil(330 / 50) = 7');
    await sim.run(600);
    assert.ok(sim.g.state.desiredCapacity <= 2, `scaled in after the load stopped: desired ${sim.g.state.desiredCapacity}`);
    const explained = sim.svc.decisions.list('app', 100).map((d) => d.cause).join('\n');
    assert.match(explained, /the desired capacity is already 4 \(2 instances still warming up\)/, 'a re-triggered scale-out during warmup says why it adds nothing');
    assert.match(explained, /changing the desired capacity from 7 to \d: average CPU \d+\.\d% \(\d+\.\d% for the whole group\) over 15 datapoints vs target 50%; ceil\(\d+\.\d \/ 45\) = \d/);
  });

  it('preview: what the policy would do now follows its alarms and changes nothing', async () => {
    const sim = simulate({ load: () => 330, noise: 0, desired: 2, warmup: 120 });
    assert.match(sim.svc.preview('app')[0]!.summary, /^nothing now: alarm TargetTracking-app-cpu50-AlarmHigh is INSUFFICIENT_DATA, alarm TargetTracking-app-cpu50-AlarmLow is INSUFFICIENT_DATA$/);
    while (sim.changes.length === 0) await sim.run(1);
    assert.equal(sim.g.state.desiredCapacity, 4);
    const decisions = sim.svc.decisions.list('app', 100).length;
    const now = sim.svc.preview('app')[0]!;
    assert.match(now.alarm ?? '', /AlarmHigh/);
    assert.equal(now.kind, 'none');
    assert.match(now.summary, /^no change: average CPU 100\.0% .*; the desired capacity is already 4/);
    assert.equal(sim.g.state.desiredCapacity, 4, 'a preview is not applied');
    assert.equal(sim.svc.decisions.list('app', 100).length, decisions, 'nor recorded');
    await sim.run(200);
    const later = sim.svc.preview('app')[0]!;
    assert.equal(later.kind, 'none');
    assert.match(later.summary, /^nothing now: alarm \S+AlarmHigh is OK, alarm \S+AlarmLow is OK$/, `after settling: ${later.summary}`);
    assert.deepEqual(sim.svc.preview('nope'), []);
  });

  it('disableScaleIn: no low alarm, no scale-in', async () => {
    const sim = simulate({ load: (t) => (t < 300_000 ? 300 : 10), noise: 0, desired: 2, policy: { targetTrackingConfiguration: { targetValue: 50, predefinedMetricType: 'ASGAverageCPUUtilization', disableScaleIn: true, period: 10 } } as never });
    await sim.run(1200);
    assert.equal(sim.svc.alarms.definitions().length, 1);
    assert.ok(sim.changes.every((c) => c.to > c.from));
  });
});
