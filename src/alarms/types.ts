/**
 * Alarms at run time: a definition (the spec plus where its datapoints come
 * from), its status as the alarm service keeps it in the store (kind
 * status:alarm), and the event handed to actions.
 */
import type { Datapoint } from '../metrics/types.js';
import type { AlarmAction, AlarmSpec, AlarmState } from '../model/scaling.js';
import type { EvaluatedDatapoint } from './evaluate.js';

/**
 * A datapoint as an alarm's own source reads it. `total` is for metrics that
 * are an average over instances (per instance, per target): the value times
 * the instances it was averaged over, i.e. the load of the whole group, which
 * stays comparable across periods when the number of instances changes.
 */
export interface SourcedDatapoint extends Datapoint {
  total?: number;
}

/** Reads one datapoint per period that has data, in [start, end). */
export type DatapointSource = (q: { start: number; end: number; periodSeconds: number }) => SourcedDatapoint[];

export interface AlarmDefinition extends AlarmSpec {
  /** Who made it: "config", or "policy:GROUP/POLICY" for a target tracking policy's own alarms. */
  owner: string;
  /** Overrides reading the metric from the metrics store (target tracking's warmup-aware group average). */
  source?: DatapointSource;
  /** How the explanation names the metric ("average CPU"); default the metric name. */
  metricLabel?: string;
  /** Unit suffix for explanations ("%"). */
  unit?: string;
}

export interface AlarmStatus {
  alarmName: string;
  state: AlarmState;
  stateReason: string;
  stateReasonData?: unknown;
  /** ms */
  stateUpdatedTimestamp: number;
  /** End of the last period evaluated, ms (0: never). */
  lastEvaluatedEnd: number;
  /** The last evaluation's datapoints, newest first (for explanations and `describe-alarms`). */
  lastEvaluated: EvaluatedDatapoint[];
  /**
   * Enable/DisableAlarmActions: a runtime switch over the spec's actionsEnabled
   * (so it works on file-owned alarms too); absent: the spec decides.
   */
  actionsEnabled?: boolean;
}

export interface AlarmEvent {
  alarm: AlarmDefinition;
  state: AlarmState;
  previous: AlarmState;
  /** False when the alarm stays in ALARM/OK and re-invokes its scaling actions (as AWS does every period). */
  changed: boolean;
  reason: string;
  evaluated: EvaluatedDatapoint[];
  at: number;
}

/** Carries out alarm actions; errors are the sink's to report (they land in the alarm history). */
export interface AlarmActionSink {
  invoke(action: AlarmAction, event: AlarmEvent): Promise<void> | void;
}

export const ALARM_STATUS_KIND = 'status:alarm';

/** One document per alarm name that has history (DescribeAlarmHistory without a name; deleted alarms keep theirs). */
export const ALARM_HISTORY_INDEX_KIND = 'index:alarm-history';

export type AlarmHistoryType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action';

export function alarmStream(name: string): string {
  return `alarm:${name}`;
}

/** Whether an alarm's actions run: the runtime switch when set, else the spec. */
export function actionsEnabledOf(spec: AlarmSpec, status: Pick<AlarmStatus, 'actionsEnabled'> | undefined): boolean {
  return status?.actionsEnabled ?? spec.actionsEnabled;
}

export function actionsFor(spec: AlarmSpec, state: AlarmState, status?: Pick<AlarmStatus, 'actionsEnabled'>): AlarmAction[] {
  if (!actionsEnabledOf(spec, status)) return [];
  return state === 'ALARM' ? spec.alarmActions : state === 'OK' ? spec.okActions : spec.insufficientDataActions;
}

/** How an action is written in history and describe-alarms (AWS names actions by ARN). */
export function actionName(a: AlarmAction): string {
  switch (a.type) {
    case 'scalingPolicy': return `arn:aws:autoscaling:local-1:000000000000:scalingPolicy:shoal:autoScalingGroupName/${a.autoScalingGroup}:policyName/${a.policy}`;
    case 'command': return `command:${a.command}`;
    case 'webhook': return a.url;
  }
}
