/**
 * EC2 Auto Scaling (API 2011-01-01) operations over shoal's model and its
 * Auto Scaling service: groups, instances, policies, scheduled actions,
 * lifecycle hooks, instance refreshes, warm pools, tags, activities.
 * See docs/aws-api.md ("Auto Scaling").
 */
import { awsError, type Operations } from '../common/op.js';
import type { AutoScalingDeps } from './deps.js';
import { describeOps } from './describe.js';
import { groupOps, type Deleting } from './groups.js';
import { instanceOps } from './instances.js';
import { policyOps } from './policies.js';
import { tagOps } from './tags.js';
import { trafficOps } from './traffic.js';

export type { AutoScalingDeps } from './deps.js';

const ALL = [
  'CreateAutoScalingGroup', 'UpdateAutoScalingGroup', 'DeleteAutoScalingGroup', 'DescribeAutoScalingGroups', 'DescribeAutoScalingInstances',
  'SetDesiredCapacity', 'TerminateInstanceInAutoScalingGroup', 'SetInstanceHealth', 'SetInstanceProtection', 'AttachInstances',
  'DetachInstances', 'EnterStandby', 'ExitStandby', 'AttachLoadBalancerTargetGroups', 'DetachLoadBalancerTargetGroups',
  'AttachTrafficSources', 'DetachTrafficSources', 'DescribeTrafficSources', 'DescribePolicies', 'PutScalingPolicy', 'DeletePolicy',
  'ExecutePolicy', 'PutScheduledUpdateGroupAction', 'DescribeScheduledActions', 'DeleteScheduledAction', 'DescribeScalingActivities',
  'PutLifecycleHook', 'DescribeLifecycleHooks', 'DeleteLifecycleHook', 'CompleteLifecycleAction', 'RecordLifecycleActionHeartbeat',
  'StartInstanceRefresh', 'DescribeInstanceRefreshes', 'CancelInstanceRefresh', 'RollbackInstanceRefresh', 'PutWarmPool',
  'DescribeWarmPool', 'DeleteWarmPool', 'SuspendProcesses', 'ResumeProcesses', 'CreateOrUpdateTags', 'DeleteTags', 'DescribeTags',
  'DescribeAccountLimits',
] as const;

export function operations(d: AutoScalingDeps): Operations {
  const deleting: Deleting = new Map();
  const ops: Operations = {
    ...groupOps(d, deleting),
    ...describeOps(d, deleting),
    ...policyOps(d),
    ...instanceOps(d),
    ...trafficOps(d),
    ...tagOps(d),
  };
  for (const name of ALL) {
    ops[name] ??= () => {
      throw awsError('UnsupportedOperation', `${name} is not supported by shoal yet`, 400);
    };
  }
  return ops;
}
