/**
 * The scaling arithmetic, pure (HPA-style): each function returns the new
 * capacity and the sentence that explains it with the numbers.
 *
 * Target tracking sizes the group for its load: the metric summed over the
 * instances it averages (`total`, e.g. 2 instances at 83% CPU are 166%, or a
 * target group's requests per minute), so out is ceil(total / target) —
 * AWS's proportional rule ceil(current × metric / target) when the metric
 * was read with the current instances, and still right for datapoints read
 * before a scale-out. Without a total (a customized metric) it is that rule,
 * with current counting warmed-up instances (the ones whose metric counts).
 * In goes to ceil(total / (0.9 × target)): only as far as keeps the metric
 * under the low alarm's threshold (90% of the target), so a noisy metric near
 * the target cannot bounce between a scale-in and the next scale-out.
 */
import type { AdjustmentType, StepAdjustment } from '../../model/scaling.js';

export interface Sized {
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
}

export interface Outcome {
  /** The new desired capacity (equal to the current one when nothing changes). */
  capacity: number;
  /** The arithmetic, for the activity's cause ("ceil(2 × 83.0 / 50) = 4"). */
  why: string;
  /** Set when a change was called for but held back (warmup, disableScaleIn, ...). */
  held?: string;
}

/** Ratio of the target that the low alarm's threshold and the scale-in arithmetic use. */
export const SCALE_IN_RATIO = 0.9;

export const num = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 0 : 1));
export const metricText = (v: number): string => v.toFixed(1);

function clamp(g: Sized, n: number): { n: number; note: string } {
  if (n > g.maxSize) return { n: g.maxSize, note: `, capped at the max size ${g.maxSize}` };
  if (n < g.minSize) return { n: g.minSize, note: `, raised to the min size ${g.minSize}` };
  return { n, note: '' };
}

const instances = (n: number) => `${n} instance${n === 1 ? '' : 's'}`;

export interface TargetInput {
  group: Sized;
  /** In-service instances past their warmup: the ones whose metric was measured. */
  warmed: number;
  warming: number;
  metric: number;
  /** The group's load behind the metric (mean of the datapoints' totals), when the metric gives one. */
  total?: number | undefined;
  target: number;
  direction: 'out' | 'in';
  disableScaleIn: boolean;
}

export function targetTracking(i: TargetInput): Outcome {
  const g = i.group;
  const keep = (why: string, held?: string): Outcome => ({ capacity: g.desiredCapacity, why, ...(held ? { held } : {}) });
  if (i.total === undefined && i.warmed === 0) return keep('no instance has finished warming up, so there is no metric to scale on', `${instances(i.warming)} still warming up`);
  const load = i.total ?? i.warmed * i.metric;
  const over = (divisor: number) => `ceil(${i.total !== undefined ? metricText(i.total) : `${i.warmed} × ${metricText(i.metric)}`} / ${num(divisor)})`;
  if (i.direction === 'out') {
    const raw = Math.ceil(load / i.target);
    const c = clamp(g, raw);
    const sum = `${over(i.target)} = ${raw}${c.note}`;
    if (c.n > g.desiredCapacity) return { capacity: c.n, why: sum };
    const warming = i.warming > 0 ? ` (${instances(i.warming)} still warming up)` : '';
    return keep(`${sum}; the desired capacity is already ${g.desiredCapacity}${warming}`);
  }
  const low = i.target * SCALE_IN_RATIO;
  const raw = Math.ceil(load / low);
  const c = clamp(g, raw);
  const sum = `${over(low)} = ${raw}${c.note} (${num(low)} is 90% of the target)`;
  if (c.n >= g.desiredCapacity) return keep(`${sum}; no fewer instances would keep the metric under ${num(low)}`);
  if (i.disableScaleIn) return keep(sum, 'scale-in is disabled for this policy (disableScaleIn)');
  if (i.warming > 0) return keep(sum, `${instances(i.warming)} still warming up: scale-in waits for them`);
  return { capacity: c.n, why: sum };
}

export interface AdjustmentInput {
  group: Sized;
  adjustmentType: AdjustmentType;
  adjustment: number;
  minAdjustmentMagnitude?: number | undefined;
  /** Capacity the adjustment applies to; default the desired capacity. */
  base?: number;
}

/** PercentChangeInCapacity's rounding (AWS): above 1 round down, 0..1 becomes 1, -1..0 becomes -1, below -1 round up. */
export function roundPercentChange(change: number): number {
  if (change > 1) return Math.floor(change);
  if (change > 0) return 1;
  if (change < -1) return Math.ceil(change);
  if (change < 0) return -1;
  return 0;
}

export function adjust(i: AdjustmentInput): Outcome {
  const base = i.base ?? i.group.desiredCapacity;
  let raw: number;
  let why: string;
  switch (i.adjustmentType) {
    case 'ExactCapacity':
      raw = i.adjustment;
      why = `ExactCapacity ${i.adjustment}`;
      break;
    case 'ChangeInCapacity':
      raw = base + i.adjustment;
      why = `${base} ${i.adjustment < 0 ? '-' : '+'} ${Math.abs(i.adjustment)} = ${raw}`;
      break;
    case 'PercentChangeInCapacity': {
      const exact = (base * i.adjustment) / 100;
      let change = roundPercentChange(exact);
      let note = '';
      const mam = i.minAdjustmentMagnitude;
      if (mam !== undefined && change !== 0 && Math.abs(change) < mam) {
        change = Math.sign(change) * mam;
        note = ` (raised to minAdjustmentMagnitude ${mam})`;
      }
      raw = base + change;
      why = `${base} ${i.adjustment < 0 ? '-' : '+'} ${Math.abs(i.adjustment)}% of ${base} (${num(Math.abs(exact))} rounded to ${Math.abs(change)}${note}) = ${raw}`;
      break;
    }
  }
  const c = clamp(i.group, raw);
  return { capacity: c.n, why: why + c.note };
}

/**
 * The step whose interval holds `diff` (metric minus threshold). Above the
 * threshold the lower bound is inclusive and the upper exclusive; below it the
 * other way round (AWS's rule).
 */
export function selectStep(steps: readonly StepAdjustment[], diff: number): StepAdjustment | undefined {
  return steps.find((s) => {
    const lo = s.metricIntervalLowerBound ?? -Infinity;
    const hi = s.metricIntervalUpperBound ?? Infinity;
    return diff >= 0 ? lo <= diff && diff < hi : lo < diff && diff <= hi;
  });
}

export function stepText(s: StepAdjustment): string {
  const lo = s.metricIntervalLowerBound === undefined ? '-∞' : num(s.metricIntervalLowerBound);
  const hi = s.metricIntervalUpperBound === undefined ? '+∞' : num(s.metricIntervalUpperBound);
  return `step [${lo}, ${hi}) → ${s.scalingAdjustment >= 0 ? '+' : ''}${s.scalingAdjustment}`;
}
