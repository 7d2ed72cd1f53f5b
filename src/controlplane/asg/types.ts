/**
 * What the ASG controller keeps per group in the store (kind status:asg):
 * observed and runtime state, apart from the config's spec (style.md rule 6).
 * Written by the controller only; API calls go through the controller.
 */
import type { InstanceRefresh } from './refresh/types.js';
import type { WarmPoolState, WarmState } from './warm-pool/types.js';

export type LifecycleState =
  | 'Pending' | 'Pending:Wait' | 'InService' | 'Standby'
  | 'Terminating' | 'Terminating:Wait' | WarmState;

export type HealthStatus = 'Healthy' | 'Unhealthy';

export const PROCESSES = [
  'Launch', 'Terminate', 'HealthCheck', 'ReplaceUnhealthy', 'AZRebalance',
  'AlarmNotification', 'ScheduledActions', 'AddToLoadBalancer', 'InstanceRefresh',
] as const;
export type ProcessName = (typeof PROCESSES)[number];

export interface Termination {
  /** The activity's cause, AWS's form. */
  cause: string;
  activityId: string;
  since: number;
  /** Deregistered from its target groups at this time; draining until the registry lets go. */
  deregisteredAt?: number;
  /** Drain cap: the longest deregistration delay of its groups, plus a margin. */
  drainDeadline?: number;
  /** provider.terminate was called (SIGTERM, then SIGKILL after the stop timeout). */
  stopping?: boolean;
  /** Scale-in with the warm pool's reuseOnScaleIn: after the drain it goes back to the pool instead. */
  toWarmPool?: boolean;
}

export interface LifecycleWait {
  hook: string;
  transition: 'autoscaling:EC2_INSTANCE_LAUNCHING' | 'autoscaling:EC2_INSTANCE_TERMINATING';
  token: string;
  deadline: number;
  heartbeatTimeout: number;
  defaultResult: 'CONTINUE' | 'ABANDON';
  /** Set by complete-lifecycle-action; acted on by the next pass. */
  result?: 'CONTINUE' | 'ABANDON';
  /** Hooks of this transition already completed. */
  done: string[];
}

export interface InstanceRecord {
  instanceId: string;
  availabilityZone: string;
  lifecycleState: LifecycleState;
  healthStatus: HealthStatus;
  /** Set with healthStatus Unhealthy: why, fit for the activity history. */
  unhealthyReason?: string;
  /** With Unhealthy: the "taken out of service" sentence of the replacement's cause. */
  unhealthyCause?: string;
  /** When the controller chose to launch it (the grace period counts from here). */
  launchedAt: number;
  templateName: string;
  templateVersion: number;
  protectedFromScaleIn: boolean;
  /** The provider confirmed the launch (false while the launch call runs, or after it failed). */
  launched: boolean;
  /** Registered in the group's target groups as this target. */
  target?: { id: string; port: number };
  registered: boolean;
  /** Passed its health checks once; a failure before that counts toward the crash-loop back-off. */
  proven: boolean;
  terminating?: Termination;
  wait?: LifecycleWait;
}

export interface Backoff {
  /** Consecutive new instances that failed before ever passing health checks. */
  failures: number;
  /** Launches wait until then (clock ms). */
  until?: number;
  lastReason?: string;
  lastInstanceId?: string;
  bootFailure?: boolean;
}

export interface Activity {
  ActivityId: string;
  AutoScalingGroupName: string;
  Description: string;
  Cause: string;
  StartTime: string;
  EndTime?: string;
  StatusCode: 'InProgress' | 'Successful' | 'Failed' | 'Cancelled' | 'WaitingForELBConnectionDraining' | 'MidLifecycleAction';
  StatusMessage?: string;
  Progress: number;
  Details?: Record<string, string>;
}

export interface GroupState {
  name: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  /** min/max/desired as the config last said, so a reload changes them only when the file did. */
  configured: { minSize: number; maxSize: number; desiredCapacity: number };
  suspended: ProcessName[];
  instances: InstanceRecord[];
  backoff: Backoff;
  /** Activities still in progress (finished ones go to the history stream). */
  open: Activity[];
  /** The latest change of desired capacity, quoted in the causes of the launches/terminations it causes. */
  lastCapacityChange?: { text: string; consumed: boolean };
  /** Instance refreshes, newest first (refresh/types.ts). */
  refreshes?: InstanceRefresh[];
  /**
   * The launch template a successful refresh with a desired configuration left
   * the group on, until the config file's own launchTemplate changes (`configured`).
   */
  launchTemplate?: { name: string; version: string | number; configured: string };
  warmPool?: WarmPoolState;
  /** The group's tags with PropagateAtLaunch (set through the AWS API): new instances get them. */
  launchTags?: Record<string, string>;
}

export const STATE_KIND = 'status:asg';

export function activityStream(group: string): string {
  return `activity:asg:${group}`;
}

/** Counted toward capacity: AWS counts Pending and InService instances, healthy ones. */
export function counts(r: InstanceRecord): boolean {
  return (r.lifecycleState === 'Pending' || r.lifecycleState === 'Pending:Wait' || r.lifecycleState === 'InService')
    && r.healthStatus === 'Healthy' && r.terminating === undefined;
}
