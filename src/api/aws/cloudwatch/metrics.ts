/**
 * PutMetricData, GetMetricStatistics and ListMetrics over the daemon's
 * metrics store: the same validation (src/metrics/validate.ts) and the same
 * store as shoal's own /_shoal/metrics routes and producers.
 */
import { ShoalError } from '../../../core/errors.js';
import { isStatistic, percentileOf } from '../../../metrics/agg.js';
import { roundedStart } from '../../../metrics/period.js';
import type { Datapoint, Dimension, SeriesKey, Statistic } from '../../../metrics/types.js';
import { parsePutMetricData } from '../../../metrics/validate.js';
import { ACCOUNT_ID, type Input, type Operations } from '../common/op.js';
import type { CloudWatchDeps, CloudWatchMetrics } from './deps.js';
import { combination, invalid, limit, need, pageOf } from './errors.js';

/** GetMetricStatistics answers at most this many datapoints (as AWS). */
export const MAX_STATISTICS_DATAPOINTS = 1440;
/** ListMetrics' page (AWS: 500). */
export const LIST_PAGE = 500;
const RECENT_MS = 3 * 3_600_000;

export function metricsOf(d: CloudWatchDeps): CloudWatchMetrics {
  const m = d.metrics();
  if (!m) throw new ShoalError('ServiceUnavailable', 'The metrics store is not running (the daemon is starting or stopping); retry in a moment.', 503);
  return m;
}

/** Dimensions: [{Name, Value}] -> [{name, value}] (validated as PutMetricData's). */
export function dimensionsIn(v: unknown): Dimension[] {
  return ((v as Array<{ Name: string; Value: string }> | undefined) ?? []).map((x) => ({ name: x.Name, value: x.Value }));
}

export const dimensionsOut = (ds: readonly Dimension[]) => ds.map((x) => ({ Name: x.name, Value: x.value }));
export const metricOut = (k: SeriesKey) => ({ Namespace: k.namespace, MetricName: k.metricName, Dimensions: dimensionsOut(k.dimensions) });

/** CloudWatch's periods: 1, 5, 10, 30 or a multiple of 60 seconds. */
export function checkPeriod(p: unknown, member = 'Period'): number {
  if (typeof p !== 'number' || !Number.isInteger(p) || !([1, 5, 10, 30].includes(p) || (p >= 60 && p % 60 === 0)) || p > 86_400 * 365) {
    throw invalid(`The parameter ${member} must be 1, 5, 10, 30 or a multiple of 60 (seconds); got ${String(p)}.`);
  }
  return p;
}

export function timeRange(input: Input, startMember: string, endMember: string): { start: number; end: number } {
  const start = (need<Date>(input, startMember)).getTime();
  const end = (need<Date>(input, endMember)).getTime();
  if (start >= end) throw invalid(`The parameter ${startMember} must be less than the parameter ${endMember}.`);
  return { start, end };
}

/** A datapoint's unit as CloudWatch names it (None when the series never had one). */
export const unitOf = (p: Datapoint): string => p.unit ?? 'None';

export function statisticIn(s: string, member: string): Statistic {
  if (!isStatistic(s)) throw invalid(`The value ${s} for ${member} is not supported: use SampleCount, Average, Sum, Minimum, Maximum or a percentile p0.0 to p100 (such as p99 or p99.9).`);
  return s;
}

function putMetricData(d: CloudWatchDeps, input: Input): Record<string, never> {
  if (input.EntityMetricData !== undefined && (input.EntityMetricData as unknown[]).length > 0) {
    throw invalid('EntityMetricData is not supported by shoal; send MetricData.');
  }
  const m = metricsOf(d);
  const body = {
    namespace: need<string>(input, 'Namespace'),
    metricData: ((input.MetricData as Input[] | undefined) ?? []).map((x) => ({
      metricName: x.MetricName, dimensions: dimensionsIn(x.Dimensions), timestamp: (x.Timestamp as Date | undefined)?.getTime(),
      value: x.Value, values: x.Values, counts: x.Counts, unit: x.Unit, storageResolution: x.StorageResolution,
      statisticValues: x.StatisticValues && { sampleCount: x.StatisticValues.SampleCount, sum: x.StatisticValues.Sum, minimum: x.StatisticValues.Minimum, maximum: x.StatisticValues.Maximum },
    })),
  };
  const data = awsPaths(() => parsePutMetricData(strip(body), m.now()));
  const refused = m.wouldReject(data);
  if (refused.length > 0) {
    const k = refused[0]!;
    throw limit(`${refused.length} new metric series would pass shoal's series limit (the first: ${k.namespace} ${k.metricName} ${JSON.stringify(dimensionsOut(k.dimensions))}); `
      + 'use fewer distinct dimension values (no ids or timestamps in dimensions), or wait for idle series to expire (3 hours). Nothing was stored.');
  }
  m.put(data);
  return {};
}

