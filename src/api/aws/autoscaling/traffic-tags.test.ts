import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shortId, tgArn } from '../elbv2/arns.js';
import { CTX, failure, setup } from './testing.js';

const arnOf = (t: Awaited<ReturnType<typeof setup>>, name: string) => tgArn(CTX.region, name, shortId(t.model.get('targetGroups', name)!.id));

async function group(t: Awaited<ReturnType<typeof setup>>) {
  await t.call('CreateAutoScalingGroup', { AutoScalingGroupName: 'g', LaunchTemplate: { LaunchTemplateName: 'web-lt' }, MinSize: 1, MaxSize: 2, AvailabilityZones: ['zone-a'] });
  await t.settle();
}

test('attach-load-balancer-target-groups: instances register; describe-traffic-sources and detach', async () => {
  const t = await setup();
  await group(t);
  await t.call('AttachLoadBalancerTargetGroups', { AutoScalingGroupName: 'g', TargetGroupARNs: [arnOf(t, 'other')] });
  assert.deepEqual(t.model.get('autoScalingGroups', 'g')!.raw.targetGroups, ['other']);
  await t.settle();
  assert.equal(t.targets.registered.get('other')?.length, 1);
  await t.call('AttachTrafficSources', { AutoScalingGroupName: 'g', TrafficSources: [{ Identifier: arnOf(t, 'app'), Type: 'elbv2' }] });
  const ts = await t.call('DescribeTrafficSources', { AutoScalingGroupName: 'g' });
  assert.deepEqual(ts.TrafficSources.map((x: { Identifier: string; Type: string }) => [x.Identifier, x.Type]), [[arnOf(t, 'other'), 'elbv2'], [arnOf(t, 'app'), 'elbv2']]);
  assert.equal(ts.TrafficSources[0].TrafficSource, arnOf(t, 'other'));
  await t.call('DetachLoadBalancerTargetGroups', { AutoScalingGroupName: 'g', TargetGroupARNs: [arnOf(t, 'other')] });
  await t.call('DetachTrafficSources', { AutoScalingGroupName: 'g', TrafficSources: [{ Identifier: arnOf(t, 'app') }] });
  assert.deepEqual(t.model.get('autoScalingGroups', 'g')!.raw.targetGroups, []);
  const vpc = await failure(t.call('AttachTrafficSources', { AutoScalingGroupName: 'g', TrafficSources: [{ Identifier: 'arn:aws:vpc-lattice:x', Type: 'vpc-lattice' }] }));
  assert.match(vpc.message, /vpc-lattice .* is not supported by shoal/);
  const owned = await failure(t.call('AttachLoadBalancerTargetGroups', { AutoScalingGroupName: 'filegroup', TargetGroupARNs: [arnOf(t, 'other')] }));
  assert.equal(owned.code, 'ResourceOwnedByFile');
  const bad = await failure(t.call('AttachLoadBalancerTargetGroups', { AutoScalingGroupName: 'g', TargetGroupARNs: ['arn:aws:elasticloadbalancing:eu-west-3:000000000000:targetgroup/nope/0123456789abcdef'] }));
  assert.match(bad.message, /Provided Target Groups may not be valid/);
});

test('tags: create-or-update (file-owned groups too), describe with filters, delete', async () => {
  const t = await setup();
  await group(t);
  await t.call('CreateOrUpdateTags', { Tags: [
    { ResourceId: 'g', ResourceType: 'auto-scaling-group', Key: 'env', Value: 'dev', PropagateAtLaunch: true },
    { ResourceId: 'filegroup', ResourceType: 'auto-scaling-group', Key: 'env', Value: 'prod', PropagateAtLaunch: false },
  ] });
  const all = (await t.call('DescribeTags', {})).Tags;
  assert.deepEqual(all, [
    { ResourceId: 'filegroup', ResourceType: 'auto-scaling-group', Key: 'env', Value: 'prod', PropagateAtLaunch: false },
    { ResourceId: 'g', ResourceType: 'auto-scaling-group', Key: 'env', Value: 'dev', PropagateAtLaunch: true },
  ]);
  const dev = (await t.call('DescribeTags', { Filters: [{ Name: 'value', Values: ['dev'] }, { Name: 'propagate-at-launch', Values: ['true'] }] })).Tags;
  assert.deepEqual(dev.map((x: { ResourceId: string }) => x.ResourceId), ['g']);
  await t.call('DeleteTags', { Tags: [{ ResourceId: 'g', ResourceType: 'auto-scaling-group', Key: 'env' }] });
  assert.deepEqual((await t.call('DescribeTags', { Filters: [{ Name: 'auto-scaling-group', Values: ['g'] }] })).Tags, []);
  const missing = await failure(t.call('CreateOrUpdateTags', { Tags: [{ ResourceId: 'nope', ResourceType: 'auto-scaling-group', Key: 'a', Value: 'b' }] }));
  assert.equal(missing.code, 'ValidationError');
  const filt = await failure(t.call('DescribeTags', { Filters: [{ Name: 'colour', Values: ['x'] }] }));
  assert.equal(filt.code, 'ValidationError');
});
