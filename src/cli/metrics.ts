/** `shoal metrics list|get|put`, through the daemon's JSON API (api/metrics-routes.ts). */
import type { Command } from 'commander';
import { asJson, callApi, endpointOptions, resolveEndpoint, type EndpointOptions } from './client.js';
import { systemClock } from '../core/clock.js';
import { datapointTable, parseWhen, sparkline } from './metrics-format.js';
import { formatTable } from './table.js';

interface Metric {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
}
interface QueryAnswer {
  Datapoints: { Timestamp: string; Value: number; SampleCount: number; Unit?: string }[];
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

function dimensions(list: string[] = [], valueOptional = false): { name: string; value: string }[] {
  return list.map((kv) => {
    const i = kv.indexOf('=');
    if (i === 0 || (i < 0 && !valueOptional)) throw new Error(`--dimension wants Name=Value (got ${kv})`);
    return i < 0 ? { name: kv, value: '' } : { name: kv.slice(0, i), value: kv.slice(i + 1) };
  });
}

const withEndpoint = endpointOptions;

type ListOpts = EndpointOptions & { namespace?: string; metric?: string; dimension?: string[]; json?: boolean };
type GetOpts = EndpointOptions & {
  namespace: string; metric: string; dimension?: string[]; statistic: string; period: string; since: string; until?: string; json?: boolean;
};
type PutOpts = EndpointOptions & { namespace: string; metric: string; dimension?: string[]; value: string[]; unit?: string };

export function registerMetricsCommands(program: Command): void {
  const metrics = program.command('metrics').description('CloudWatch-style metrics: list series, print one (with a sparkline), put custom data');

  withEndpoint(metrics.command('list').description('series with data in the last 15 days (ListMetrics)'))
    .option('--namespace <ns>', 'only this namespace (AWS/EC2, AWS/AutoScaling, AWS/ApplicationELB, or yours)')
    .option('--metric <name>', 'only this metric name')
    .option('--dimension <Name[=Value]>', 'only series with this dimension (repeatable)', collect)
    .option('--json', 'the API answer as JSON')
    .action(async (o: ListOpts) => {
      const body = { namespace: o.namespace, metricName: o.metric, dimensions: dimensions(o.dimension, true) };
      const r = await callApi<{ Metrics: Metric[] }>(resolveEndpoint(o), 'POST', '/_shoal/metrics/list', body);
      if (asJson(o)) return console.log(JSON.stringify(r.Metrics, null, 2));
      const rows = r.Metrics.map((m) => [m.Namespace, m.MetricName, m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(',')]);
      console.log(rows.length ? formatTable(['NAMESPACE', 'METRIC', 'DIMENSIONS'], rows) : 'no metrics');
    });

  withEndpoint(metrics.command('get').description('one series, aggregated per period: a sparkline and a table (GetMetricStatistics)'))
    .requiredOption('--namespace <ns>', 'e.g. AWS/EC2')
    .requiredOption('--metric <name>', 'e.g. CPUUtilization')
    .option('--dimension <Name=Value>', 'the series\' dimensions, all of them (repeatable)', collect)
    .option('--statistic <stat>', 'Sum, Average, Minimum, Maximum, SampleCount, or a percentile like p99', 'Average')
    .option('--period <seconds>', 'period in seconds, 1 to 86400', '60')
    .option('--since <when>', 'start: a duration ago (15m, 3h, 2d) or a time', '15m')
    .option('--until <when>', 'end (default: now)')
    .option('--json', 'the API answer as JSON')
    .action(async (o: GetOpts) => {
      const now = systemClock.now();
      const end = o.until ? parseWhen(o.until, now) : now;
      const start = parseWhen(o.since, now);
      const period = Number(o.period);
      const body = { namespace: o.namespace, metricName: o.metric, dimensions: dimensions(o.dimension), statistic: o.statistic, period, start, end };
      const r = await callApi<QueryAnswer>(resolveEndpoint(o), 'POST', '/_shoal/metrics/query', body);
      if (asJson(o)) return console.log(JSON.stringify(r, null, 2));
      const dims = body.dimensions.map((d) => `${d.name}=${d.value}`).join(' ');
      console.log(`${o.namespace} ${o.metric}${dims ? ` ${dims}` : ''}: ${o.statistic} per ${period} s since ${new Date(start).toISOString()}`);
      if (r.Datapoints.length === 0) return console.log('no datapoints (check the name, every dimension, and the range with `shoal metrics list`)');
      const points = r.Datapoints.map((p) => ({ timestamp: Date.parse(p.Timestamp), value: p.Value }));
      console.log(sparkline(points, { start, end, periodMs: period * 1000 }));
      console.log(datapointTable(r.Datapoints));
    });

  withEndpoint(metrics.command('put').description('publish a custom datum now (PutMetricData)'))
    .requiredOption('--namespace <ns>', 'your namespace (not AWS/...)')
    .requiredOption('--metric <name>', 'metric name')
    .requiredOption('--value <n>', 'a value (repeat for several)', collect)
    .option('--dimension <Name=Value>', 'a dimension (repeatable)', collect)
    .option('--unit <unit>', 'Count, Seconds, Milliseconds, Bytes, Percent, ...')
    .action(async (o: PutOpts) => {
      const values = o.value.map(Number);
      const datum = { metricName: o.metric, dimensions: dimensions(o.dimension), ...(values.length === 1 ? { value: values[0] } : { values }), unit: o.unit };
      await callApi(resolveEndpoint(o), 'POST', '/_shoal/metrics', { namespace: o.namespace, metricData: [datum] });
      console.log(`put ${values.length} value(s) to ${o.namespace} ${o.metric}`);
    });
}
