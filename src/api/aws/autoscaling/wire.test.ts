/**
 * The operations behind the Query codec, in-process: the AWS CLI's form
 * parameters for the tutorial's create-auto-scaling-group become the input,
 * and the outputs encode along the model (timestamps, lists, booleans).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODELS } from '../model/shapes.js';
import { AWS_QUERY, parseParams } from '../query/params.js';
import { toXml } from '../query/xml.js';
import { shortId, tgArn } from '../elbv2/arns.js';
import { CTX, setup } from './testing.js';

const model = MODELS.autoscaling;
const input = (op: string, params: Record<string, string>) =>
  parseParams(model, model.operations[op]!.input!.shape, new Map(Object.entries(params)), AWS_QUERY);
const xml = (op: string, out: Record<string, unknown>) => toXml(model, model.operations[op]!.output!.shape, out, 'query');

test('create-auto-scaling-group as the AWS CLI sends it, then describe-auto-scaling-groups as XML', async () => {
  const t = await setup();
  const [a, b] = t.zones.list();
  const arn = tgArn(CTX.region, 'app', shortId(t.model.get('targetGroups', 'app')!.id));
  await t.call('CreateAutoScalingGroup', input('CreateAutoScalingGroup', {
    AutoScalingGroupName: 'web-api-asg', 'LaunchTemplate.LaunchTemplateName': 'web-lt', MinSize: '2', MaxSize: '10', DesiredCapacity: '2',
    'TargetGroupARNs.member.1': arn, HealthCheckType: 'ELB', HealthCheckGracePeriod: '300', VPCZoneIdentifier: `${a!.subnetId},${b!.subnetId}`,
    'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'web', 'Tags.member.1.PropagateAtLaunch': 'true',
  }));
  await t.settle();
  const out = xml('DescribeAutoScalingGroups', await t.call('DescribeAutoScalingGroups', input('DescribeAutoScalingGroups', { 'AutoScalingGroupNames.member.1': 'web-api-asg' })));
  assert.match(out, /<AutoScalingGroupName>web-api-asg<\/AutoScalingGroupName>/);
  assert.match(out, /<CreatedTime>2026-11-22T10:00:00(\.000)?Z<\/CreatedTime>/);
  assert.match(out, /<TargetGroupARNs><member>arn:aws:elasticloadbalancing:[^<]+<\/member><\/TargetGroupARNs>/);
  assert.equal((out.match(/<LifecycleState>InService<\/LifecycleState>/g) ?? []).length, 2);
  assert.match(out, /<PropagateAtLaunch>true<\/PropagateAtLaunch>/);
  const policy = xml('PutScalingPolicy', await t.call('PutScalingPolicy', input('PutScalingPolicy', {
    AutoScalingGroupName: 'web-api-asg', PolicyName: 'cpu', PolicyType: 'TargetTrackingScaling',
    'TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType': 'ASGAverageCPUUtilization', 'TargetTrackingConfiguration.TargetValue': '70.0',
  })));
  assert.match(policy, /<PolicyARN>arn:aws:autoscaling:[^<]+policyName\/cpu<\/PolicyARN>/);
  assert.match(policy, /<Alarms><member><AlarmName>TargetTracking-web-api-asg-cpu-AlarmHigh<\/AlarmName>/);
  const acts = xml('DescribeScalingActivities', await t.call('DescribeScalingActivities', input('DescribeScalingActivities', { AutoScalingGroupName: 'web-api-asg' })));
  assert.match(acts, /<StatusCode>Successful<\/StatusCode>/);
});
