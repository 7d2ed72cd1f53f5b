/** Warm pools through the service: fake provider, manual clock, whole passes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ops from '../ops.js';
import { setup } from '../refresh/harness.js';
import { deleteWarmPool, describeWarmPool, putWarmPool } from './ops.js';

const states = (g: ReturnType<ReturnType<typeof setup>['g']>) => g.instances.map((r) => r.lifecycleState).sort();

describe('warm pools (service, fake provider)', () => {
  it('fills the pool, freezes booted members, serves a scale-out from it, and refills', async () => {
    const h = setup({ desiredCapacity: 1, warmPool: { minSize: 1, maxGroupPreparedCapacity: 2, poolState: 'Stopped', instanceReusePolicy: { reuseOnScaleIn: false } } });
    await h.step(3);
    assert.deepEqual(states(h.g()), ['InService', 'Warmed:Stopped']);
    const warm = h.g().instances.find((r) => r.lifecycleState === 'Warmed:Stopped')!;
    assert.equal((await h.provider.describe(warm.instanceId))?.frozen, true);
    assert.equal(h.t.registered.size, 1, 'pool members are not registered');
    const launched = h.provider.world.launchAttempts;
    ops.setDesiredCapacity(h.svc, 'web', 2);
    await h.step();
    assert.equal(h.g().instances.find((r) => r.instanceId === warm.instanceId)?.lifecycleState, 'Pending');
    assert.equal((await h.provider.describe(warm.instanceId))?.frozen, undefined, 'thawed');
    await h.step();
    assert.equal(h.g().instances.find((r) => r.instanceId === warm.instanceId)?.lifecycleState, 'InService');
    assert.equal(h.t.registered.size, 2);
    assert.equal(h.provider.world.launchAttempts, launched + 1, 'only the refill was launched');
    await h.step(2);
    assert.deepEqual(states(h.g()), ['InService', 'InService', 'Warmed:Stopped']);
    const acts = h.svc.activities.list(h.g());
    assert.ok(acts.some((a) => a.Description === `Launching a new EC2 instance from warm pool: ${warm.instanceId}` && /taken from the warm pool/.test(a.Cause)));
    assert.ok(acts.some((a) => a.Description.startsWith('Launching a new EC2 instance into warm pool')));
  });

  it('pool size is max(minSize, maxGroupPreparedCapacity - desired); Running members are not frozen', async () => {
    const h = setup({ desiredCapacity: 2, warmPool: { minSize: 0, maxGroupPreparedCapacity: 5, poolState: 'Running', instanceReusePolicy: { reuseOnScaleIn: false } } });
    await h.step(3);
    assert.deepEqual(states(h.g()), ['InService', 'InService', 'Warmed:Running', 'Warmed:Running', 'Warmed:Running']);
    assert.equal(h.provider.world.calls.filter((c) => c.op === 'freeze').length, 0);
    const d = describeWarmPool(h.svc, 'web') as { WarmPoolConfiguration: { PoolSize: number }; Instances: unknown[] };
    assert.equal(d.WarmPoolConfiguration.PoolSize, 3);
    assert.equal(d.Instances.length, 3);
    ops.setDesiredCapacity(h.svc, 'web', 4);
    await h.step(3);
    assert.deepEqual(states(h.g()), ['InService', 'InService', 'InService', 'InService', 'Warmed:Running']);
  });

  it('reuseOnScaleIn: scale-in drains the instance and returns it to the pool, frozen, instead of terminating it', async () => {
    const h = setup({ desiredCapacity: 2, warmPool: { minSize: 0, maxGroupPreparedCapacity: 3, poolState: 'Stopped', instanceReusePolicy: { reuseOnScaleIn: true } } });
    await h.step(3);
    ops.setDesiredCapacity(h.svc, 'web', 1);
    await h.step(3);
    assert.deepEqual(states(h.g()), ['InService', 'Warmed:Stopped', 'Warmed:Stopped']);
    assert.equal(h.provider.world.calls.filter((c) => c.op === 'terminate').length, 0);
    assert.equal(h.t.registered.size, 1);
    const act = h.svc.activities.list(h.g()).find((a) => a.Description.startsWith('Moving EC2 instance to warm pool'))!;
    assert.equal(act.StatusMessage, 'Returned to the warm pool (reuseOnScaleIn)');
  });

  it('a pool member that dies is replaced without deregistering its address from the target groups (issue 4)', async () => {
    const h = setup({ desiredCapacity: 1, warmPool: { minSize: 1, maxGroupPreparedCapacity: 2, poolState: 'Stopped', instanceReusePolicy: { reuseOnScaleIn: false } } });
    await h.step(3);
    const warm = h.g().instances.find((r) => r.lifecycleState === 'Warmed:Stopped')!;
    h.provider.crash(warm.instanceId, 'Instance process exited with status 1; no process of the instance is left');
    await h.step(3);
    assert.equal(h.g().instances.find((r) => r.instanceId === warm.instanceId), undefined, 'terminated');
    assert.deepEqual(states(h.g()), ['InService', 'Warmed:Stopped']);
    // It was in no target group: deregistering its ip:port could only take out another target with the same address.
    assert.deepEqual(h.t.deregistered, []);
    assert.equal(h.t.registered.size, 1);
  });

  it('PutWarmPool at runtime, then DeleteWarmPool terminates the members and drops the pool', async () => {
    const h = setup({ desiredCapacity: 1 });
    await h.step(2);
    putWarmPool(h.svc, 'web', { minSize: 2, maxGroupPreparedCapacity: 2 });
    await h.step(3);
    assert.deepEqual(states(h.g()), ['InService', 'Warmed:Stopped', 'Warmed:Stopped']);
    assert.throws(() => putWarmPool(h.svc, 'web', { poolState: 'Hibernated' as never }), /Hibernated is not supported/);
    deleteWarmPool(h.svc, 'web');
    await h.step(3);
    assert.deepEqual(states(h.g()), ['InService']);
    assert.equal(h.g().warmPool, undefined);
  });

  it('an instance refresh also replaces pool members on the old version', async () => {
    const h = setup({ desiredCapacity: 1, warmPool: { minSize: 1, maxGroupPreparedCapacity: 2, poolState: 'Stopped', instanceReusePolicy: { reuseOnScaleIn: false } } });
    await h.step(12);
    const { startInstanceRefresh } = await import('../refresh/ops.js');
    startInstanceRefresh(h.svc, 'web', { desiredConfiguration: { version: 2 }, preferences: { instanceWarmup: 0 } });
    await h.step(8);
    assert.equal(h.g().refreshes![0]!.status, 'Successful');
    assert.deepEqual(h.g().instances.map((r) => `${r.lifecycleState} v${r.templateVersion}`).sort(), ['InService v2', 'Warmed:Stopped v2']);
  });
});
