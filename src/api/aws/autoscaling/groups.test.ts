import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shortId, tgArn } from '../elbv2/arns.js';
import { CTX, failure, setup } from './testing.js';

async function tutorialGroup(t: Awaited<ReturnType<typeof setup>>, o: Record<string, unknown> = {}) {
  const [a, b] = t.zones.list();
  const arn = tgArn(CTX.region, 'app', shortId(t.model.get('targetGroups', 'app')!.id));
  await t.call('CreateAutoScalingGroup', {
    AutoScalingGroupName: 'my-web-app-asg', LaunchTemplate: { LaunchTemplateName: 'web-lt' }, MinSize: 2, MaxSize: 10, DesiredCapacity: 2,
    TargetGroupARNs: [arn], HealthCheckType: 'ELB', HealthCheckGracePeriod: 300, VPCZoneIdentifier: `${a!.subnetId},${b!.subnetId}`,
    Tags: [{ Key: 'team', Value: 'web', PropagateAtLaunch: true }, { Key: 'cost', Value: '1' }], ...o,
  });
  return { arn, a: a!, b: b! };
}

test('the tutorial: create-auto-scaling-group with a launch template, target group ARN and subnets, then describe it', async () => {
  const t = await setup();
  const { arn, a, b } = await tutorialGroup(t);
  const raw = t.model.get('autoScalingGroups', 'my-web-app-asg')!.raw;
  assert.deepEqual(raw.availabilityZones, ['zone-a', 'zone-b']);
  assert.deepEqual(raw.targetGroups, ['app']);
  assert.deepEqual(raw.launchTemplate, { name: 'web-lt', version: '$Default' });
  await t.settle();
  const out = await t.call('DescribeAutoScalingGroups', { AutoScalingGroupNames: ['my-web-app-asg'] });
  assert.equal(out.AutoScalingGroups.length, 1);
  const g = out.AutoScalingGroups[0];
  assert.match(g.AutoScalingGroupARN, /^arn:aws:autoscaling:eu-west-3:000000000000:autoScalingGroup:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:autoScalingGroupName\/my-web-app-asg$/);
  assert.deepEqual([g.MinSize, g.MaxSize, g.DesiredCapacity, g.HealthCheckType, g.HealthCheckGracePeriod, g.DefaultCooldown], [2, 10, 2, 'ELB', 300, 300]);
  assert.deepEqual(g.TargetGroupARNs, [arn]);
  assert.deepEqual(g.TrafficSources, [{ Identifier: arn, Type: 'elbv2' }]);
  assert.equal(g.VPCZoneIdentifier, `${a.subnetId},${b.subnetId}`);
  assert.deepEqual(g.AvailabilityZones, ['zone-a', 'zone-b']);
  assert.ok(g.CreatedTime instanceof Date);
  assert.equal(g.LaunchTemplate.LaunchTemplateName, 'web-lt');
  assert.match(g.LaunchTemplate.LaunchTemplateId, /^lt-[0-9a-f]{17}$/);
  assert.deepEqual(g.Tags, [
    { ResourceId: 'my-web-app-asg', ResourceType: 'auto-scaling-group', Key: 'team', Value: 'web', PropagateAtLaunch: true },
    { ResourceId: 'my-web-app-asg', ResourceType: 'auto-scaling-group', Key: 'cost', Value: '1', PropagateAtLaunch: false },
  ]);
  assert.equal(g.Instances.length, 2);
  const i = g.Instances[0];
  assert.deepEqual(Object.keys(i).sort(), ['AvailabilityZone', 'AvailabilityZoneId', 'HealthStatus', 'InstanceId', 'InstanceType', 'LaunchTemplate', 'LifecycleState', 'ProtectedFromScaleIn']);
  assert.equal(i.LifecycleState, 'InService');
  assert.equal(i.HealthStatus, 'Healthy');
  assert.equal(i.InstanceType, 't3.small');
  assert.equal(i.LaunchTemplate.Version, '1');
  assert.deepEqual(g.Instances.map((x: { AvailabilityZone: string }) => x.AvailabilityZone).sort(), ['zone-a', 'zone-b']);
  const obs = await t.provider.describe(i.InstanceId);
  assert.equal(obs!.tags.team, 'web', 'PropagateAtLaunch tags reach the instances');
  assert.equal(obs!.tags.cost, undefined);
  const inst = await t.call('DescribeAutoScalingInstances', { InstanceIds: [i.InstanceId] });
  assert.equal(inst.AutoScalingInstances[0].AutoScalingGroupName, 'my-web-app-asg');
});

