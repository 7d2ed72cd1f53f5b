/**
 * Alarms (PutMetricAlarm's fields, camelCased) and their actions. An action
 * is a scaling policy — `{ autoScalingGroup, policy }`, or AWS's policy ARN
 * ending in `autoScalingGroupName/GROUP:policyName/POLICY` — or shoal's
 * stand-ins for an SNS topic: `{ command }` (run with sh -c) or
 * `{ webhook: URL }` (an SNS-style JSON POST).
 */
import type { AlarmAction } from '../model/scaling.js';
import { bool, checked, intAtLeast, list, oneOf, str, strictObject } from './schema-common.js';
import { STATISTICS, dimensions, extendedStatistic, number, period } from './schema-scaling.js';

const ACTION_RULE = 'must be { autoScalingGroup, policy }, { command }, { webhook: URL } or a scaling policy ARN (...:autoScalingGroupName/GROUP:policyName/POLICY)';

export function parseAlarmAction(v: unknown): AlarmAction | undefined {
  if (typeof v === 'string') {
    const m = /^arn:aws:autoscaling:[^:]*:[^:]*:scalingPolicy:[^:]*:autoScalingGroupName\/([^:]+):policyName\/(.+)$/.exec(v);
    return m ? { type: 'scalingPolicy', autoScalingGroup: m[1]!, policy: m[2]! } : undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(',');
  if (keys === 'autoScalingGroup,policy' && typeof o.autoScalingGroup === 'string' && typeof o.policy === 'string') {
    return { type: 'scalingPolicy', autoScalingGroup: o.autoScalingGroup, policy: o.policy };
  }
  if (keys === 'command' && typeof o.command === 'string' && o.command.length > 0) return { type: 'command', command: o.command };
  if (keys === 'webhook' && typeof o.webhook === 'string' && /^https?:\/\/[^/\s]+/.test(o.webhook)) {
    try {
      return { type: 'webhook', url: new URL(o.webhook).toString() };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const action = checked(ACTION_RULE, parseAlarmAction);
const actions = list(action, { max: 5, noun: 'actions' }).default([]);

export const alarmSchema = strictObject({
  alarmName: checked('must be 1 to 255 characters without control characters', (v) =>
    typeof v === 'string' && v.length >= 1 && v.length <= 255 && !/[\x00-\x1f\x7f]/.test(v) ? v : undefined),
  alarmDescription: str({ max: 1024 }).optional(),
  namespace: str({ max: 255 }),
  metricName: str({ max: 255 }),
  dimensions,
  statistic: oneOf(STATISTICS).optional(),
  extendedStatistic: extendedStatistic.optional(),
  period: period.default(60),
  evaluationPeriods: intAtLeast(1),
  datapointsToAlarm: intAtLeast(1).optional(),
  comparisonOperator: oneOf(['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold']),
  threshold: number,
  treatMissingData: oneOf(['missing', 'ignore', 'breaching', 'notBreaching']).default('missing'),
  actionsEnabled: bool().default(true),
  alarmActions: actions,
  okActions: actions,
  insufficientDataActions: actions,
}).superRefine((a, ctx) => {
  if ((a.statistic === undefined) === (a.extendedStatistic === undefined)) {
    ctx.addIssue({ code: 'custom', path: [], message: 'needs exactly one of statistic (Average, Sum, Minimum, Maximum, SampleCount) and extendedStatistic (p90, ...)' });
  }
  const n = a.evaluationPeriods;
  if (typeof n !== 'number' || typeof a.period !== 'number') return;
  if (typeof a.datapointsToAlarm === 'number' && a.datapointsToAlarm > n) {
    ctx.addIssue({ code: 'custom', path: ['datapointsToAlarm'], message: `must not be greater than evaluationPeriods (${a.datapointsToAlarm} > ${n})` });
  }
  const limit = a.period < 60 ? 86_400 : 604_800;
  if (n * a.period > limit) {
    ctx.addIssue({ code: 'custom', path: ['evaluationPeriods'], message: `× period must be at most ${limit} s (${limit === 86_400 ? 'one day for periods under a minute' : 'seven days'}); got ${n} × ${a.period} s` });
  }
});