/** validate.ts names fields as the config does (metricData[0].value); the API's clients know MetricData.member.1.Value. */
function awsPaths<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof ShoalError)) throw err;
    const message = err.message.replace(/\b(?:namespace|metricData(?:\[\d+\])?(?:\.[a-z]\w*(?:\[\d+\])?)*)(?!\w)/g, (path) => path.split('.').map((seg) => {
      const m = /^(\w+)(?:\[(\d+)\])?$/.exec(seg)!;
      const name = m[1]!.charAt(0).toUpperCase() + m[1]!.slice(1);
      return m[2] === undefined ? name : `${name}.member.${Number(m[2]) + 1}`;
    }).join('.'));
    throw new ShoalError(err.code, message, err.status);
  }
}

/** Drops undefined members (validate.ts reads "absent" as undefined, and the model fills nothing in). */
function strip<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function getMetricStatistics(d: CloudWatchDeps, input: Input): Record<string, unknown> {
  const m = metricsOf(d);
  const key: SeriesKey = { namespace: need(input, 'Namespace'), metricName: need(input, 'MetricName'), dimensions: dimensionsIn(input.Dimensions) };
  const stats = (input.Statistics as string[] | undefined) ?? [];
  const extended = (input.ExtendedStatistics as string[] | undefined) ?? [];
  if (stats.length === 0 && extended.length === 0) throw combination('Must specify either Statistics or ExtendedStatistics.');
  if (stats.length > 0 && extended.length > 0) throw combination('Statistics and ExtendedStatistics are mutually exclusive: specify one of them.');
  for (const e of extended) if (percentileOf(e as Statistic) === undefined) throw invalid(`The value ${e} for ExtendedStatistics is not a percentile (p0.0 to p100, such as p99 or p99.9).`);
  const period = checkPeriod(input.Period);
  const range = timeRange(input, 'StartTime', 'EndTime');
  const { end } = range;
  const start = roundedStart(range.start, period, m.now());
  const requested = Math.ceil((end - start) / (period * 1000));
  if (requested > MAX_STATISTICS_DATAPOINTS) {
    throw combination(`You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS.toLocaleString('en-US')}. `
      + 'You may reduce the datapoints requested by increasing Period, or decreasing the time range.');
  }
  const unit = input.Unit as string | undefined;
  const rows = new Map<number, Record<string, unknown>>();
  for (const s of [...stats, ...extended]) {
    for (const p of m.query({ ...key, statistic: s as Statistic, periodSeconds: period, start, end })) {
      if (unit !== undefined && unitOf(p) !== unit) continue;
      const row = rows.get(p.timestamp) ?? { Timestamp: new Date(p.timestamp), Unit: unitOf(p) };
      if (percentileOf(s as Statistic) !== undefined) row.ExtendedStatistics = { ...(row.ExtendedStatistics as object | undefined), [s]: p.value };
      else row[s] = p.value;
      rows.set(p.timestamp, row);
    }
  }
  return { Label: key.metricName, Datapoints: [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r) };
}

function listMetrics(d: CloudWatchDeps, input: Input): Record<string, unknown> {
  const m = metricsOf(d);
  if (input.OwningAccount !== undefined && input.OwningAccount !== ACCOUNT_ID) return { Metrics: [] };
  const filter = {
    ...(input.Namespace !== undefined ? { namespace: input.Namespace as string } : {}),
    ...(input.MetricName !== undefined ? { metricName: input.MetricName as string } : {}),
    dimensions: ((input.Dimensions as Array<{ Name: string; Value?: string }> | undefined) ?? []).map((x) => ({ name: x.Name, value: x.Value ?? '' })),
  };
  let all = m.list(filter);
  if (input.RecentlyActive !== undefined) {
    if (input.RecentlyActive !== 'PT3H') throw invalid(`The value ${String(input.RecentlyActive)} for RecentlyActive is not valid: the only value is PT3H.`);
    const now = m.now();
    all = all.filter((k) => m.query({ ...k, statistic: 'SampleCount', periodSeconds: 60, start: now - RECENT_MS, end: now + 60_000 }).length > 0);
  }
  const page = pageOf(all, 'ListMetrics', input.NextToken, LIST_PAGE);
  return {
    Metrics: page.items.map(metricOut),
    ...(input.IncludeLinkedAccounts === true ? { OwningAccounts: page.items.map(() => ACCOUNT_ID) } : {}),
    ...(page.next ? { NextToken: page.next } : {}),
  };
}

export function metricOps(d: CloudWatchDeps): Operations {
  return {
    PutMetricData: (input) => putMetricData(d, input),
    GetMetricStatistics: (input) => getMetricStatistics(d, input),
    ListMetrics: (input) => listMetrics(d, input),
  };
}
