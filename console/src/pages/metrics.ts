// Metrics: graph any series the daemon has (AWS/ApplicationELB, AWS/EC2,
// AWS/AutoScaling, custom PutMetricData) with a statistic, period and range,
// and the thresholds of the alarms on it. The form is kept across live
// re-renders; the chart follows like the others.
import { get } from '../api.js';
import { chart, follow } from '../charts.js';
import { clear, h } from '../dom.js';
import { query, thresholdOf, type Listed } from '../metrics.js';
import type { PageContext } from '../router.js';
import type { Alarm } from '../types.js';

const STATISTICS = ['Average', 'Sum', 'Maximum', 'Minimum', 'SampleCount', 'p50', 'p90', 'p99'];
const PERIODS = ['5', '10', '60', '300'];
const RANGES: Record<string, number> = { '15 minutes': 15 * 60_000, '1 hour': 3_600_000, '3 hours': 3 * 3_600_000 };

const label = (m: Listed): string => `${m.Namespace} ${m.MetricName} ${m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(' ')}`.trim();

let form: { el: HTMLElement; metric: HTMLSelectElement; statistic: HTMLSelectElement; period: HTMLSelectElement; range: HTMLSelectElement; holder: HTMLElement } | undefined;

function controls(c: PageContext): NonNullable<typeof form> {
  if (form) return form;
  const opts = (list: string[], value: string) => list.map((o) => h('option', { value: o, selected: o === value }, o));
  const metric = h('select', { name: 'metric', id: 'metric' });
  const statistic = h('select', { name: 'statistic' }, opts(STATISTICS, 'Average'));
  const period = h('select', { name: 'period' }, opts(PERIODS, '10'));
  const range = h('select', { name: 'range' }, opts(Object.keys(RANGES), '15 minutes'));
  const holder = h('div', { class: 'charts', 'data-charts': 'metrics' });
  for (const s of [metric, statistic, period, range]) s.addEventListener('change', () => c.refresh());
  const el = h('div', {}, h('div', { class: 'actions' },
    h('label', {}, 'Metric ', metric), h('label', {}, 'Statistic ', statistic), h('label', {}, 'Period (s) ', period), h('label', {}, 'Range ', range)), holder);
  return (form = { el, metric, statistic, period, range, holder });
}

export async function metricsPage(c: PageContext): Promise<HTMLElement> {
  const [list, alarms] = await Promise.all([
    get<{ Metrics: Listed[] }>('/_shoal/metrics').then((r) => r.Metrics.sort((a, b) => label(a).localeCompare(label(b)))),
    get<{ MetricAlarms: Alarm[] }>('/_shoal/alarms').then((r) => r.MetricAlarms),
  ]);
  const f = controls(c);
  const chosen = f.metric.value;
  clear(f.metric);
  for (const m of list) f.metric.appendChild(h('option', { value: label(m), selected: label(m) === chosen }, label(m)));
  const m = list.find((x) => label(x) === f.metric.value);
  if (m) {
    const key = { namespace: m.Namespace, metricName: m.MetricName, dimensions: m.Dimensions.map((d) => ({ name: d.Name, value: d.Value })) };
    await follow('metrics', f.holder, async () => {
      const rangeMs = RANGES[f.range.value] ?? RANGES['15 minutes']!;
      const points = await query(key, f.statistic.value, Number(f.period.value), rangeMs);
      const a = thresholdOf(alarms, key.namespace, key.metricName, key.dimensions);
      const lines = [{ label: `${f.statistic.value} per ${f.period.value} s`, points }, ...(a ? [{ label: `${a.AlarmName} threshold ${a.Threshold}`, points: [[Date.now() / 1000, a.Threshold] as [number, number]], dash: true }] : [])];
      const el = chart(`metrics/${label(m)}/${f.statistic.value}/${f.period.value}/${f.range.value}`, label(m), lines, [], rangeMs);
      if (f.holder.firstChild !== el) {
        clear(f.holder);
        f.holder.appendChild(el);
      }
    });
  }
  return h('div', {}, h('h1', {}, 'Metrics'),
    list.length === 0 ? h('p', { class: 'muted' }, 'No metrics yet: they appear as traffic flows and instances run.') : f.el);
}
