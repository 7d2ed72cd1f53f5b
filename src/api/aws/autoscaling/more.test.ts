import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPERATIONS } from './index.js';
import { failure, setup } from './testing.js';

async function group(t: Awaited<ReturnType<typeof setup>>, desired = 1) {
  await t.call('CreateAutoScalingGroup', { AutoScalingGroupName: 'g', LaunchTemplate: { LaunchTemplateName: 'web-lt', Version: '1' }, MinSize: 0, MaxSize: 4, DesiredCapacity: desired, AvailabilityZones: ['zone-a'] });
  await t.settle();
}

test('lifecycle hooks: put, describe, an instance waits until complete-lifecycle-action, delete', async () => {
  const t = await setup();
  await group(t, 0);
  await t.call('PutLifecycleHook', { AutoScalingGroupName: 'g', LifecycleHookName: 'warm', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', HeartbeatTimeout: 300, DefaultResult: 'CONTINUE', NotificationMetadata: 'hi' });
  const hooks = (await t.call('DescribeLifecycleHooks', { AutoScalingGroupName: 'g' })).LifecycleHooks;
  assert.deepEqual(hooks, [{ LifecycleHookName: 'warm', AutoScalingGroupName: 'g', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', NotificationMetadata: 'hi', HeartbeatTimeout: 300, GlobalTimeout: 30000, DefaultResult: 'CONTINUE' }]);
  await t.call('SetDesiredCapacity', { AutoScalingGroupName: 'g', DesiredCapacity: 1 });
  await t.settle();
  const [r] = t.svc.group('g')!.state.instances;
  assert.equal(r!.lifecycleState, 'Pending:Wait');
  await t.call('RecordLifecycleActionHeartbeat', { AutoScalingGroupName: 'g', LifecycleHookName: 'warm', InstanceId: r!.instanceId });
  await t.call('CompleteLifecycleAction', { AutoScalingGroupName: 'g', LifecycleHookName: 'warm', InstanceId: r!.instanceId, LifecycleActionResult: 'CONTINUE' });
  await t.settle();
  assert.equal(t.svc.group('g')!.state.instances[0]!.lifecycleState, 'InService');
  await t.call('DeleteLifecycleHook', { AutoScalingGroupName: 'g', LifecycleHookName: 'warm' });
  assert.deepEqual((await t.call('DescribeLifecycleHooks', { AutoScalingGroupName: 'g' })).LifecycleHooks, []);
  const sns = await failure(t.call('PutLifecycleHook', { AutoScalingGroupName: 'g', LifecycleHookName: 'n', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', NotificationTargetARN: 'arn:aws:sns:x' }));
  assert.match(sns.message, /NotificationTargetARN .* is not supported by shoal/);
  const owned = await failure(t.call('PutLifecycleHook', { AutoScalingGroupName: 'filegroup', LifecycleHookName: 'n', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING' }));
  assert.equal(owned.code, 'ResourceOwnedByFile');
});

test('instance refresh on a file-owned group: start, describe, one at a time, cancel, nothing to roll back', async () => {
  const t = await setup();
  await t.settle();
  const id = (await t.call('StartInstanceRefresh', { AutoScalingGroupName: 'filegroup', Preferences: { MinHealthyPercentage: 0, InstanceWarmup: 0 } })).InstanceRefreshId;
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const busy = await failure(t.call('StartInstanceRefresh', { AutoScalingGroupName: 'filegroup' }));
  assert.equal(busy.code, 'InstanceRefreshInProgress');
  const [r] = (await t.call('DescribeInstanceRefreshes', { AutoScalingGroupName: 'filegroup' })).InstanceRefreshes;
  assert.equal(r.InstanceRefreshId, id);
  assert.ok(r.StartTime instanceof Date);
  assert.equal(r.Preferences.MinHealthyPercentage, 0);
  const irreversible = await failure(t.call('RollbackInstanceRefresh', { AutoScalingGroupName: 'filegroup' }));
  assert.equal(irreversible.code, 'IrreversibleInstanceRefresh');
  assert.equal((await t.call('CancelInstanceRefresh', { AutoScalingGroupName: 'filegroup' })).InstanceRefreshId, id);
  await t.settle(6);
  const none = await failure(t.call('CancelInstanceRefresh', { AutoScalingGroupName: 'filegroup' }));
  assert.equal(none.code, 'ActiveInstanceRefreshNotFound');
  const root = await failure(t.call('StartInstanceRefresh', { AutoScalingGroupName: 'filegroup', Strategy: 'ReplaceRootVolume' }));
  assert.match(root.message, /ReplaceRootVolume .* is not supported by shoal/);
});

test('instance refresh to a new launch template version on an API group', async () => {
  const t = await setup();
  await group(t);
  await t.call('StartInstanceRefresh', { AutoScalingGroupName: 'g', DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'web-lt', Version: '$Latest' } }, Preferences: { MinHealthyPercentage: 0, InstanceWarmup: 0, AutoRollback: true } });
  const [r] = (await t.call('DescribeInstanceRefreshes', { AutoScalingGroupName: 'g' })).InstanceRefreshes;
  assert.equal(r.DesiredConfiguration.LaunchTemplate.LaunchTemplateName, 'web-lt');
  assert.match(r.DesiredConfiguration.LaunchTemplate.LaunchTemplateId, /^lt-/);
  assert.equal(r.DesiredConfiguration.LaunchTemplate.Version, '$Latest');
});

test('warm pool: put, describe, delete; file-owned groups answer ResourceOwnedByFile', async () => {
  const t = await setup();
  await group(t);
  await t.call('PutWarmPool', { AutoScalingGroupName: 'g', MinSize: 1, PoolState: 'Running', MaxGroupPreparedCapacity: -1 });
  assert.deepEqual(t.model.get('autoScalingGroups', 'g')!.raw.warmPool, { minSize: 1, poolState: 'Running' });
  await t.settle();
  const w = await t.call('DescribeWarmPool', { AutoScalingGroupName: 'g' });
  assert.deepEqual(w.WarmPoolConfiguration, { MinSize: 1, MaxGroupPreparedCapacity: -1, PoolState: 'Running', InstanceReusePolicy: { ReuseOnScaleIn: false } });
  assert.ok(Array.isArray(w.Instances));
  const g = (await t.call('DescribeAutoScalingGroups', { AutoScalingGroupNames: ['g'] })).AutoScalingGroups[0];
  assert.equal(g.WarmPoolConfiguration.PoolState, 'Running');
  await t.call('DeleteWarmPool', { AutoScalingGroupName: 'g' });
  assert.equal(t.model.get('autoScalingGroups', 'g')!.raw.warmPool, undefined);
  assert.equal((await failure(t.call('DeleteWarmPool', { AutoScalingGroupName: 'g' }))).code, 'ValidationError');
  assert.match((await failure(t.call('PutWarmPool', { AutoScalingGroupName: 'g', PoolState: 'Hibernated' }))).message, /Hibernated/);
  assert.equal((await failure(t.call('PutWarmPool', { AutoScalingGroupName: 'filegroup', MinSize: 1 }))).code, 'ResourceOwnedByFile');
});

test('scheduled actions: put (one-off and recurring), describe with ARNs, delete', async () => {
  const t = await setup();
  await group(t);
  await t.call('PutScheduledUpdateGroupAction', { AutoScalingGroupName: 'g', ScheduledActionName: 'night', Recurrence: '0 22 * * *', DesiredCapacity: 0, TimeZone: 'Europe/Berlin' });
  await t.call('PutScheduledUpdateGroupAction', { AutoScalingGroupName: 'g', ScheduledActionName: 'launch-day', StartTime: new Date(Date.UTC(2026, 11, 1, 9)), MinSize: 2, MaxSize: 4 });
  const list = (await t.call('DescribeScheduledActions', { AutoScalingGroupName: 'g' })).ScheduledUpdateGroupActions;
  assert.equal(list.length, 2);
  assert.deepEqual([list[0].ScheduledActionName, list[0].Recurrence, list[0].TimeZone, list[0].DesiredCapacity], ['night', '0 22 * * *', 'Europe/Berlin', 0]);
  assert.match(list[0].ScheduledActionARN, /:scheduledUpdateGroupAction:[0-9a-f-]{36}:autoScalingGroupName\/g:scheduledActionName\/night$/);
  assert.deepEqual(list[1].StartTime, new Date(Date.UTC(2026, 11, 1, 9)));
  const bad = await failure(t.call('PutScheduledUpdateGroupAction', { AutoScalingGroupName: 'g', ScheduledActionName: 'x', Recurrence: 'never', DesiredCapacity: 1 }));
  assert.equal(bad.code, 'ValidationError');
  await t.call('DeleteScheduledAction', { AutoScalingGroupName: 'g', ScheduledActionName: 'night' });
  assert.equal((await t.call('DescribeScheduledActions', {})).ScheduledUpdateGroupActions.length, 1);
  assert.equal((await failure(t.call('DeleteScheduledAction', { AutoScalingGroupName: 'g', ScheduledActionName: 'night' }))).code, 'ValidationError');
});

test('account limits, and every operation of the service is implemented', async () => {
  const t = await setup();
  const l = await t.call('DescribeAccountLimits');
  assert.deepEqual(l, { MaxNumberOfAutoScalingGroups: 500, MaxNumberOfLaunchConfigurations: 200, NumberOfAutoScalingGroups: 1, NumberOfLaunchConfigurations: 0 });
  for (const op of OPERATIONS) {
    const code = await t.call(op, {}).then(() => 'ok', (err: { code?: string }) => err.code);
    assert.notEqual(code, 'UnsupportedOperation', op);
    assert.ok(code !== undefined, `${op} with no input fails with an AWS error code, not a crash`);
  }
});