test('the API default health check grace period is 0, and the group takes LaunchTemplateId and a version number', async () => {
  const t = await setup();
  const id = 'lt-' + t.model.get('launchTemplates', 'web-lt')!.id;
  await t.call('CreateAutoScalingGroup', { AutoScalingGroupName: 'g2', LaunchTemplate: { LaunchTemplateId: id, Version: '2' }, MinSize: 0, MaxSize: 1, AvailabilityZones: ['zone-a'] });
  const g = (await t.call('DescribeAutoScalingGroups', { AutoScalingGroupNames: ['g2'] })).AutoScalingGroups[0];
  assert.equal(g.HealthCheckGracePeriod, 0);
  assert.equal(g.HealthCheckType, 'EC2');
  assert.deepEqual(g.LaunchTemplate, { LaunchTemplateId: id, LaunchTemplateName: 'web-lt', Version: '2' });
});

test('create errors: taken name, unknown subnet, template or target group, no zones; nothing is left behind', async () => {
  const t = await setup();
  await tutorialGroup(t);
  const dup = await failure(tutorialGroup(t));
  assert.equal(dup.code, 'AlreadyExists');
  assert.match(dup.message, /^AutoScalingGroup by this name already exists/);
  const base = { AutoScalingGroupName: 'x', LaunchTemplate: { LaunchTemplateName: 'web-lt' }, MinSize: 1, MaxSize: 2 };
  const cases: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ VPCZoneIdentifier: 'subnet-12345' }, 'ValidationError', /The subnet ID 'subnet-12345' does not exist/],
    [{ AvailabilityZones: ['zone-a'], LaunchTemplate: { LaunchTemplateName: 'nope' } }, 'ValidationError', /specified launch template, with template name nope, does not exist/],
    [{ AvailabilityZones: ['zone-a'], TargetGroupARNs: ['arn:aws:elasticloadbalancing:eu-west-3:000000000000:targetgroup/app/0000000000000000'] }, 'ValidationError', /Provided Target Groups may not be valid/],
    [{}, 'ValidationError', /At least one Availability Zone or VPC Subnet is required/],
    [{ AvailabilityZones: ['zone-a'], LaunchTemplate: undefined, LaunchConfigurationName: 'lc' }, 'ValidationError', /LaunchConfigurationName .* is not supported by shoal/],
    [{ AvailabilityZones: ['zone-a'], MinSize: 3 }, 'ValidationError', /minSize/],
  ];
  for (const [o, code, message] of cases) {
    const err = await failure(t.call('CreateAutoScalingGroup', { ...base, ...o }));
    assert.equal(err.code, code, JSON.stringify(o));
    assert.match(err.message, message);
    assert.equal(t.model.get('autoScalingGroups', 'x'), undefined);
    assert.equal(t.svc.group('x'), undefined);
  }
});

