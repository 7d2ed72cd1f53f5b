import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failure, setup } from './testing.js';

async function group(t: Awaited<ReturnType<typeof setup>>) {
  await t.call('CreateAutoScalingGroup', { AutoScalingGroupName: 'web-api-asg', LaunchTemplate: { LaunchTemplateName: 'web-lt' }, MinSize: 2, MaxSize: 10, DesiredCapacity: 2, AvailabilityZones: ['zone-a', 'zone-b'] });
}

test('the tutorial: put-scaling-policy target tracking on CPU; its alarms exist and DescribePolicies shows them', async () => {
  const t = await setup();
  await group(t);
  const out = await t.call('PutScalingPolicy', {
    AutoScalingGroupName: 'web-api-asg', PolicyName: 'target-tracking-cpu', PolicyType: 'TargetTrackingScaling',
    TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 70.0 },
  });
  assert.match(out.PolicyARN, /^arn:aws:autoscaling:eu-west-3:000000000000:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName\/web-api-asg:policyName\/target-tracking-cpu$/);
  assert.deepEqual(out.Alarms.map((a: { AlarmName: string }) => a.AlarmName), ['TargetTracking-web-api-asg-target-tracking-cpu-AlarmHigh', 'TargetTracking-web-api-asg-target-tracking-cpu-AlarmLow']);
  assert.equal(out.Alarms[0].AlarmARN, 'arn:aws:cloudwatch:eu-west-3:000000000000:alarm:TargetTracking-web-api-asg-target-tracking-cpu-AlarmHigh');
  assert.ok(t.scaling()!.alarms.definition('TargetTracking-web-api-asg-target-tracking-cpu-AlarmHigh'));
  const d = await t.call('DescribePolicies', { AutoScalingGroupName: 'web-api-asg' });
  assert.deepEqual(d.ScalingPolicies, [{
    AutoScalingGroupName: 'web-api-asg', PolicyARN: out.PolicyARN, PolicyName: 'target-tracking-cpu', PolicyType: 'TargetTrackingScaling', Enabled: true,
    TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 70, DisableScaleIn: false },
    Alarms: out.Alarms,
  }]);
  // Put again replaces it.
  await t.call('PutScalingPolicy', {
    AutoScalingGroupName: 'web-api-asg', PolicyName: 'target-tracking-cpu', PolicyType: 'TargetTrackingScaling',
    TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50, DisableScaleIn: true },
  });
  const again = (await t.call('DescribePolicies', { PolicyNames: ['target-tracking-cpu'] })).ScalingPolicies;
  assert.equal(again.length, 1);
  assert.equal(again[0].TargetTrackingConfiguration.TargetValue, 50);
  assert.equal(again[0].Alarms.length, 1);
  await t.call('DeletePolicy', { PolicyName: out.PolicyARN });
  assert.deepEqual((await t.call('DescribePolicies', { AutoScalingGroupName: 'web-api-asg' })).ScalingPolicies, []);
  assert.equal(t.scaling()!.alarms.definition('TargetTracking-web-api-asg-target-tracking-cpu-AlarmHigh'), undefined);
});

test('simple scaling: put, execute-policy raises desired; a bad policy is refused and nothing changes', async () => {
  const t = await setup();
  await group(t);
  await t.call('PutScalingPolicy', { AutoScalingGroupName: 'web-api-asg', PolicyName: 'up', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 2 });
  await t.call('ExecutePolicy', { AutoScalingGroupName: 'web-api-asg', PolicyName: 'up' });
  assert.equal(t.svc.group('web-api-asg')!.state.desiredCapacity, 4);
  const before = t.model.get('autoScalingGroups', 'web-api-asg')!;
  const bad = await failure(t.call('PutScalingPolicy', { AutoScalingGroupName: 'web-api-asg', PolicyName: 'broken', PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity' }));
  assert.equal(bad.code, 'ValidationError');
  assert.match(bad.message, /stepAdjustments/);
  assert.equal(t.model.get('autoScalingGroups', 'web-api-asg')!.version, before.version);
  const predictive = await failure(t.call('PutScalingPolicy', { AutoScalingGroupName: 'web-api-asg', PolicyName: 'p', PolicyType: 'PredictiveScaling' }));
  assert.match(predictive.message, /Predictive scaling is not supported by shoal/);
});

test('a file-owned group: its policies run through the API, but changing them answers ResourceOwnedByFile', async () => {
  const t = await setup();
  await t.call('ExecutePolicy', { AutoScalingGroupName: 'filegroup', PolicyName: 'add-one' });
  assert.equal(t.svc.group('filegroup')!.state.desiredCapacity, 2);
  const put = await failure(t.call('PutScalingPolicy', { AutoScalingGroupName: 'filegroup', PolicyName: 'x', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 1 }));
  assert.equal(put.code, 'ResourceOwnedByFile');
  const p = (await t.call('DescribePolicies', { AutoScalingGroupName: 'filegroup' })).ScalingPolicies[0];
  assert.deepEqual([p.PolicyName, p.PolicyType, p.AdjustmentType, p.ScalingAdjustment, p.Alarms], ['add-one', 'SimpleScaling', 'ChangeInCapacity', 1, []]);
  const missing = await failure(t.call('ExecutePolicy', { AutoScalingGroupName: 'filegroup', PolicyName: 'nope' }));
  assert.equal(missing.code, 'ValidationError');
});
