/**
 * GetMetricData with MetricStat queries (metric math expressions answer a
 * clear InvalidParameterValue): each query's datapoints in ScanBy order,
 * MaxDatapoints per page across all queries, NextToken for the rest (a
 * query cut short says PartialData).
 */
import { roundedStart } from '../../../metrics/period.js';
import type { Statistic } from '../../../metrics/types.js';
import type { Input, Operations } from '../common/op.js';
import type { CloudWatchDeps } from './deps.js';
import { combination, invalid, need, offsetOf, tokenOf } from './errors.js';
import { checkPeriod, dimensionsIn, metricsOf, statisticIn, timeRange, unitOf } from './metrics.js';

/** AWS: 500 queries per call, 100,800 datapoints per page. */
export const MAX_QUERIES = 500;
export const MAX_DATAPOINTS = 100_800;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

interface Series {
  id: string;
  label: string;
  points: Array<{ t: number; v: number }>;
}

function runQueries(d: CloudWatchDeps, input: Input): Series[] {
  const queries = (input.MetricDataQueries as Input[] | undefined) ?? [];
  if (queries.length === 0) throw invalid('MetricDataQueries must hold at least one query.');
  if (queries.length > MAX_QUERIES) throw invalid(`MetricDataQueries holds ${queries.length} queries; at most ${MAX_QUERIES} are allowed.`);
  const { start, end } = timeRange(input, 'StartTime', 'EndTime');
  const seen = new Set<string>();
  for (const q of queries) {
    const id = q.Id as string;
    if (!ID.test(id)) throw invalid(`The Id '${id}' is not valid: it must start with a lowercase letter and hold only letters, digits and underscores.`);
    if (seen.has(id)) throw invalid(`The Id '${id}' is used by more than one query.`);
    seen.add(id);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) throw combination(`Query '${id}' needs exactly one of MetricStat and Expression.`);
    if (q.Expression !== undefined) {
      throw invalid(`Query '${id}': metric math expressions are not supported by shoal (${String(q.Expression).slice(0, 100)}); use MetricStat queries and compute on the results.`);
    }
    if (q.AccountId !== undefined && q.AccountId !== '000000000000') throw invalid(`Query '${id}': account ${q.AccountId} is not this one (shoal has one account, 000000000000).`);
  }
  const m = metricsOf(d);
  return queries.filter((q) => q.ReturnData !== false).map((q) => {
    const st = q.MetricStat as Input;
    const metric = need<Input>(st, 'Metric');
    const statistic = statisticIn(need<string>(st, 'Stat'), 'Stat');
    const period = checkPeriod(st.Period, 'MetricStat.Period');
    const key = { namespace: need<string>(metric, 'Namespace'), metricName: need<string>(metric, 'MetricName'), dimensions: dimensionsIn(metric.Dimensions) };
    const unit = st.Unit as string | undefined;
    const points = m.query({ ...key, statistic: statistic as Statistic, periodSeconds: period, start: roundedStart(start, period, m.now()), end })
      .filter((p) => unit === undefined || unitOf(p) === unit)
      .map((p) => ({ t: p.timestamp, v: p.value }));
    if (input.ScanBy !== 'TimestampAscending') points.reverse();
    return { id: q.Id as string, label: (q.Label as string | undefined) ?? key.metricName, points };
  });
}

function getMetricData(d: CloudWatchDeps, input: Input): Record<string, unknown> {
  const max = (input.MaxDatapoints as number | undefined) ?? MAX_DATAPOINTS;
  if (!Number.isInteger(max) || max < 1 || max > MAX_DATAPOINTS) throw invalid(`MaxDatapoints must be an integer from 1 to ${MAX_DATAPOINTS}.`);
  const series = runQueries(d, input);
  const total = series.reduce((n, s) => n + s.points.length, 0);
  // The token is a position in the queries' points laid end to end.
  let skip = input.NextToken === undefined ? 0 : offsetOf('GetMetricData', input.NextToken, total);
  let room = max;
  let next = 0;
  const results = series.map((s) => {
    const from = Math.min(skip, s.points.length);
    skip -= from;
    const take = s.points.slice(from, from + room);
    room -= take.length;
    next += from + take.length;
    const complete = from + take.length === s.points.length;
    return { Id: s.id, Label: s.label, Timestamps: take.map((p) => new Date(p.t)), Values: take.map((p) => p.v), StatusCode: complete ? 'Complete' : 'PartialData' };
  });
  return { MetricDataResults: results, Messages: [], ...(next < total ? { NextToken: tokenOf('GetMetricData', next) } : {}) };
}

export function metricDataOps(d: CloudWatchDeps): Operations {
  return { GetMetricData: (input) => getMetricData(d, input) };
}
