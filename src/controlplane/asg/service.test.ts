/**
 * The controller with a scripted fake provider, a fake target-group side and a
 * manual clock: whole passes, no sleeping.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/log.js';
import { seededRandom } from '../../core/random.js';
import type { AutoScalingGroup, LaunchTemplate } from '../../model/auto-scaling.js';
import type { Target, TargetHealthState } from '../../model/target-group.js';
import { FakeProvider, FakeWorld } from '../../providers/fake/index.js';
import { createMemoryStore, type Store } from '../../store/index.js';
import type { TargetGroups } from './deps.js';
import * as ops from './ops.js';
import { AutoScalingService } from './service.js';

class FakeTargets {
  readonly registered = new Map<string, Target>();
  readonly health = new Map<string, TargetHealthState>();
  readonly draining = new Set<string>();
  /** Registrations and deregistrations in order, "+group id:port" / "-group id:port". */
  readonly log: string[] = [];
  register(g: string, ts: Target[]) {
    for (const t of ts) { this.registered.set(`${t.id}:${t.port}`, t); this.log.push(`+${g} ${t.id}:${t.port}`); }
  }
  deregister(g: string, ts: Pick<Target, 'id' | 'port'>[]) {
    for (const t of ts) { this.registered.delete(`${t.id}:${t.port}`); this.draining.add(`${t.id}:${t.port}`); this.log.push(`-${g} ${t.id}:${t.port}`); }
  }
  healthOf = (g: string) => [...this.registered.values()].map((t) => ({
    target: t, healthCheckPort: String(t.port), targetHealth: { state: this.health.get(`${t.id}:${t.port}`) ?? 'healthy' },
  }));
  draining_ = (_g: string, t: Pick<Target, 'id' | 'port'>) => this.draining.has(`${t.id}:${t.port}`);
  deregistrationDelaySeconds() { return 30; }
  port() { return 8080; }
  registrations() { return [...this.registered.values()].map((t) => ({ ...t, source: 'asg:web' })); }
}

const imageDir = mkdtempSync(join(tmpdir(), 'shoal-image-'));
const template: LaunchTemplate = { name: 'lt', defaultVersion: 1, versions: [{ imageId: imageDir, instanceType: 't3.micro', userData: '', environment: {}, tags: {} }] };
const group = (o: Partial<AutoScalingGroup> = {}): AutoScalingGroup => ({
  name: 'web', launchTemplate: { name: 'lt', version: '$Latest' }, minSize: 1, maxSize: 8, desiredCapacity: 2,
  availabilityZones: ['a', 'b'], targetGroups: ['tg'], healthCheckType: 'ELB', healthCheckGracePeriod: 10, defaultCooldown: 300,
  terminationPolicies: ['Default'], newInstancesProtectedFromScaleIn: false, scalingPolicies: [], lifecycleHooks: [], instanceStopTimeoutSeconds: 30, ...o,
});

function setup(o: { world?: FakeWorld; store?: Store; clock?: ManualClock; targets?: FakeTargets; spec?: Partial<AutoScalingGroup> } = {}) {
  const clock = o.clock ?? new ManualClock(Date.UTC(2026, 10, 22));
  const store = o.store ?? createMemoryStore(clock);
  const provider = new FakeProvider({ clock, ...(o.world ? { world: o.world } : {}) });
  const t = o.targets ?? new FakeTargets();
  const targets: TargetGroups = {
    register: (g, ts) => t.register(g, ts), deregister: (g, ts) => t.deregister(g, ts), health: (g) => t.healthOf(g),
    draining: (g, x) => t.draining_(g, x), deregistrationDelaySeconds: () => 30, port: () => 8080, registrations: () => t.registrations(),
  };
  const svc = new AutoScalingService({ store, clock, random: seededRandom(1), log: silentLogger, stateDir: imageDir, provider, targets });
  svc.sync({ launchTemplates: [template], autoScalingGroups: [group(o.spec)] });
  return { clock, store, provider, svc, t, g: () => svc.group('web')!.state };
}

