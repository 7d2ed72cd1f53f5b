import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failure, setup } from './testing.js';

async function running(t: Awaited<ReturnType<typeof setup>>, desired = 2) {
  await t.call('CreateAutoScalingGroup', { AutoScalingGroupName: 'g', LaunchTemplate: { LaunchTemplateName: 'web-lt' }, MinSize: 0, MaxSize: 5, DesiredCapacity: desired, AvailabilityZones: ['zone-a', 'zone-b'] });
  await t.settle();
  return t.svc.group('g')!.state.instances.map((r) => r.instanceId);
}

test('set-desired-capacity works on API- and file-owned groups with AWS\'s bounds messages', async () => {
  const t = await setup();
  await running(t, 1);
  await t.call('SetDesiredCapacity', { AutoScalingGroupName: 'g', DesiredCapacity: 3 });
  assert.equal(t.svc.group('g')!.state.desiredCapacity, 3);
  await t.call('SetDesiredCapacity', { AutoScalingGroupName: 'filegroup', DesiredCapacity: 2 });
  assert.equal(t.svc.group('filegroup')!.state.desiredCapacity, 2);
  const high = await failure(t.call('SetDesiredCapacity', { AutoScalingGroupName: 'g', DesiredCapacity: 9 }));
  assert.deepEqual([high.code, high.message], ['ValidationError', 'New SetDesiredCapacity value 9 is above max value 5 for the AutoScalingGroup.']);
  const none = await failure(t.call('SetDesiredCapacity', { AutoScalingGroupName: 'nope', DesiredCapacity: 1 }));
  assert.equal(none.message, "AutoScalingGroup name not found - AutoScalingGroup 'nope' not found");
});

test('terminate-instance-in-auto-scaling-group answers its activity; decrement lowers desired', async () => {
  const t = await setup();
  const [a] = await running(t);
  const out = await t.call('TerminateInstanceInAutoScalingGroup', { InstanceId: a, ShouldDecrementDesiredCapacity: true });
  assert.equal(out.Activity.AutoScalingGroupName, 'g');
  assert.match(out.Activity.Description, new RegExp(`Terminating EC2 instance: ${a}`));
  assert.match(out.Activity.Cause, /in response to a user request, shrinking the capacity from 2 to 1/);
  assert.ok(out.Activity.StartTime instanceof Date);
  assert.match(out.Activity.AutoScalingGroupARN, /:autoScalingGroupName\/g$/);
  assert.equal(t.svc.group('g')!.state.desiredCapacity, 1);
  const unknown = await failure(t.call('TerminateInstanceInAutoScalingGroup', { InstanceId: 'i-0nope', ShouldDecrementDesiredCapacity: false }));
  assert.match(unknown.message, /^Instance Id not found - No managed instance found for instance ID: i-0nope/);
});

test('set-instance-health Unhealthy gets the instance replaced; within the grace period it is ignored when asked to respect it', async () => {
  const t = await setup();
  const [a] = await running(t);
  await t.call('SetInstanceHealth', { InstanceId: a, HealthStatus: 'Unhealthy' });
  assert.equal(t.svc.group('g')!.state.instances.find((r) => r.instanceId === a)!.healthStatus, 'Unhealthy');
  await t.settle(6);
  const acts = (await t.call('DescribeScalingActivities', { AutoScalingGroupName: 'g' })).Activities;
  assert.ok(acts.some((x: { Cause: string }) => /user health-check/.test(x.Cause)), 'the termination says why');
  const bad = await failure(t.call('SetInstanceHealth', { InstanceId: a, HealthStatus: 'Sick' }));
  assert.equal(bad.code, 'ValidationError');
  await t.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'g', HealthCheckGracePeriod: 3600 });
  const [b] = t.svc.group('g')!.state.instances.filter((r) => !r.terminating).map((r) => r.instanceId);
  await t.call('SetInstanceHealth', { InstanceId: b, HealthStatus: 'Unhealthy', ShouldRespectGracePeriod: true });
  assert.equal(t.svc.group('g')!.state.instances.find((r) => r.instanceId === b)!.healthStatus, 'Healthy');
});

test('standby, protection, detach and suspend/resume', async () => {
  const t = await setup();
  const [a, b] = await running(t);
  const sb = await t.call('EnterStandby', { AutoScalingGroupName: 'g', InstanceIds: [a], ShouldDecrementDesiredCapacity: true });
  assert.equal(sb.Activities.length, 1);
  assert.match(sb.Activities[0].Description, /Moving EC2 instance to Standby/);
  const desc = (await t.call('DescribeAutoScalingInstances', { InstanceIds: [a] })).AutoScalingInstances[0];
  assert.equal(desc.LifecycleState, 'Standby');
  const ex = await t.call('ExitStandby', { AutoScalingGroupName: 'g', InstanceIds: [a] });
  assert.match(ex.Activities[0].Description, /out of Standby/);
  await t.call('SetInstanceProtection', { AutoScalingGroupName: 'g', InstanceIds: [b], ProtectedFromScaleIn: true });
  assert.equal(t.svc.group('g')!.state.instances.find((r) => r.instanceId === b)!.protectedFromScaleIn, true);
  const det = await t.call('DetachInstances', { AutoScalingGroupName: 'g', InstanceIds: [b], ShouldDecrementDesiredCapacity: true });
  assert.match(det.Activities[0].Description, /Detaching EC2 instance/);
  assert.equal(t.svc.group('g')!.state.desiredCapacity, 1);
  await t.call('SuspendProcesses', { AutoScalingGroupName: 'g', ScalingProcesses: ['Launch'] });
  const g = (await t.call('DescribeAutoScalingGroups', { AutoScalingGroupNames: ['g'] })).AutoScalingGroups[0];
  assert.deepEqual(g.SuspendedProcesses.map((p: { ProcessName: string }) => p.ProcessName), ['Launch']);
  await t.call('ResumeProcesses', { AutoScalingGroupName: 'g' });
  assert.deepEqual(t.svc.group('g')!.state.suspended, []);
  const bad = await failure(t.call('SuspendProcesses', { AutoScalingGroupName: 'g', ScalingProcesses: ['Nap'] }));
  assert.equal(bad.code, 'ValidationError');
  await t.call('AttachInstances', { AutoScalingGroupName: 'g', InstanceIds: [b] });
  assert.ok(t.svc.group('g')!.state.instances.some((r) => r.instanceId === b));
});
