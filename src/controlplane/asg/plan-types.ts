/** Inputs and outputs of the ASG plans (plan.ts): plain data, so plans are pure and table-tested. */
import type { HealthCheckType, TerminationPolicy } from '../../model/auto-scaling.js';
import type { TargetHealthState } from '../../model/target-group.js';
import type { InstanceObservation } from '../../providers/provider.js';
import type { RefreshUpdate } from './refresh/types.js';
import type { Backoff, GroupState } from './types.js';

/** A CloudWatch alarm's state as the refresh's alarm specification reads it (undefined: no such alarm). */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' | undefined;

export interface HookSpec {
  name: string;
  transition: 'autoscaling:EC2_INSTANCE_LAUNCHING' | 'autoscaling:EC2_INSTANCE_TERMINATING';
  heartbeatTimeout: number;
  defaultResult: 'CONTINUE' | 'ABANDON';
}

/** The group as the plan needs it: the config's spec plus the resolved template version. */
export interface GroupSpec {
  name: string;
  zones: string[];
  targetGroups: string[];
  healthCheckType: HealthCheckType;
  healthCheckGracePeriod: number;
  terminationPolicies: TerminationPolicy[];
  templateName: string;
  templateVersion: number;
  hooks: HookSpec[];
}

export interface Desired {
  spec: GroupSpec;
  state: GroupState;
}

export interface TargetState {
  group: string;
  state: TargetHealthState;
  description?: string;
}

export interface Observed {
  instances: ReadonlyMap<string, InstanceObservation>;
  /** Per instance id: its health in each target group it is registered in. */
  targets: ReadonlyMap<string, readonly TargetState[]>;
  /** Instances with a target still draining in some target group. */
  draining: ReadonlySet<string>;
  /** Instances with a provider call (launch or terminate) in flight. */
  busy: ReadonlySet<string>;
  /** States of the alarms the active instance refresh watches. */
  alarms?: ReadonlyMap<string, AlarmState>;
  /** Zones where launches cannot succeed now, with the reason (Provider.impairedZones). */
  impairedZones?: ReadonlyMap<string, string>;
}

export type Action =
  | { kind: 'markUnhealthy'; instanceId: string; reason: string; cause: string; countsAsFailure: boolean; bootFailure: boolean }
  | { kind: 'markProven'; instanceId: string; reason: string }
  | { kind: 'setBackoff'; backoff: Backoff; paused: boolean; reason: string }
  | { kind: 'launch'; zone: string; reason: string; cause: string; warm?: boolean }
  | { kind: 'adopt'; instanceId: string; reason: string }
  | { kind: 'forget'; instanceId: string; reason: string }
  | { kind: 'putInService'; instanceId: string; register: boolean; reason: string }
  | { kind: 'register'; instanceId: string; reason: string }
  | { kind: 'wait'; instanceId: string; hook: string; reason: string }
  | { kind: 'hookDone'; instanceId: string; result: 'CONTINUE' | 'ABANDON'; reason: string }
  | { kind: 'startTerminate'; instanceId: string; cause: string; reason: string; toWarmPool?: boolean }
  | { kind: 'stop'; instanceId: string; reason: string }
  | { kind: 'refresh'; update: RefreshUpdate; reason: string }
  | { kind: 'warmReady'; instanceId: string; to: 'Warmed:Stopped' | 'Warmed:Running'; reason: string }
  | { kind: 'fromWarmPool'; instanceId: string; reason: string; cause: string }
  | { kind: 'toWarmPool'; instanceId: string; reason: string };

export type ActionKind = Action['kind'];
