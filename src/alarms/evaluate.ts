/**
 * One evaluation of a CloudWatch-style threshold alarm (pure). The input is
 * the evaluation range: the last `evaluationPeriods + 2` complete periods,
 * oldest first, each with a datapoint or missing. CloudWatch's rules:
 *
 * - At least N real datapoints in the range: the most recent N are evaluated,
 *   treatMissingData plays no part.
 * - Fewer: every real datapoint is evaluated and the rest of the N are filled
 *   as treatMissingData says, as few as possible: `breaching` / `notBreaching`
 *   fill with that; `ignore` fills with nothing, and when that leaves the
 *   outcome undecided the alarm keeps its state; `missing` evaluates the real
 *   datapoints alone (M of N becomes min(M, real) of real), and with none at
 *   all the alarm is INSUFFICIENT_DATA.
 * - ALARM when at least M (datapointsToAlarm) are breaching; else OK when at
 *   least N - M + 1 are not breaching.
 */
import type { AlarmState, ComparisonOperator, TreatMissingData } from '../model/scaling.js';
import { describeOutcome } from './reason.js';

export interface Slot {
  /** Start of the period, ms. */
  timestamp: number;
  value?: number;
  sampleCount?: number;
  /** The value summed over the instances it averages (see SourcedDatapoint); carried to the evaluated datapoint. */
  total?: number;
}

export interface EvaluatedDatapoint {
  timestamp: number;
  value: number;
  breaching: boolean;
  total?: number;
}

export interface AlarmRule {
  evaluationPeriods: number;
  datapointsToAlarm: number;
  comparisonOperator: ComparisonOperator;
  threshold: number;
  treatMissingData: TreatMissingData;
}

export interface Evaluation {
  /** The state after this evaluation (equal to `current` when nothing changed). */
  state: AlarmState;
  /** CloudWatch's StateReason for a move to `state` (quoted only when the state changes). */
  reason: string;
  /** The real datapoints evaluated, newest first. */
  evaluated: EvaluatedDatapoint[];
  /** Missing datapoints filled in, and as what. */
  filled: number;
  filledAs?: 'Breaching' | 'NonBreaching';
}

/** How many evaluation periods the range looks back. */
export function evaluationRange(evaluationPeriods: number): number {
  return evaluationPeriods + 2;
}

export function breaches(op: ComparisonOperator, value: number, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanThreshold': return value > threshold;
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
  }
}

/**
 * Statistics that only grow while their period fills: SampleCount, and Sum of
 * shoal's own AWS/* metrics (counts and bytes, never negative; PutMetricData
 * cannot write there). Compared with `>` or `>=`, a datapoint of such a
 * statistic that breaches before its period ends still breaches when it ends.
 */
export function growsWithinPeriod(spec: { namespace: string; statistic: string; comparisonOperator: ComparisonOperator }): boolean {
  const op = spec.comparisonOperator === 'GreaterThanThreshold' || spec.comparisonOperator === 'GreaterThanOrEqualToThreshold';
  return op && (spec.statistic === 'SampleCount' || (spec.statistic === 'Sum' && spec.namespace.startsWith('AWS/')));
}

/**
 * Whether a range whose newest periods are still filling already decides
 * ALARM, whatever data is still to come: its newest N slots all have
 * datapoints (so no late datapoint can change which are evaluated) and at
 * least M of them breach. Only meaningful when growsWithinPeriod holds.
 */
export function alarmDecidedEarly(rule: AlarmRule, range: readonly Slot[]): boolean {
  const newest = range.slice(-rule.evaluationPeriods);
  if (newest.length < rule.evaluationPeriods || newest.some((s) => s.value === undefined)) return false;
  return newest.filter((s) => breaches(rule.comparisonOperator, s.value!, rule.threshold)).length >= rule.datapointsToAlarm;
}

export function evaluateAlarm(rule: AlarmRule, range: readonly Slot[], current: AlarmState): Evaluation {
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm;
  const real = range.filter((s): s is Slot & { value: number } => s.value !== undefined && Number.isFinite(s.value));
  const evaluated = real.slice(-n).reverse().map((s) => ({
    timestamp: s.timestamp, value: s.value, breaching: breaches(rule.comparisonOperator, s.value, rule.threshold), ...(s.total !== undefined ? { total: s.total } : {}),
  }));
  const filled = Math.max(0, n - evaluated.length);
  const treat = rule.treatMissingData;
  const base = { evaluated, filled: 0 };

  if (evaluated.length === 0 && treat === 'missing') {
    return { ...base, filled, state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.` };
  }
  let need = { alarm: m, ok: n - m + 1 };
  let bad = evaluated.filter((d) => d.breaching).length;
  let good = evaluated.length - bad;
  let filledAs: Evaluation['filledAs'];
  if (filled > 0 && treat === 'breaching') {
    bad += filled;
    filledAs = 'Breaching';
  } else if (filled > 0 && treat === 'notBreaching') {
    good += filled;
    filledAs = 'NonBreaching';
  } else if (filled > 0 && treat === 'missing') {
    const mm = Math.min(m, evaluated.length);
    need = { alarm: mm, ok: evaluated.length - mm + 1 };
  }
  const out = { evaluated, filled: filledAs ? filled : 0, ...(filledAs ? { filledAs } : {}) };
  const next: AlarmState | undefined = bad >= need.alarm ? 'ALARM' : good >= need.ok ? 'OK' : undefined;
  if (next === undefined) return { ...out, state: current, reason: '' }; // `ignore` with too few datapoints: keep the state
  const reason = describeOutcome({ rule, evaluated, to: next, from: current, minimum: next === 'ALARM' ? need.alarm : need.ok, filled: out.filled, filledAs });
  return { ...out, state: next, reason };
}
