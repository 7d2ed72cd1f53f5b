/**
 * The metrics part of shoal's JSON API (under /_shoal/): PutMetricData,
 * ListMetrics and a GetMetricStatistics-like query. Requests in camelCase,
 * answers in AWS's PascalCase (as the other /_shoal/ routes).
 *
 *   POST /_shoal/metrics        {namespace, metricData: [{metricName, dimensions, value|values(+counts)|statisticValues, timestamp?, unit?}]}
 *   GET  /_shoal/metrics        every series with data in the last 15 days
 *   POST /_shoal/metrics/list   {namespace?, metricName?, dimensions?: [{name, value?}]}
 *   POST /_shoal/metrics/query  {namespace, metricName, dimensions?, statistic, period, start?, end?}
 */
import { ShoalError } from '../core/errors.js';
import { isStatistic } from '../metrics/agg.js';
import type { TimeSeriesStore } from '../metrics/store.js';
import type { Datapoint, Dimension, SeriesKey, Statistic } from '../metrics/types.js';
import { parseDimensions, parsePutMetricData, parseTime } from '../metrics/validate.js';
import { roundedStart } from '../metrics/period.js';

export interface MetricsBackend {
  metricsService?: { store: Pick<TimeSeriesStore, 'put' | 'query' | 'list' | 'wouldReject' | 'now'> } | undefined;
}

type Handler = (b: MetricsBackend, params: string[], body: unknown) => unknown;

/** Most datapoints one query may return (GetMetricData's limit). */
export const MAX_DATAPOINTS = 100_800;
const DEFAULT_RANGE_MS = 3 * 3_600_000;

type Body = Record<string, unknown>;
const obj = (body: unknown): Body => (body && typeof body === 'object' ? (body as Body) : {});
const invalid = (message: string) => new ShoalError('InvalidParameterValue', message, 400);

function store(b: MetricsBackend): NonNullable<MetricsBackend['metricsService']>['store'] {
  if (!b.metricsService) throw new ShoalError('ServiceUnavailable', 'metrics are not running in this daemon', 503);
  return b.metricsService.store;
}

const metricOut = (k: SeriesKey) => ({ Namespace: k.namespace, MetricName: k.metricName, Dimensions: k.dimensions.map((d) => ({ Name: d.name, Value: d.value })) });
const pointOut = (d: Datapoint) => ({ Timestamp: new Date(d.timestamp).toISOString(), Value: d.value, SampleCount: d.sampleCount, ...(d.unit ? { Unit: d.unit } : {}) });

function put(b: MetricsBackend, body: unknown): unknown {
  const s = store(b);
  const data = parsePutMetricData(body, s.now());
  const refused = s.wouldReject(data);
  if (refused.length > 0) {
    const k = refused[0]!;
    throw new ShoalError(
      'LimitExceeded',
      `${refused.length} new series would pass the series limit (the first: ${k.namespace} ${k.metricName} ${JSON.stringify(k.dimensions)}); ` +
        'use fewer distinct dimension values (no ids or timestamps in dimensions), or wait for idle series to expire (3 hours)',
      400,
    );
  }
  s.put(data);
  return {};
}

function listFilter(body: unknown): { namespace?: string; metricName?: string; dimensions?: Dimension[] } {
  const o = obj(body);
  const f: { namespace?: string; metricName?: string; dimensions?: Dimension[] } = {};
  if (typeof o.namespace === 'string') f.namespace = o.namespace;
  if (typeof o.metricName === 'string') f.metricName = o.metricName;
  if (Array.isArray(o.dimensions)) {
    f.dimensions = o.dimensions.map((d: unknown, i) => {
      const x = obj(d);
      if (typeof x.name !== 'string') throw invalid(`dimensions[${i}].name must be a string`);
      return { name: x.name, value: typeof x.value === 'string' ? x.value : '' };
    });
  }
  return f;
}

function query(b: MetricsBackend, body: unknown): unknown {
  const s = store(b);
  const o = obj(body);
  for (const k of ['namespace', 'metricName', 'statistic'] as const) {
    if (typeof o[k] !== 'string' || o[k] === '') throw new ShoalError('MissingParameter', `${k} is required`, 400);
  }
  const statistic = o.statistic as string;
  if (!isStatistic(statistic)) throw invalid(`statistic must be Sum, Average, Minimum, Maximum, SampleCount or a percentile like p99 or p99.9, got ${statistic}`);
  const period = o.period ?? o.periodSeconds;
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 1 || period > 86_400) {
    throw invalid('period must be a whole number of seconds from 1 to 86400');
  }
  const end = o.end === undefined ? s.now() : parseTime(o.end, 'end');
  const start = o.start === undefined ? end - DEFAULT_RANGE_MS : parseTime(o.start, 'start');
  if (start >= end) throw invalid('start must be before end');
  if ((end - start) / (period * 1000) > MAX_DATAPOINTS) {
    throw new ShoalError('InvalidParameterCombination', `that range holds more than ${MAX_DATAPOINTS} periods of ${period} s; use a longer period or a shorter range`, 400);
  }
  const key = { namespace: o.namespace as string, metricName: o.metricName as string, dimensions: parseDimensions(o.dimensions, 'dimensions') };
  const points = s.query({ ...key, statistic: statistic as Statistic, periodSeconds: period, start: roundedStart(start, period, s.now()), end });
  return { Label: key.metricName, Statistic: statistic, Period: period, Datapoints: points.map(pointOut) };
}

export const metricsRoutes: { method: string; pattern: RegExp; handler: Handler }[] = [
  { method: 'POST', pattern: /^\/_shoal\/metrics$/, handler: (b, _p, body) => put(b, body) },
  { method: 'GET', pattern: /^\/_shoal\/metrics$/, handler: (b) => ({ Metrics: store(b).list().map(metricOut) }) },
  { method: 'POST', pattern: /^\/_shoal\/metrics\/list$/, handler: (b, _p, body) => ({ Metrics: store(b).list(listFilter(body)).map(metricOut) }) },
  { method: 'POST', pattern: /^\/_shoal\/metrics\/query$/, handler: (b, _p, body) => query(b, body) },
];
