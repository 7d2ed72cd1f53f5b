// Metric series for the charts, from the metrics routes (src/api/metrics-routes.ts):
// ListMetrics to find a resource's series (their dimension values carry ids the
// console does not compute), then one query per series.
import { post } from './api.js';
import type { Alarm, Datapoint } from './types.js';

export interface Dim { name: string; value: string }
export interface SeriesKey { namespace: string; metricName: string; dimensions: Dim[] }

export interface Listed { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: string }> }

/** The series of a metric whose dimensions are exactly `names`, each value passing its test. */
export async function findSeries(namespace: string, metricName: string, match: Record<string, (v: string) => boolean>): Promise<SeriesKey[]> {
  const names = Object.keys(match);
  const r = await post<{ Metrics: Listed[] }>('/_shoal/metrics/list', { namespace, metricName, dimensions: names.map((name) => ({ name })) });
  return r.Metrics
    .filter((m) => m.Dimensions.length === names.length && m.Dimensions.every((d) => match[d.Name]?.(d.Value) === true))
    .map((m) => ({ namespace, metricName, dimensions: m.Dimensions.map((d) => ({ name: d.Name, value: d.Value })) }));
}

export const RANGE_MS = 15 * 60_000;
export const PERIOD_S = 5;

/** [epoch seconds, value] points of one series over the last RANGE_MS. */
export async function query(key: SeriesKey, statistic: string, period = PERIOD_S, rangeMs = RANGE_MS): Promise<Array<[number, number]>> {
  const end = Date.now();
  const r = await post<{ Datapoints: Datapoint[] }>('/_shoal/metrics/query', {
    namespace: key.namespace, metricName: key.metricName, dimensions: key.dimensions, statistic, period,
    start: new Date(end - rangeMs).toISOString(), end: new Date(end).toISOString(),
  });
  return r.Datapoints.map((d): [number, number] => [Date.parse(d.Timestamp) / 1000, d.Value]).sort((a, b) => a[0] - b[0]);
}

/** Sums series point by point (a target group behind several load balancers). */
export function sumSeries(list: Array<Array<[number, number]>>): Array<[number, number]> {
  const by = new Map<number, number>();
  for (const s of list) for (const [t, v] of s) by.set(t, (by.get(t) ?? 0) + v);
  return [...by.entries()].sort((a, b) => a[0] - b[0]);
}

/** The threshold of an alarm on this metric and these dimensions, if one exists. */
export function thresholdOf(alarms: readonly Alarm[], namespace: string, metricName: string, dims: readonly Dim[]): Alarm | undefined {
  return alarms.find((a) => a.Namespace === namespace && a.MetricName === metricName &&
    (a.Dimensions ?? []).length === dims.length && (a.Dimensions ?? []).every((d) => dims.some((x) => x.name === d.Name && x.value === d.Value)));
}
