/**
 * Scaling policies (PutScalingPolicy), scheduled actions
 * (PutScheduledUpdateGroupAction) and alarms (PutMetricAlarm) as the config
 * declares them: AWS's names camelCased, AWS's ranges, and each policy type's
 * own fields (a field of another type is an error at that field).
 */
import { z } from 'zod';
import { parseCron, wallFormat } from '../controlplane/scaling/cron.js';
import { PREDEFINED_METRICS } from '../model/scaling.js';
import { GOT, bool, checked, intAtLeast, list, oneOf, str, strictObject } from './schema-common.js';

export const PERIOD_RULE = 'must be 1, 5, 10, 30 or a multiple of 60 (seconds)';
export const period = checked(PERIOD_RULE, (v) =>
  typeof v === 'number' && Number.isInteger(v) && ([1, 5, 10, 30].includes(v) || (v >= 60 && v % 60 === 0)) ? v : undefined);
export const number = checked('must be a number', (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined));
const positive = checked('must be a number greater than 0', (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined));
const int = checked('must be an integer', (v) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined));

const dimension = strictObject({ name: str({ max: 255 }), value: str({ max: 1024 }) });
export const dimensions = list(dimension, { max: 30, noun: 'dimensions ({ name, value })' }).default([]);
export const STATISTICS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const;
export const extendedStatistic = checked('must be a percentile p0 to p100, such as p90 or p99.9', (v) =>
  typeof v === 'string' && /^p(\d{1,2}(\.\d+)?|100)$/.test(v) ? v : undefined);

const ADJUSTMENT_TYPES = ['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'] as const;

const stepAdjustment = strictObject({
  metricIntervalLowerBound: number.optional(),
  metricIntervalUpperBound: number.optional(),
  scalingAdjustment: int,
});

const targetTracking = strictObject({
  targetValue: positive,
  predefinedMetricType: oneOf(PREDEFINED_METRICS).optional(),
  resourceLabel: str({ max: 1023 }).optional(),
  predefinedMetricSpecification: strictObject({ predefinedMetricType: oneOf(PREDEFINED_METRICS), resourceLabel: str({ max: 1023 }).optional() }).optional(),
  customizedMetricSpecification: strictObject({
    namespace: str({ max: 255 }), metricName: str({ max: 255 }), dimensions, statistic: oneOf(STATISTICS), unit: str().optional(),
  }).optional(),
  disableScaleIn: bool().default(false),
  /** shoal extension: the period of the policy's alarms (AWS: 60). */
  period: period.default(60),
}).superRefine((t, ctx) => {
  const given = [t.predefinedMetricType !== undefined || t.predefinedMetricSpecification !== undefined, t.customizedMetricSpecification !== undefined].filter(Boolean).length;
  if (given !== 1) ctx.addIssue({ code: 'custom', path: [], message: 'needs exactly one of predefinedMetricType (or predefinedMetricSpecification) and customizedMetricSpecification' });
  if (t.predefinedMetricType !== undefined && t.predefinedMetricSpecification !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['predefinedMetricSpecification'], message: 'give predefinedMetricType or predefinedMetricSpecification, not both' });
  }
});

type Field = 'adjustmentType' | 'scalingAdjustment' | 'minAdjustmentMagnitude' | 'cooldown' | 'metricAggregationType' | 'stepAdjustments' | 'estimatedInstanceWarmup' | 'targetTrackingConfiguration';
const FIELDS: Record<string, { needs: Field[]; allows: Field[] }> = {
  SimpleScaling: { needs: ['adjustmentType', 'scalingAdjustment'], allows: ['minAdjustmentMagnitude', 'cooldown'] },
  StepScaling: { needs: ['adjustmentType', 'stepAdjustments'], allows: ['minAdjustmentMagnitude', 'metricAggregationType', 'estimatedInstanceWarmup'] },
  TargetTrackingScaling: { needs: ['targetTrackingConfiguration'], allows: ['estimatedInstanceWarmup'] },
};

export const scalingPolicySchema = strictObject({
  name: checked('must be 1 to 255 characters without ":" or control characters', (v) =>
    typeof v === 'string' && v.length >= 1 && v.length <= 255 && !/[:\x00-\x1f\x7f]/.test(v) ? v : undefined),
  policyType: oneOf(['SimpleScaling', 'StepScaling', 'TargetTrackingScaling']).default('SimpleScaling'),
  enabled: bool().default(true),
  adjustmentType: oneOf(ADJUSTMENT_TYPES).optional(),
  scalingAdjustment: int.optional(),
  minAdjustmentMagnitude: intAtLeast(1).optional(),
  cooldown: intAtLeast(0).optional(),
  metricAggregationType: oneOf(['Average', 'Minimum', 'Maximum']).optional(),
  stepAdjustments: list(stepAdjustment, { min: 1, max: 20, noun: 'step adjustments' }).optional(),
  estimatedInstanceWarmup: intAtLeast(0).optional(),
  targetTrackingConfiguration: targetTracking.optional(),
}).superRefine((p, ctx) => {
  const rules = FIELDS[p.policyType as string];
  if (!rules) return;
  for (const f of rules.needs) if (p[f] === undefined) ctx.addIssue({ code: 'custom', path: [f], message: `is needed by ${p.policyType} policies`, params: GOT });
  for (const f of Object.keys(p) as (keyof typeof p)[]) {
    if (['name', 'policyType', 'enabled'].includes(f) || p[f] === undefined || rules.needs.includes(f as Field) || rules.allows.includes(f as Field)) continue;
    const owners = Object.entries(FIELDS).filter(([, r]) => r.needs.includes(f as Field) || r.allows.includes(f as Field)).map(([t]) => t);
    ctx.addIssue({ code: 'custom', path: [f], message: `is only for ${owners.join(' and ')} policies (this one is ${p.policyType})`, params: { atKey: true } });
  }
  if (p.minAdjustmentMagnitude !== undefined && p.adjustmentType !== undefined && p.adjustmentType !== 'PercentChangeInCapacity') {
    ctx.addIssue({ code: 'custom', path: ['minAdjustmentMagnitude'], message: 'is only for adjustmentType PercentChangeInCapacity', params: { atKey: true } });
  }
  if (p.adjustmentType === 'ExactCapacity' && typeof p.scalingAdjustment === 'number' && p.scalingAdjustment < 0) {
    ctx.addIssue({ code: 'custom', path: ['scalingAdjustment'], message: 'must be ≥ 0 with ExactCapacity', params: GOT });
  }
  if (Array.isArray(p.stepAdjustments)) checkSteps(p.stepAdjustments, ctx);
});

