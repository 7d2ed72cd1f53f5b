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
import { lifecycleOps } from './lifecycle.js';
import { policyOps } from './policies.js';
import { refreshOps } from './refresh.js';
import { scheduledOps } from './scheduled.js';
import { warmPoolOps } from './warm-pool.js';
import { tagOps } from './tags.js';
import { trafficOps } from './traffic.js';

export type { AutoScalingDeps } from './deps.js';

/** Every operation of the service's API (the trimmed model's list). */
export const OPERATIONS = [
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
    ...lifecycleOps(d),
    ...refreshOps(d),
    ...warmPoolOps(d),
    ...scheduledOps(d),
    DescribeAccountLimits() {
      // shoal has no limits of its own here: AWS's default quotas, and the counts.
      return { MaxNumberOfAutoScalingGroups: 500, MaxNumberOfLaunchConfigurations: 200, NumberOfAutoScalingGroups: d.model.list('autoScalingGroups').length, NumberOfLaunchConfigurations: 0 };
    },
  };
  for (const name of OPERATIONS) {
    ops[name] ??= () => {
      throw awsError('UnsupportedOperation', `${name} is not supported by shoal yet`, 400);
    };
  }
  return ops;
}
