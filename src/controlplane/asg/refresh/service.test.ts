/** Instance refresh through the service: fake provider, manual clock, whole passes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AlarmState } from '../plan-types.js';
import { setup } from './harness.js';
import { cancelInstanceRefresh, describeInstanceRefreshes, rollbackInstanceRefresh, startInstanceRefresh } from './ops.js';

const versions = (g: ReturnType<ReturnType<typeof setup>['g']>) => g.instances.filter((r) => !r.terminating).map((r) => r.templateVersion).sort();

describe('instance refresh (service, fake provider)', () => {
  it('replaces every instance with version 2, never below the floor, then stays on version 2', async () => {
    const { svc, g, step, t } = setup({ desiredCapacity: 4 });
    await step(3);
    assert.deepEqual(versions(g()), [1, 1, 1, 1]);
    const r = startInstanceRefresh(svc, 'web', { desiredConfiguration: { version: 2 }, preferences: { instanceWarmup: 0 } });
    assert.equal(r.instancesToUpdate, 4);
    let minHealthy = 4;
    for (let i = 0; i < 40 && g().refreshes![0]!.status !== 'Successful'; i++) {
      await step();
      minHealthy = Math.min(minHealthy, t.registered.size);
    }
    const d = describeInstanceRefreshes(svc, 'web')[0]!;
    assert.equal(d.Status, 'Successful', JSON.stringify(d));
    assert.equal(d.PercentageComplete, 100);
    assert.deepEqual(versions(g()), [2, 2, 2, 2]);
    assert.ok(minHealthy >= 3, `registered dipped to ${minHealthy}`);
    await step(2);
    assert.deepEqual(versions(g()), [2, 2, 2, 2], 'nothing relaunched: the group stays on version 2');
    const acts = svc.activities.list(g(), 100);
    assert.ok(acts.some((a) => /in response to instance refresh/.test(a.Cause) && a.Description.startsWith('Terminating')));
    assert.ok(acts.some((a) => a.Description === `Instance refresh ${r.instanceRefreshId}: Successful`));
  });

  it('launch before terminate (max 200 %): the new set is up before any old one goes', async () => {
    const { svc, g, step, provider } = setup({ desiredCapacity: 2 });
    await step(3);
    startInstanceRefresh(svc, 'web', { desiredConfiguration: { version: 2 }, preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: 0 } });
    await step();
    assert.equal(g().instances.length, 4);
    assert.equal(provider.world.calls.filter((c) => c.op === 'terminate').length, 0);
    await step(8);
    assert.equal(g().refreshes![0]!.status, 'Successful');
    assert.deepEqual(versions(g()), [2, 2]);
  });

  it('skip matching: nothing to replace when every instance is already on the desired version', async () => {
    const { svc, g, step, provider } = setup({ launchTemplate: { name: 'lt', version: 2 } });
    await step(3);
    const before = provider.world.launchAttempts;
    await step(10);
    const r = startInstanceRefresh(svc, 'web', { desiredConfiguration: { version: 2 }, preferences: { skipMatching: true } });
    assert.equal(r.instancesToUpdate, 0);
    await step();
    assert.equal(g().refreshes![0]!.status, 'Successful');
    assert.equal(provider.world.launchAttempts, before);
  });

  it('checkpoints: waits at 50 % for the delay, then finishes', async () => {
    const { svc, g, step } = setup({ desiredCapacity: 2 });
    await step(3);
    startInstanceRefresh(svc, 'web', { desiredConfiguration: { version: 2 }, preferences: { instanceWarmup: 0, checkpointPercentages: [50, 100], checkpointDelay: 30 } });
    const shown = () => describeInstanceRefreshes(svc, 'web')[0]!.Checkpoints as Array<{ State: string }>;
    assert.deepEqual(shown(), [{ Percentage: 50, State: 'Ahead' }, { Percentage: 100, State: 'Ahead' }]);
    await step(6);
    const r = () => g().refreshes![0]!;
    assert.equal(r().percentageComplete, 50);
    assert.match(r().statusReason ?? '', /Waiting at checkpoint 50%/);
    assert.deepEqual(shown(), [{ Percentage: 50, State: 'Waiting', WaitingUntil: new Date(r().checkpointAt! + 30_000).toISOString().replace('.000Z', 'Z') }, { Percentage: 100, State: 'Ahead' }]);
    await step(25);
    assert.match(r().statusReason ?? '', /Waiting at checkpoint 50%/, 'still within the 30 s delay');
    await step(10);
    assert.equal(shown()[0]!.State, 'Passed');
    for (let i = 0; i < 60 && r().status !== 'Successful'; i++) await step();
    assert.equal(r().status, 'Successful', JSON.stringify(r()));
    assert.deepEqual(shown(), [{ Percentage: 50, State: 'Passed' }, { Percentage: 100, State: 'Passed' }]);
  });

  it('errors: one refresh at a time; cancel and rollback need an active one; rollback needs a desired configuration', async () => {
    const { svc, step, g } = setup();
    await step(3);
    assert.throws(() => cancelInstanceRefresh(svc, 'web'), (e: Error & { code?: string }) => e.code === 'ActiveInstanceRefreshNotFound');
    startInstanceRefresh(svc, 'web', {});
    assert.throws(() => startInstanceRefresh(svc, 'web', {}), (e: Error & { code?: string }) => e.code === 'InstanceRefreshInProgress');
    assert.throws(() => rollbackInstanceRefresh(svc, 'web'), (e: Error & { code?: string }) => e.code === 'IrreversibleInstanceRefresh');
    cancelInstanceRefresh(svc, 'web');
    await step(4);
    assert.equal(g().refreshes![0]!.status, 'Cancelled');
    assert.throws(() => startInstanceRefresh(svc, 'web', { preferences: { minHealthyPercentage: 100 } }), /MaxHealthyPercentage above 100/);
    assert.throws(() => startInstanceRefresh(svc, 'web', { preferences: { checkpointPercentages: [60, 50] } }), /increasing order/);
    assert.throws(() => startInstanceRefresh(svc, 'web', { preferences: { autoRollback: true } }), /AutoRollback needs a DesiredConfiguration/);
  });

  it('rollback: instances already on version 2 go back to version 1, and the group stays on 1', async () => {
    const { svc, g, step } = setup({ desiredCapacity: 2 });
    await step(3);
    startInstanceRefresh(svc, 'web', { desiredConfiguration: { version: 2 }, preferences: { instanceWarmup: 0, checkpointPercentages: [50], checkpointDelay: 600 } });
    await step(6);
    assert.deepEqual(versions(g()), [1, 2]);
    rollbackInstanceRefresh(svc, 'web');
    await step(10);
    assert.equal(g().refreshes![0]!.status, 'RollbackSuccessful');
    assert.deepEqual(versions(g()), [1, 1]);
  });

  it('an alarm going to ALARM rolls the refresh back (autoRollback)', async () => {
    const { svc, g, step } = setup({ desiredCapacity: 2 });
    const alarms = new Map<string, AlarmState>([['errors-high', 'OK']]);
    svc.setAlarmSource((name) => alarms.get(name));
    await step(3);
    startInstanceRefresh(svc, 'web', { desiredConfiguration: { version: 2 }, preferences: { instanceWarmup: 0, autoRollback: true, alarms: ['errors-high'] } });
    await step(3);
    alarms.set('errors-high', 'ALARM');
    await step();
    const r = g().refreshes![0]!;
    assert.equal(r.status, 'RollbackInProgress');
    assert.equal(r.rollbackReason, 'alarm errors-high is in ALARM');
    await step(10);
    assert.equal(g().refreshes![0]!.status, 'RollbackSuccessful');
    assert.deepEqual(versions(g()), [1, 1]);
  });
});
