/**
 * Every Auto Scaling operation shoal has, through the AWS SDK for JavaScript
 * v3 against a real daemon with real process instances: a group the file
 * declares (runtime operations work on it; changing or deleting its declared
 * configuration names the file and line) beside one the API creates, and the
 * instances, target groups, traffic sources, policies, scheduled actions,
 * activities, lifecycle hooks, instance refreshes, warm pools, processes and
 * tags of a group, with AWS's paging and error codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachInstancesCommand, AttachLoadBalancerTargetGroupsCommand, AttachTrafficSourcesCommand, AutoScalingClient, CancelInstanceRefreshCommand,
  CompleteLifecycleActionCommand, CreateAutoScalingGroupCommand, CreateOrUpdateTagsCommand, DeleteAutoScalingGroupCommand, DeleteLifecycleHookCommand,
  DeletePolicyCommand, DeleteScheduledActionCommand, DeleteTagsCommand, DeleteWarmPoolCommand, DescribeAccountLimitsCommand,
  DescribeAutoScalingGroupsCommand, DescribeAutoScalingInstancesCommand, DescribeInstanceRefreshesCommand, DescribeLifecycleHooksCommand,
  DescribePoliciesCommand, DescribeScalingActivitiesCommand, DescribeScheduledActionsCommand, DescribeTagsCommand, DescribeTrafficSourcesCommand,
  DescribeWarmPoolCommand, DetachInstancesCommand, DetachLoadBalancerTargetGroupsCommand, DetachTrafficSourcesCommand, EnterStandbyCommand,
  ExecutePolicyCommand, ExitStandbyCommand, PutLifecycleHookCommand, PutScalingPolicyCommand, PutScheduledUpdateGroupActionCommand,
  PutWarmPoolCommand, RecordLifecycleActionHeartbeatCommand, ResumeProcessesCommand, RollbackInstanceRefreshCommand, SetDesiredCapacityCommand,
  SetInstanceHealthCommand, SetInstanceProtectionCommand, StartInstanceRefreshCommand, SuspendProcessesCommand,
  TerminateInstanceInAutoScalingGroupCommand, UpdateAutoScalingGroupCommand, type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { OPERATIONS } from '../../src/api/aws/autoscaling/index.js';
import { freePort } from '../support/backends.js';
import { sdkConfig } from '../support/aws.js';
import { groupConfig, startAsgDaemon, waitFor } from './asg-support.js';

const EXTRA_GROUP = `  - name: other
    port: OTHER_PORT
    healthCheck: { path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
    attributes: { deregistrationDelaySeconds: 0 }
`;

test('Auto Scaling through the SDK v3: every operation, on a file-owned group and an API-created one', async (t) => {
  const lbPort = await freePort();
  const appPort = await freePort();
  const yaml = groupConfig({ lbPort, appPort, min: 1, max: 3, desired: 1, delay: 0, zones: ['zone-a'] })
    .replace('launchTemplates:', `${EXTRA_GROUP.replace('OTHER_PORT', String(await freePort()))}launchTemplates:`);
  const d = await startAsgDaemon(yaml);
  t.after(() => d.destroy());
  const as = new AutoScalingClient(sdkConfig(d.daemon));
  const ec2 = new EC2Client(sdkConfig(d.daemon));
  const elb = new ElasticLoadBalancingV2Client(sdkConfig(d.daemon));
  // The SDK names a modelled error by its shape (AlreadyExists: AlreadyExistsFault), others by their code.
  const failure = (p: Promise<unknown>) => p.then(() => ({ code: 'no error', message: '' }), (e: Error) => ({ code: e.name, message: e.message }));
  const called = new Set<string>();
  const send: AutoScalingClient['send'] = ((cmd: { constructor: { name: string } }) => {
    called.add(cmd.constructor.name.replace(/Command$/, ''));
    return (as.send as (c: unknown) => Promise<unknown>)(cmd);
  }) as AutoScalingClient['send'];
  const group = async (name: string): Promise<AutoScalingGroup> =>
    (await send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0]!;
  const inService = (g: AutoScalingGroup) => (g.Instances ?? []).filter((i) => i.LifecycleState === 'InService');

  const limits = await send(new DescribeAccountLimitsCommand({}));
  assert.equal(limits.NumberOfAutoScalingGroups, 1, 'the file\'s group');

  // The file's group: runtime operations work; its declared configuration is the file's.
  const fileGroup = await waitFor('the file group in service', async () => inService(await group('app')).length === 1 && group('app'));
  assert.equal(fileGroup.MinSize, 1);
  const update = await failure(send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'app', MaxSize: 5 })));
  assert.equal(update.code, 'ResourceOwnedByFile');
  const groupLine = yaml.split('\n').indexOf('autoScalingGroups:') + 2;
  assert.ok(update.message.includes(`${d.configPath}:${groupLine}`), `names the file and the group's line: ${update.message}`);
  assert.equal((await failure(send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'app', ForceDelete: true })))).code, 'ResourceOwnedByFile');
  assert.deepEqual(await failure(send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'app', DesiredCapacity: 4 }))),
    { code: 'ValidationError', message: 'New SetDesiredCapacity value 4 is above max value 3 for the AutoScalingGroup.' });
  await send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'app', DesiredCapacity: 2, HonorCooldown: false }));
  const two = await waitFor('two in service', async () => { const g = await group('app'); return inService(g).length === 2 && g; }, 30_000);
  const [first, second] = inService(two).map((i) => i.InstanceId!).sort();

  // Instances: health, protection, standby, detach and attach, terminate.
  const described = await send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [first!] }));
  assert.equal(described.AutoScalingInstances![0]!.AutoScalingGroupName, 'app');
  const page = await send(new DescribeAutoScalingInstancesCommand({ MaxRecords: 1 }));
  assert.equal(page.AutoScalingInstances!.length, 1);
  assert.ok(page.NextToken, 'instances page');
  assert.equal((await send(new DescribeAutoScalingInstancesCommand({ MaxRecords: 1, NextToken: page.NextToken }))).AutoScalingInstances!.length, 1);
  await send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'app', InstanceIds: [first!], ProtectedFromScaleIn: true }));
  assert.equal((await group('app')).Instances!.find((i) => i.InstanceId === first)!.ProtectedFromScaleIn, true);
  await send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'app', InstanceIds: [first!], ProtectedFromScaleIn: false }));
  const standby = await send(new EnterStandbyCommand({ AutoScalingGroupName: 'app', InstanceIds: [second!], ShouldDecrementDesiredCapacity: true }));
  assert.match(standby.Activities![0]!.Description!, /standby/i);
  await waitFor('second in standby', async () => (await group('app')).Instances!.find((i) => i.InstanceId === second)?.LifecycleState === 'Standby');
  assert.equal((await group('app')).DesiredCapacity, 1);
  await send(new ExitStandbyCommand({ AutoScalingGroupName: 'app', InstanceIds: [second!] }));
  await waitFor('second back in service', async () => (await group('app')).Instances!.find((i) => i.InstanceId === second)?.LifecycleState === 'InService');
  await send(new DetachInstancesCommand({ AutoScalingGroupName: 'app', InstanceIds: [second!], ShouldDecrementDesiredCapacity: true }));
  await waitFor('second detached', async () => !(await group('app')).Instances!.some((i) => i.InstanceId === second));
  assert.equal((await send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [second!] }))).AutoScalingInstances!.length, 0);
  await send(new AttachInstancesCommand({ AutoScalingGroupName: 'app', InstanceIds: [second!] }));
  await waitFor('second attached', async () => (await group('app')).Instances!.find((i) => i.InstanceId === second)?.LifecycleState === 'InService');
  assert.equal((await group('app')).DesiredCapacity, 2, 'attaching adds to the desired capacity');
  await send(new SetInstanceHealthCommand({ InstanceId: second!, HealthStatus: 'Unhealthy', ShouldRespectGracePeriod: false }));
  const replaced = await waitFor('the unhealthy instance replaced', async () => {
    const g = await group('app');
    return !g.Instances!.some((i) => i.InstanceId === second) && inService(g).length === 2 && g;
  }, 30_000);
  const third = inService(replaced).map((i) => i.InstanceId!).find((id) => id !== first)!;
  const term = await send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: third, ShouldDecrementDesiredCapacity: true }));
  assert.match(term.Activity!.Description!, new RegExp(`Terminating EC2 instance: ${third}`));
  await waitFor('one left', async () => { const g = await group('app'); return g.DesiredCapacity === 1 && g.Instances!.length === 1; }, 30_000);
  assert.equal((await failure(send(new SetInstanceHealthCommand({ InstanceId: 'i-0123456789abcdef0', HealthStatus: 'Healthy' })))).code, 'ValidationError');

  // A group of the API's own, from the file's launch template, in a zone given by its subnet.
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
  const zoneA = subnets.find((s) => s.AvailabilityZone === 'zone-a')!.SubnetId!;
  await send(new CreateAutoScalingGroupCommand({
    AutoScalingGroupName: 'api-group', LaunchTemplate: { LaunchTemplateName: 'app', Version: '$Latest' }, MinSize: 0, MaxSize: 3, DesiredCapacity: 1,
    VPCZoneIdentifier: zoneA, Tags: [{ Key: 'team', Value: 'web', PropagateAtLaunch: true }],
  }));
  assert.equal((await failure(send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'api-group', LaunchTemplate: { LaunchTemplateName: 'app' }, MinSize: 0, MaxSize: 1 })))).code, 'AlreadyExistsFault');
  assert.equal((await failure(send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'bad', LaunchTemplate: { LaunchTemplateName: 'app' }, MinSize: 2, MaxSize: 1 })))).code, 'ValidationError');
  await send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'api-group', MaxSize: 4, DefaultCooldown: 0 }));
  const apiGroup = await waitFor('api-group in service', async () => { const g = await group('api-group'); return inService(g).length === 1 && g; }, 30_000);
  assert.equal(apiGroup.MaxSize, 4);
  assert.deepEqual(apiGroup.AvailabilityZones, ['zone-a']);
  const names: string[] = [];
  let token: string | undefined;
  do {
    const p = await send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 1, NextToken: token }));
    names.push(...p.AutoScalingGroups!.map((g) => g.AutoScalingGroupName!));
    token = p.NextToken;
  } while (token);
  assert.deepEqual(names.sort(), ['api-group', 'app']);
  assert.equal((await send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['nope'] }))).AutoScalingGroups!.length, 0, 'AWS: an empty list, no error');

  // Target groups and traffic sources: the file's group keeps the file's; an API group gains and loses them at runtime.
  const tgs = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups!;
  const otherArn = tgs.find((g) => g.TargetGroupName === 'other')!.TargetGroupArn!;
  assert.equal((await failure(send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'app', TargetGroupARNs: [otherArn] })))).code, 'ResourceOwnedByFile');
  const otherTargets = async () => (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: otherArn }))).TargetHealthDescriptions ?? [];
  await send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'api-group', TargetGroupARNs: [otherArn] }));
  await waitFor('the group\'s instance registered in other', async () => (await otherTargets()).length === 1);
  const sources = await send(new DescribeTrafficSourcesCommand({ AutoScalingGroupName: 'api-group' }));
  assert.deepEqual(sources.TrafficSources!.map((s) => s.Identifier), [otherArn]);
  await send(new DetachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'api-group', TargetGroupARNs: [otherArn] }));
  await waitFor('the instance gone from other', async () => (await otherTargets()).length === 0);
  await send(new AttachTrafficSourcesCommand({ AutoScalingGroupName: 'api-group', TrafficSources: [{ Identifier: otherArn, Type: 'elbv2' }] }));
  assert.equal((await send(new DescribeTrafficSourcesCommand({ AutoScalingGroupName: 'api-group', TrafficSourceType: 'elbv2' }))).TrafficSources!.length, 1);
  await send(new DetachTrafficSourcesCommand({ AutoScalingGroupName: 'api-group', TrafficSources: [{ Identifier: otherArn, Type: 'elbv2' }] }));
  assert.equal((await send(new DescribeTrafficSourcesCommand({ AutoScalingGroupName: 'api-group' }))).TrafficSources!.length, 0);

  // Tags.
  await send(new CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: 'api-group', ResourceType: 'auto-scaling-group', Key: 'env', Value: 'test', PropagateAtLaunch: false }] }));
  const tags = await send(new DescribeTagsCommand({ Filters: [{ Name: 'auto-scaling-group', Values: ['api-group'] }] }));
  assert.deepEqual(tags.Tags!.map((x) => `${x.Key}=${x.Value}`).sort(), ['env=test', 'team=web']);
  await send(new DeleteTagsCommand({ Tags: [{ ResourceId: 'api-group', ResourceType: 'auto-scaling-group', Key: 'env' }] }));
  assert.deepEqual((await send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['env'] }] }))).Tags, []);

  // Policies: a simple one run by hand, a target tracking one described.
  const simple = await send(new PutScalingPolicyCommand({ AutoScalingGroupName: 'api-group', PolicyName: 'add-one', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 1, Cooldown: 0 }));
  assert.match(simple.PolicyARN!, /^arn:aws:autoscaling:us-east-1:\d{12}:scalingPolicy:[0-9a-f-]+:autoScalingGroupName\/api-group:policyName\/add-one$/);
  const tracking = await send(new PutScalingPolicyCommand({
    AutoScalingGroupName: 'api-group', PolicyName: 'cpu50', PolicyType: 'TargetTrackingScaling', Enabled: false,
    TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50 },
  }));
  assert.equal(tracking.Alarms!.length, 2, 'the high and low alarms of target tracking');
  const policies = await send(new DescribePoliciesCommand({ AutoScalingGroupName: 'api-group' }));
  assert.deepEqual(policies.ScalingPolicies!.map((p) => `${p.PolicyName}:${p.PolicyType}`).sort(), ['add-one:SimpleScaling', 'cpu50:TargetTrackingScaling']);
  await send(new ExecutePolicyCommand({ AutoScalingGroupName: 'api-group', PolicyName: 'add-one', HonorCooldown: false }));
  await waitFor('the policy added one', async () => (await group('api-group')).DesiredCapacity === 2);
  await send(new DeletePolicyCommand({ AutoScalingGroupName: 'api-group', PolicyName: 'cpu50' }));
  assert.equal((await failure(send(new ExecutePolicyCommand({ AutoScalingGroupName: 'api-group', PolicyName: 'cpu50' })))).code, 'ValidationError');
  assert.equal((await send(new DescribePoliciesCommand({ AutoScalingGroupName: 'api-group' }))).ScalingPolicies!.length, 1);

  // Scheduled actions (far in the future: described, never run here).
  await send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'api-group', ScheduledActionName: 'nightly', Recurrence: '0 2 * * *', DesiredCapacity: 1 }));
  const scheduled = await send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'api-group' }));
  assert.equal(scheduled.ScheduledUpdateGroupActions![0]!.Recurrence, '0 2 * * *');
  await send(new DeleteScheduledActionCommand({ AutoScalingGroupName: 'api-group', ScheduledActionName: 'nightly' }));
  assert.equal((await send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'api-group' }))).ScheduledUpdateGroupActions!.length, 0);

  // Lifecycle hooks: a launching instance waits until the action completes.
  await waitFor('api-group at two', async () => inService(await group('api-group')).length === 2, 30_000);
  await send(new PutLifecycleHookCommand({ AutoScalingGroupName: 'api-group', LifecycleHookName: 'warm-up', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', HeartbeatTimeout: 300, DefaultResult: 'ABANDON' }));
  assert.equal((await send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'api-group' }))).LifecycleHooks![0]!.HeartbeatTimeout, 300);
  await send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'api-group', DesiredCapacity: 3 }));
  const waiting = await waitFor('an instance in Pending:Wait', async () => (await group('api-group')).Instances!.find((i) => i.LifecycleState === 'Pending:Wait'), 30_000);
  await send(new RecordLifecycleActionHeartbeatCommand({ AutoScalingGroupName: 'api-group', LifecycleHookName: 'warm-up', InstanceId: waiting.InstanceId }));
  await send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: 'api-group', LifecycleHookName: 'warm-up', InstanceId: waiting.InstanceId, LifecycleActionResult: 'CONTINUE' }));
  await waitFor('it goes in service', async () => (await group('api-group')).Instances!.find((i) => i.InstanceId === waiting.InstanceId)?.LifecycleState === 'InService', 30_000);
  await send(new DeleteLifecycleHookCommand({ AutoScalingGroupName: 'api-group', LifecycleHookName: 'warm-up' }));
  assert.equal((await send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'api-group' }))).LifecycleHooks!.length, 0);
  assert.equal((await failure(send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: 'api-group', LifecycleHookName: 'warm-up', InstanceId: waiting.InstanceId, LifecycleActionResult: 'CONTINUE' })))).code, 'ValidationError');

  // Activities: every change above has one, with its cause; paged.
  const activities = await send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'api-group' }));
  assert.ok(activities.Activities!.length >= 3);
  assert.ok(activities.Activities!.every((a) => a.Cause && a.StatusCode), 'each activity has a cause and a status');
  const firstPage = await send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'api-group', MaxRecords: 2 }));
  assert.equal(firstPage.Activities!.length, 2);
  assert.ok(firstPage.NextToken);

  // Instance refresh: a checkpoint holds it in progress; rolled back to the configuration it replaced; a second one cancelled.
  await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'app', SourceVersion: '1', LaunchTemplateData: { ImageId: undefined, InstanceType: 't3.small' } }));
  await send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'api-group', DesiredCapacity: 2 }));
  await waitFor('api-group at two again', async () => { const g = await group('api-group'); return g.Instances!.length === 2 && inService(g).length === 2; }, 30_000);
  const refresh = await send(new StartInstanceRefreshCommand({
    AutoScalingGroupName: 'api-group', DesiredConfiguration: { LaunchTemplate: { LaunchTemplateName: 'app', Version: '2' } },
    Preferences: { MinHealthyPercentage: 50, InstanceWarmup: 0, CheckpointPercentages: [50], CheckpointDelay: 3600 },
  }));
  assert.equal((await failure(send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'api-group' })))).code, 'InstanceRefreshInProgressFault');
  await waitFor('the refresh at its checkpoint', async () => {
    const r = (await send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'api-group' }))).InstanceRefreshes![0]!;
    return r.InstanceRefreshId === refresh.InstanceRefreshId && r.PercentageComplete === 50 && r;
  }, 40_000);
  await send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: 'api-group' }));
  const rolledBack = await waitFor('rolled back', async () => {
    const r = (await send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'api-group' }))).InstanceRefreshes![0]!;
    return r.Status === 'RollbackSuccessful' && r;
  }, 40_000);
  assert.match(rolledBack.RollbackDetails!.RollbackReason!, /user/);
  await send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'api-group', Preferences: { MinHealthyPercentage: 50, InstanceWarmup: 0, CheckpointPercentages: [50], CheckpointDelay: 3600 } }));
  assert.equal((await failure(send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: 'api-group' })))).code, 'IrreversibleInstanceRefreshFault');
  await send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'api-group' }));
  await waitFor('cancelled', async () =>
    (await send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'api-group' }))).InstanceRefreshes![0]!.Status === 'Cancelled', 40_000);
  assert.equal((await failure(send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'api-group' })))).code, 'ActiveInstanceRefreshNotFoundFault');

  // Processes: a suspended Launch keeps the group from growing; resumed, it grows.
  await send(new SuspendProcessesCommand({ AutoScalingGroupName: 'api-group', ScalingProcesses: ['Launch'] }));
  assert.deepEqual((await group('api-group')).SuspendedProcesses!.map((p) => p.ProcessName), ['Launch']);
  await send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'api-group', DesiredCapacity: 3 }));
  for (let i = 0; i < 3; i++) await d.asg.pass(); // reconcile passes that would launch, were Launch not suspended
  assert.equal((await group('api-group')).Instances!.length, 2, 'no launch while Launch is suspended');
  await send(new ResumeProcessesCommand({ AutoScalingGroupName: 'api-group' }));
  await waitFor('launched once resumed', async () => inService(await group('api-group')).length === 3, 30_000);

  // Warm pool: a stopped instance waits beside the group.
  await send(new PutWarmPoolCommand({ AutoScalingGroupName: 'api-group', MinSize: 1, PoolState: 'Stopped', MaxGroupPreparedCapacity: 4 }));
  const pool = await waitFor('a warmed instance', async () => {
    const w = await send(new DescribeWarmPoolCommand({ AutoScalingGroupName: 'api-group' }));
    return w.Instances!.some((i) => i.LifecycleState === 'Warmed:Stopped') && w;
  }, 30_000);
  assert.equal(pool.WarmPoolConfiguration!.PoolState, 'Stopped');
  await send(new DeleteWarmPoolCommand({ AutoScalingGroupName: 'api-group', ForceDelete: true }));
  await waitFor('the pool gone', async () => (await send(new DescribeWarmPoolCommand({ AutoScalingGroupName: 'api-group' }))).WarmPoolConfiguration === undefined, 30_000);

  // Deleting: a group with instances needs ForceDelete (AWS: ResourceInUse); then it goes, instances and all.
  assert.equal((await failure(send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'api-group' })))).code, 'ResourceInUseFault');
  await send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'api-group', ForceDelete: true }));
  await waitFor('api-group deleted', async () => (await send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['api-group'] }))).AutoScalingGroups!.length === 0, 30_000);
  assert.equal((await failure(send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'api-group', DesiredCapacity: 1 })))).code, 'ValidationError');

  const missing = OPERATIONS.filter((op) => !called.has(op));
  assert.deepEqual(missing, [], 'every Auto Scaling operation shoal has is called here');
});