test('update-auto-scaling-group: sizes apply at once; a file-owned group takes desired capacity alone', async () => {
  const t = await setup();
  await tutorialGroup(t);
  await t.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'my-web-app-asg', NewInstancesProtectedFromScaleIn: true, MinSize: 3 });
  assert.equal(t.svc.group('my-web-app-asg')!.state.desiredCapacity, 3);
  assert.equal(t.model.get('autoScalingGroups', 'my-web-app-asg')!.raw.newInstancesProtectedFromScaleIn, true);
  const bad = await failure(t.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'my-web-app-asg', MinSize: 5, MaxSize: 4 }));
  assert.deepEqual([bad.code, bad.message], ['ValidationError', 'Max bound, 4, must be greater than or equal to min bound, 5']);
  const version = t.model.get('autoScalingGroups', 'my-web-app-asg')!.version;
  const policy = await failure(t.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'my-web-app-asg', TerminationPolicies: ['Bogus'], MaxSize: 6 }));
  assert.equal(policy.code, 'ValidationError');
  assert.match(policy.message, /my-web-app-asg.*terminationPolicies/s);
  assert.equal(t.model.get('autoScalingGroups', 'my-web-app-asg')!.version, version, 'nothing written');
  assert.equal(t.svc.group('my-web-app-asg')!.state.maxSize, 10, 'nothing applied');
  await t.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'filegroup', DesiredCapacity: 3 });
  assert.equal(t.svc.group('filegroup')!.state.desiredCapacity, 3);
  const owned = await failure(t.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'filegroup', MaxSize: 9 }));
  assert.equal(owned.code, 'ResourceOwnedByFile');
  assert.match(owned.message, /shoal\.yaml:\d+/);
  const missing = await failure(t.call('UpdateAutoScalingGroup', { AutoScalingGroupName: 'nope', MaxSize: 9 }));
  assert.deepEqual([missing.code, missing.message], ['ValidationError', "AutoScalingGroup name not found - AutoScalingGroup 'nope' not found"]);
});

test('delete-auto-scaling-group: refused with instances unless forced; then "Delete in progress" until they are gone', async () => {
  const t = await setup();
  await tutorialGroup(t);
  await t.settle();
  const inUse = await failure(t.call('DeleteAutoScalingGroup', { AutoScalingGroupName: 'my-web-app-asg' }));
  assert.equal(inUse.code, 'ResourceInUse');
  await t.call('DeleteAutoScalingGroup', { AutoScalingGroupName: 'my-web-app-asg', ForceDelete: true });
  assert.equal(t.model.get('autoScalingGroups', 'my-web-app-asg'), undefined);
  const during = (await t.call('DescribeAutoScalingGroups', { AutoScalingGroupNames: ['my-web-app-asg'] })).AutoScalingGroups;
  assert.equal(during[0].Status, 'Delete in progress');
  const again = await failure(tutorialGroup(t));
  assert.equal(again.code, 'AlreadyExists');
  await t.settle(8);
  assert.deepEqual((await t.call('DescribeAutoScalingGroups', { AutoScalingGroupNames: ['my-web-app-asg'] })).AutoScalingGroups, []);
  const file = await failure(t.call('DeleteAutoScalingGroup', { AutoScalingGroupName: 'filegroup', ForceDelete: true }));
  assert.equal(file.code, 'ResourceOwnedByFile');
});

test('describe: tag filters and MaxRecords/NextToken pages', async () => {
  const t = await setup();
  await tutorialGroup(t);
  const byTag = await t.call('DescribeAutoScalingGroups', { Filters: [{ Name: 'tag:team', Values: ['web'] }] });
  assert.deepEqual(byTag.AutoScalingGroups.map((g: { AutoScalingGroupName: string }) => g.AutoScalingGroupName), ['my-web-app-asg']);
  const byKey = await t.call('DescribeAutoScalingGroups', { Filters: [{ Name: 'tag-key', Values: ['nope'] }] });
  assert.deepEqual(byKey.AutoScalingGroups, []);
  const p1 = await t.call('DescribeAutoScalingGroups', { MaxRecords: 1 });
  assert.equal(p1.AutoScalingGroups.length, 1);
  const p2 = await t.call('DescribeAutoScalingGroups', { MaxRecords: 1, NextToken: p1.NextToken });
  assert.equal(p2.NextToken, undefined);
  assert.notEqual(p2.AutoScalingGroups[0].AutoScalingGroupName, p1.AutoScalingGroups[0].AutoScalingGroupName);
  assert.equal((await failure(t.call('DescribeAutoScalingGroups', { NextToken: 'garbage' }))).code, 'InvalidNextToken');
  const acts = await t.call('DescribeScalingActivities', { AutoScalingGroupName: 'filegroup' });
  assert.ok(Array.isArray(acts.Activities));
});