/** AWS's rules: lower < upper, no overlaps and no gaps, at most one open end on each side. */
function checkSteps(steps: { metricIntervalLowerBound?: number | undefined; metricIntervalUpperBound?: number | undefined }[], ctx: z.RefinementCtx): void {
  const lo = (s: (typeof steps)[number]) => (typeof s.metricIntervalLowerBound === 'number' ? s.metricIntervalLowerBound : -Infinity);
  const hi = (s: (typeof steps)[number]) => (typeof s.metricIntervalUpperBound === 'number' ? s.metricIntervalUpperBound : Infinity);
  steps.forEach((s, i) => {
    if (s.metricIntervalLowerBound === undefined && s.metricIntervalUpperBound === undefined) {
      ctx.addIssue({ code: 'custom', path: ['stepAdjustments', i], message: 'needs metricIntervalLowerBound or metricIntervalUpperBound (or both)' });
    } else if (lo(s) >= hi(s)) {
      ctx.addIssue({ code: 'custom', path: ['stepAdjustments', i, 'metricIntervalUpperBound'], message: `must be greater than metricIntervalLowerBound (${lo(s)})`, params: GOT });
    }
  });
  const order = steps.map((s, i) => ({ s, i })).sort((a, b) => lo(a.s) - lo(b.s));
  for (let k = 1; k < order.length; k++) {
    const prev = order[k - 1]!;
    const cur = order[k]!;
    if (hi(prev.s) !== lo(cur.s)) {
      const what = hi(prev.s) > lo(cur.s) ? 'overlaps' : 'leaves a gap after';
      ctx.addIssue({ code: 'custom', path: ['stepAdjustments', cur.i], message: `${what} stepAdjustments[${prev.i}] (${prev.s.metricIntervalUpperBound ?? '+∞'} vs ${lo(cur.s)}): steps must not overlap or leave gaps` });
    }
  }
}

const isoTime = checked('must be a time in ISO 8601 UTC, e.g. 2026-11-22T09:00:00Z', (v) => {
  const s = v instanceof Date ? v.toISOString() : v;
  if (typeof s !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
});

const recurrence = z.unknown().transform((v, ctx): string => {
  if (typeof v !== 'string') {
    ctx.addIssue({ code: 'custom', message: 'must be a cron expression (minute hour day-of-month month day-of-week)', params: GOT });
    return z.NEVER;
  }
  try {
    parseCron(v);
    return v;
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `is not a valid cron expression: ${(err as Error).message}`, params: GOT });
    return z.NEVER;
  }
});

const timeZone = checked('must be an IANA time zone such as UTC, Europe/Berlin or America/New_York', (v) => {
  if (typeof v !== 'string') return undefined;
  try {
    wallFormat(v);
    return v;
  } catch {
    return undefined;
  }
});

export const scheduledActionSchema = strictObject({
  scheduledActionName: checked('must be 1 to 255 characters without control characters', (v) =>
    typeof v === 'string' && v.length >= 1 && v.length <= 255 && !/[\x00-\x1f\x7f]/.test(v) ? v : undefined),
  startTime: isoTime.optional(),
  endTime: isoTime.optional(),
  recurrence: recurrence.optional(),
  timeZone: timeZone.default('UTC'),
  minSize: intAtLeast(0).optional(),
  maxSize: intAtLeast(0).optional(),
  desiredCapacity: intAtLeast(0).optional(),
}).superRefine((a, ctx) => {
  if (a.minSize === undefined && a.maxSize === undefined && a.desiredCapacity === undefined) {
    ctx.addIssue({ code: 'custom', path: [], message: 'needs at least one of minSize, maxSize and desiredCapacity' });
  }
  if (a.startTime === undefined && a.recurrence === undefined) ctx.addIssue({ code: 'custom', path: [], message: 'needs a startTime (one-off) or a recurrence (cron)' });
  if (a.endTime !== undefined && a.recurrence === undefined) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'is only for recurring actions (with recurrence)', params: { atKey: true } });
  if (typeof a.startTime === 'number' && typeof a.endTime === 'number' && a.endTime <= a.startTime) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'must be after startTime' });
  }
  const { minSize: min, maxSize: max, desiredCapacity: d } = a;
  if (typeof min === 'number' && typeof max === 'number' && min > max) ctx.addIssue({ code: 'custom', path: ['minSize'], message: `must not be greater than maxSize (${min} > ${max})` });
  if (typeof d === 'number' && ((typeof min === 'number' && d < min) || (typeof max === 'number' && d > max))) {
    ctx.addIssue({ code: 'custom', path: ['desiredCapacity'], message: `must be from minSize to maxSize (got ${d})` });
  }
});

