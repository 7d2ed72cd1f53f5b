/**
 * An aggregate of the samples in one bucket (a second, a minute, an hour, or
 * a query period): count, sum, min, max, and a percentile sketch of the
 * samples whose values are known. A statistic set (sampleCount/sum/min/max
 * without the values) adds to the sketch only when min == max, as CloudWatch
 * computes percentiles of statistic sets only then, or when the set comes with
 * a sample of its values (shoal's own producers); so the sketch may count
 * fewer samples than the aggregate.
 */
import type { Datapoint, MetricDatum, Statistic } from './types.js';
import { Sketch } from './sketch.js';

export interface Agg {
  count: number;
  sum: number;
  min: number;
  max: number;
  sketch: Sketch | null;
}

/** A datum reduced to what buckets need. */
export interface Sample {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Values that go into the sketch, each once (or counts[i] times). */
  values: readonly number[];
  counts?: readonly number[];
  /** Or: this value `count` times (a statistic set with min == max). */
  repeated?: number;
}

export function sampleOf(d: MetricDatum): Sample | undefined {
  if (d.statisticValues) {
    const s = d.statisticValues;
    if (s.sampleCount <= 0) return undefined;
    const sample: Sample = { count: s.sampleCount, sum: s.sum, min: s.minimum, max: s.maximum, values: [] };
    if (d.values && d.values.length > 0) {
      // A uniform sample of the set's values (the ALB producer's target response times):
      // each stands for sampleCount / values.length of them in the percentile sketch.
      const weight = s.sampleCount / d.values.length;
      sample.values = d.values;
      sample.counts = d.values.map(() => weight);
    } else if (s.minimum === s.maximum) sample.repeated = s.minimum;
    return sample;
  }
  const values = d.values ?? (d.value !== undefined ? [d.value] : []);
  const counts = d.values ? d.counts : undefined;
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const n = counts?.[i] ?? 1;
    if (n <= 0) continue;
    count += n;
    sum += v * n;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return undefined;
  return counts ? { count, sum, min, max, values, counts } : { count, sum, min, max, values };
}

export function emptyAgg(): Agg {
  return { count: 0, sum: 0, min: Infinity, max: -Infinity, sketch: null };
}

export function addSample(a: Agg, s: Sample): void {
  a.count += s.count;
  a.sum += s.sum;
  if (s.min < a.min) a.min = s.min;
  if (s.max > a.max) a.max = s.max;
  if (s.values.length === 0 && s.repeated === undefined) return;
  addToSketch((a.sketch ??= new Sketch()), s);
}

export function addToSketch(sk: Sketch, s: Sample): void {
  const { values, counts } = s;
  for (let i = 0; i < values.length; i++) {
    const n = counts?.[i] ?? 1;
    if (n > 0) sk.add(values[i]!, n);
  }
  if (s.repeated !== undefined) sk.add(s.repeated, s.count);
}

export function mergeAgg(into: Agg, from: Agg): void {
  into.count += from.count;
  into.sum += from.sum;
  if (from.min < into.min) into.min = from.min;
  if (from.max > into.max) into.max = from.max;
  if (from.sketch) (into.sketch ??= new Sketch()).merge(from.sketch);
}

/** The percentile of a statistic like p99 or p99.9, as a fraction; undefined for the others. */
export function percentileOf(stat: Statistic): number | undefined {
  const m = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(stat);
  if (!m) return undefined;
  const p = Number(m[1]);
  return p >= 0 && p <= 100 ? p / 100 : undefined;
}

export function isStatistic(s: string): s is Statistic {
  return ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'].includes(s) || percentileOf(s as Statistic) !== undefined;
}

/** The statistic of one aggregate; undefined when it has none (a percentile of a bucket with no values). */
export function statValue(a: Agg, stat: Statistic): number | undefined {
  if (a.count === 0) return undefined;
  switch (stat) {
    case 'Sum': return a.sum;
    case 'Average': return a.sum / a.count;
    case 'Minimum': return a.min;
    case 'Maximum': return a.max;
    case 'SampleCount': return a.count;
  }
  const q = percentileOf(stat);
  if (q === 1) return a.max;
  if (q === 0) return a.min;
  const v = q === undefined ? undefined : a.sketch?.quantile(q);
  // The sketch's bins are ~1 % wide; the true extremes are known exactly.
  return v === undefined ? undefined : Math.min(a.max, Math.max(a.min, v));
}

export function toDatapoint(timestamp: number, a: Agg, stat: Statistic, unit?: string): Datapoint | undefined {
  const value = statValue(a, stat);
  if (value === undefined) return undefined;
  const dp: Datapoint = { timestamp, value, sampleCount: a.count };
  if (unit !== undefined) dp.unit = unit;
  return dp;
}
