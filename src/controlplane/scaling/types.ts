/**
 * What the scaling planners take and return. A Decision is one answer to one
 * trigger (an alarm evaluation, execute-policy, a scheduled action), whether
 * it changes the group or not: the ones that change it become activity
 * causes; every one is kept for `shoal explain`.
 */
import type { EvaluatedDatapoint } from '../../alarms/evaluate.js';
import type { AlarmState } from '../../model/scaling.js';
import type { Sized } from './arithmetic.js';

export type Trigger =
  | {
    kind: 'alarm';
    alarmName: string;
    state: AlarmState;
    evaluated: EvaluatedDatapoint[];
    threshold: number;
    /** "average CPU" */
    metricLabel: string;
    /** "%" */
    unit: string;
    /** Which of a target tracking policy's alarms fired. */
    role?: 'high' | 'low';
  }
  | { kind: 'user'; metricValue?: number; breachThreshold?: number; honorCooldown: boolean };

export interface GroupView extends Sized {
  name: string;
  /** In service and past the warmup. */
  warmed: number;
  /** Launched by a scale-out (or just in service) and still inside the warmup. */
  warming: number;
  /** The AlarmNotification process is suspended: alarms do not reach policies. */
  alarmsSuspended: boolean;
}

/** A simple scaling policy's wait (AWS: cooldown counts from the end of the scaling activity). */
export interface Cooldown {
  /** A scaling activity of a simple policy has not completed yet. */
  inProgress: boolean;
  until?: number;
}

export type DecisionKind = 'scale' | 'held' | 'none';

export interface Decision {
  group: string;
  policy?: string;
  scheduledAction?: string;
  at: number;
  kind: DecisionKind;
  from: number;
  to: number;
  /** min/max set by a scheduled action. */
  sizes?: { minSize?: number; maxSize?: number };
  /** The whole sentence, AWS's form followed by the numbers (the activity's cause). */
  cause: string;
  /** One line for `shoal explain`. */
  summary: string;
  /** What triggered it: alarm name, "execute-policy", "schedule". */
  trigger: string;
  /** Simple scaling: the scale starts a cooldown of this many seconds. */
  cooldownSeconds?: number;
}

export function decisionsStream(group: string): string {
  return `scaling:decisions:${group}`;
}
