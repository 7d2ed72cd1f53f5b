/**
 * The two alarms a target tracking policy creates and owns, as AWS does:
 * AlarmHigh, metric > target for 3 of 3 periods (scale out fast), and
 * AlarmLow, metric < 90% of the target for 15 of 15 periods (scale in
 * slowly); none when scale-in is disabled. With shoal's high-resolution
 * periods AlarmHigh looks back 10 s at most (still at least one period, at
 * most 3): 1 of 1 at 10 and 30 s, 2 of 2 at 5 s, 3 of 3 at 1 s. Named
 * TargetTracking-GROUP-POLICY-AlarmHigh / -AlarmLow (AWS adds a uuid instead
 * of the policy name). They go away with the policy.
 */
import type { AlarmDefinition } from '../../alarms/types.js';
import type { TargetTrackingPolicy } from '../../model/scaling.js';
import { SCALE_IN_RATIO } from './arithmetic.js';
import type { TrackedMetric } from './sources.js';

/** AlarmHigh's M of N for a period: AWS's 3 of 3 at 60 s and above; below, as many periods as fit in 10 s (1 to 3). */
export function highRule(periodSeconds: number): { evaluationPeriods: number; datapointsToAlarm: number } {
  const n = periodSeconds >= 60 ? 3 : Math.min(3, Math.max(1, Math.floor(10 / periodSeconds)));
  return { evaluationPeriods: n, datapointsToAlarm: n };
}

export const LOW = { evaluationPeriods: 15, datapointsToAlarm: 15 } as const;

export function ownedAlarmName(group: string, policy: string, which: 'High' | 'Low'): string {
  return `TargetTracking-${group}-${policy}-Alarm${which}`;
}

export function targetTrackingAlarms(group: string, p: TargetTrackingPolicy, m: TrackedMetric): AlarmDefinition[] {
  const cfg = p.targetTrackingConfiguration;
  const action = { type: 'scalingPolicy' as const, autoScalingGroup: group, policy: p.name };
  const common = {
    ...m.metric, owner: `policy:${group}/${p.name}`, source: m.source, metricLabel: m.label, unit: m.unit, period: cfg.period,
    treatMissingData: 'missing' as const, actionsEnabled: p.enabled, okActions: [], insufficientDataActions: [],
  };
  const high: AlarmDefinition = {
    ...common, ...highRule(cfg.period), alarmName: ownedAlarmName(group, p.name, 'High'), comparisonOperator: 'GreaterThanThreshold', threshold: cfg.targetValue,
    alarmDescription: `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${p.name} of ${group}.`, alarmActions: [action],
  };
  if (cfg.disableScaleIn) return [high];
  const low: AlarmDefinition = {
    ...common, ...LOW, alarmName: ownedAlarmName(group, p.name, 'Low'), comparisonOperator: 'LessThanThreshold', threshold: cfg.targetValue * SCALE_IN_RATIO,
    alarmDescription: high.alarmDescription, alarmActions: [action],
  };
  return [high, low];
}
