/**
 * An alarm as DescribeAlarms shows it (the MetricAlarm shape): its
 * definition, as the alarm service runs it, with its status and its record.
 * Alarm ARNs carry the name (as AWS); scaling actions are the policy's ARN as
 * Auto Scaling renders it.
 */
import type { AlarmService } from '../../../alarms/service.js';
import { actionsEnabledOf, type AlarmDefinition, type AlarmStatus } from '../../../alarms/types.js';
import { INITIAL_REASON } from '../../../alarms/reason.js';
import type { AlarmAction } from '../../../model/scaling.js';
import type { ResourceRecord } from '../../../resources/records.js';
import { alarmArn } from '../autoscaling/policy-shapes.js';
import { policyArn } from '../autoscaling/shapes.js';
import type { Output } from '../common/op.js';
import type { CloudWatchDeps } from './deps.js';
import { dimensionsOut } from './metrics.js';

export interface AlarmRef {
  def: AlarmDefinition;
  status: AlarmStatus | undefined;
  /** The model record (config and API alarms); undefined for a target tracking policy's own alarms. */
  rec: ResourceRecord | undefined;
}

/** Every alarm the service runs, by name (as AWS lists them). */
export function allAlarms(d: CloudWatchDeps): AlarmRef[] {
  const svc = d.alarms();
  if (!svc) return [];
  return svc.definitions().map((def) => refOf(d, svc, def)).sort((a, b) => (a.def.alarmName < b.def.alarmName ? -1 : a.def.alarmName > b.def.alarmName ? 1 : 0));
}

export function findAlarm(d: CloudWatchDeps, name: string): AlarmRef | undefined {
  const svc = d.alarms();
  const def = svc?.definition(name);
  return svc && def ? refOf(d, svc, def) : undefined;
}

function refOf(d: CloudWatchDeps, svc: AlarmService, def: AlarmDefinition): AlarmRef {
  return { def, status: svc.status(def.alarmName), rec: def.owner === 'config' ? d.model.get('alarms', def.alarmName) : undefined };
}

export function actionArn(d: CloudWatchDeps, region: string, a: AlarmAction): string {
  switch (a.type) {
    case 'scalingPolicy': {
      const group = d.model.get('autoScalingGroups', a.autoScalingGroup);
      return policyArn(region, group?.id ?? '', a.autoScalingGroup, a.policy);
    }
    case 'command': return `command:${a.command}`;
    case 'webhook': return a.url;
  }
}

/** When the alarm's configuration last changed: the record's, else its group's (a policy's alarms). */
function configuredAt(d: CloudWatchDeps, r: AlarmRef): Date | undefined {
  const at = r.rec?.meta?.configurationUpdatedAt ?? r.rec?.createdAt;
  if (typeof at === 'number') return new Date(at);
  const group = /^policy:([^/]+)\//.exec(r.def.owner)?.[1];
  const g = group === undefined ? undefined : d.model.get('autoScalingGroups', group);
  return g ? new Date(g.createdAt) : undefined;
}

export function alarmOut(d: CloudWatchDeps, region: string, r: AlarmRef): Output {
  const { def } = r;
  const s = r.status;
  const actions = (list: readonly AlarmAction[]) => list.map((a) => actionArn(d, region, a));
  const stateAt = new Date(s?.stateUpdatedTimestamp ?? d.clock.now());
  const meta = r.rec?.meta ?? {};
  return {
    AlarmName: def.alarmName,
    AlarmArn: alarmArn(region, def.alarmName),
    ...(def.alarmDescription !== undefined ? { AlarmDescription: def.alarmDescription } : {}),
    AlarmConfigurationUpdatedTimestamp: configuredAt(d, r),
    ActionsEnabled: actionsEnabledOf(def, s),
    OKActions: actions(def.okActions),
    AlarmActions: actions(def.alarmActions),
    InsufficientDataActions: actions(def.insufficientDataActions),
    StateValue: s?.state ?? 'INSUFFICIENT_DATA',
    StateReason: s?.stateReason ?? INITIAL_REASON,
    ...(s?.stateReasonData !== undefined ? { StateReasonData: JSON.stringify(s.stateReasonData) } : {}),
    StateUpdatedTimestamp: stateAt,
    StateTransitionedTimestamp: stateAt,
    MetricName: def.metricName,
    Namespace: def.namespace,
    ...(def.statistic.startsWith('p') ? { ExtendedStatistic: def.statistic } : { Statistic: def.statistic }),
    Dimensions: dimensionsOut(def.dimensions),
    Period: def.period,
    ...(typeof meta.unit === 'string' ? { Unit: meta.unit } : {}),
    EvaluationPeriods: def.evaluationPeriods,
    DatapointsToAlarm: def.datapointsToAlarm,
    Threshold: def.threshold,
    ComparisonOperator: def.comparisonOperator,
    TreatMissingData: def.treatMissingData,
    ...(typeof meta.evaluateLowSampleCountPercentile === 'string' ? { EvaluateLowSampleCountPercentile: meta.evaluateLowSampleCountPercentile } : {}),
  };
}