describe('AutoScalingService with the fake provider', () => {
  it('launches desired capacity across zones, registers them, and puts them in service', async () => {
    const { svc, g, t } = setup();
    await svc.pass();
    assert.deepEqual(g().instances.map((r) => r.availabilityZone), ['a', 'b']);
    await svc.pass();
    assert.deepEqual(g().instances.map((r) => r.lifecycleState), ['InService', 'InService']);
    assert.equal(t.registered.size, 2);
    const acts = svc.activities.list(g());
    assert.equal(acts.length, 2);
    assert.match(acts[0]!.Cause, /a user request created an AutoScalingGroup changing the desired capacity from 0 to 2\. At .* an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 2\./);
  });

  it('a pass that changes nothing writes nothing: the store version moves only on a change (the console\'s live events)', async () => {
    const { svc, store } = setup();
    for (let i = 0; i < 4; i++) await svc.pass();
    const settled = store.version();
    for (let i = 0; i < 3; i++) await svc.pass();
    assert.equal(store.version(), settled);
    ops.setDesiredCapacity(svc, 'web', 3);
    assert.ok(store.version() > settled);
  });

  it('launches in growing batches (1, 2, 4) that stop at the first failure', async () => {
    const { svc, g, provider } = setup({ spec: { desiredCapacity: 8 } });
    provider.failLaunch(3);
    await svc.pass();
    // batch 1: launch 1 ok; batch 2: launches 2 and 3 (3 fails); the batch of 4 never starts.
    assert.equal(provider.world.launchAttempts, 3);
    assert.equal(g().instances.length, 2);
    const failed = svc.activities.list(g()).find((a) => a.StatusCode === 'Failed')!;
    assert.match(failed.Description, /^Launching a new EC2 instance\.  Status Reason: Insufficient capacity/);
  });

  it('set-desired-capacity validates as AWS does', () => {
    const { svc } = setup();
    assert.throws(() => ops.setDesiredCapacity(svc, 'web', 9), /^ValidationError|New SetDesiredCapacity value 9 is above max value 8 for the AutoScalingGroup\.$/);
    assert.throws(() => ops.setDesiredCapacity(svc, 'web', 0), /New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup\./);
    assert.throws(() => ops.setDesiredCapacity(svc, 'nope', 1), /AutoScalingGroup nope not found/);
  });

  it('scale-in deregisters first, waits for the drain, then terminates', async () => {
    const { svc, g, t, provider, clock } = setup();
    await svc.pass();
    await svc.pass();
    ops.setDesiredCapacity(svc, 'web', 1);
    await svc.pass();
    const victim = g().instances.find((r) => r.terminating)!;
    assert.equal(victim.lifecycleState, 'Terminating');
    assert.equal(t.registered.size, 1);
    await svc.pass();
    assert.equal(provider.world.calls.filter((c) => c.op === 'terminate').length, 0, 'still draining');
    t.draining.clear();
    clock.advance(1000);
    await svc.pass();
    await svc.group('web')!.exec.settle();
    assert.deepEqual(provider.world.calls.filter((c) => c.op === 'terminate').map((c) => c.instanceId), [victim.instanceId]);
    assert.equal(g().instances.length, 1);
    const act = svc.activities.list(g()).find((a) => a.Description === `Terminating EC2 instance: ${victim.instanceId}`)!;
    assert.equal(act.StatusCode, 'Successful');
    assert.match(act.Cause, /a user request explicitly set group desired capacity changing the desired capacity from 2 to 1\. .*shrinking the capacity from 2 to 1/);
  });

  it('a restarted controller adopts live instances and replaces those that died meanwhile, saying so', async () => {
    const first = setup();
    await first.svc.pass();
    await first.svc.pass();
    const [a, b] = first.g().instances.map((r) => r.instanceId);
    first.provider.crash(b!, 'Instance process exited while shoal was down');
    const second = setup({ world: first.provider.world, store: first.store, clock: first.clock, targets: first.t });
    await second.svc.pass();
    const ids = second.g().instances.map((r) => r.instanceId);
    assert.ok(ids.includes(a!));
    assert.equal(second.provider.world.launchAttempts, 3, 'one replacement, no relaunch of the live one');
    const term = second.svc.activities.list(second.g()).find((x) => x.Description === `Terminating EC2 instance: ${b}`)!;
    assert.match(term.Cause, /EC2 health check indicating it has been terminated or stopped/);
    assert.equal(term.Details?.Reason, 'unhealthy: Instance process exited while shoal was down');
  });

  it('an impaired zone: its instance fails the status check after grace, is replaced in the other zone, and the share moves back when the zone returns', async () => {
    const { svc, g, t, provider, clock } = setup();
    await svc.pass();
    await svc.pass();
    const inB = g().instances.find((r) => r.availabilityZone === 'b')!;
    provider.impairZone('b', 'Docker engine unix:///b.sock is not answering');
    clock.advance(11_000); // past the 10 s grace period
    await svc.pass();
    const zones = () => g().instances.filter((r) => !r.terminating).map((r) => r.availabilityZone).sort();
    assert.ok(g().instances.find((r) => r.instanceId === inB.instanceId)?.terminating, 'the impaired instance is being replaced');
    assert.deepEqual(zones(), ['a', 'a']);
    const term = svc.activities.list(g()).find((x) => x.Description === `Terminating EC2 instance: ${inB.instanceId}`)!;
    assert.equal(term.Details?.Reason, 'unhealthy: Docker engine unix:///b.sock is not answering');
    t.draining.clear();
    clock.advance(1000);
    await svc.pass();
    await svc.group('web')!.exec.settle();
    await svc.pass();
    assert.deepEqual(zones(), ['a', 'a'], 'no AZRebalance while b is impaired');
    provider.restoreZone('b');
    await svc.pass();
    assert.deepEqual(zones(), ['a', 'a', 'b'], 'AZRebalance launches in b first');
    await svc.pass();
    assert.deepEqual(zones(), ['a', 'b'], 'then scales in from a');
  });

  it('terminate-instance with decrement lowers desired; without, a replacement is launched', async () => {
    const { svc, g, provider } = setup({ spec: { minSize: 0 } });
    await svc.pass();
    await svc.pass();
    const [a, b] = g().instances.map((r) => r.instanceId);
    ops.terminateInstance(svc, a!, true);
    assert.equal(g().desiredCapacity, 1);
    ops.terminateInstance(svc, b!, false);
    await svc.pass();
    assert.equal(provider.world.launchAttempts, 3);
  });

  it('standby: out of rotation and not counted; exit brings it back', async () => {
    const { svc, g, t } = setup();
    await svc.pass();
    await svc.pass();
    const [a] = g().instances.map((r) => r.instanceId);
    ops.enterStandby(svc, 'web', [a!], true);
    assert.equal(g().desiredCapacity, 1);
    assert.equal(t.registered.size, 1);
    await svc.pass();
    assert.equal(g().instances.length, 2, 'no replacement with decrement');
    ops.exitStandby(svc, 'web', [a!]);
    await svc.pass();
    assert.equal(g().desiredCapacity, 2);
    assert.equal(svc.group('web')!.find(a!)!.lifecycleState, 'InService');
    assert.equal(t.registered.size, 2);
  });

  it('lifecycle hook on launch: Pending:Wait until complete-lifecycle-action CONTINUE', async () => {
    const hooks = [{ name: 'warm', lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', heartbeatTimeout: 60, defaultResult: 'ABANDON' }];
    const { svc, g } = setup({ spec: { desiredCapacity: 1, lifecycleHooks: hooks } as Partial<AutoScalingGroup> });
    await svc.pass();
    await svc.pass();
    const r = g().instances[0]!;
    assert.equal(r.lifecycleState, 'Pending:Wait');
    ops.completeLifecycleAction(svc, { group: 'web', hook: 'warm', instanceId: r.instanceId, result: 'CONTINUE' });
    await svc.pass();
    await svc.pass();
    assert.equal(svc.group('web')!.find(r.instanceId)!.lifecycleState, 'InService');
  });

  it('lifecycle hook timeout with ABANDON terminates the instance and launches another', async () => {
    const hooks = [{ name: 'warm', lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', heartbeatTimeout: 60, defaultResult: 'ABANDON' }];
    const { svc, g, clock, provider } = setup({ spec: { desiredCapacity: 1, lifecycleHooks: hooks } as Partial<AutoScalingGroup> });
    await svc.pass();
    await svc.pass();
    clock.advance(61_000);
    await svc.pass();
    assert.ok(g().instances[0]!.terminating);
    await svc.pass();
    assert.equal(provider.world.launchAttempts, 2);
  });

  it('a reload keeps a runtime desired capacity unless the file changed the sizes; a removed group scales to zero', async () => {
    const { svc, g } = setup();
    ops.setDesiredCapacity(svc, 'web', 4);
    svc.sync({ launchTemplates: [template], autoScalingGroups: [group()] });
    assert.equal(g().desiredCapacity, 4);
    svc.sync({ launchTemplates: [template], autoScalingGroups: [group({ desiredCapacity: 3 })] });
    assert.equal(g().desiredCapacity, 3);
    assert.match(g().lastCapacityChange!.text, /a user request update of AutoScalingGroup constraints to min: 1, max: 8, desired: 3 changing the desired capacity from 4 to 3\./);
    await svc.pass();
    svc.sync({ launchTemplates: [template], autoScalingGroups: [] });
    await svc.pass();
    assert.ok(g().instances.every((r) => r.terminating));
  });

  it('attaching a target group registers the instances in service there; detaching takes them out', async () => {
    const { svc, g, t } = setup();
    await svc.pass();
    await svc.pass();
    const keys = g().instances.map((r) => `${r.target!.id}:${r.target!.port}`);
    t.log.length = 0;
    svc.sync({ launchTemplates: [template], autoScalingGroups: [group({ targetGroups: ['tg', 'other'] })] });
    assert.deepEqual(t.log, keys.map((k) => `+other ${k}`));
    t.log.length = 0;
    svc.sync({ launchTemplates: [template], autoScalingGroups: [group({ targetGroups: ['other'] })] });
    assert.deepEqual(t.log, keys.map((k) => `-tg ${k}`));
  });
});
