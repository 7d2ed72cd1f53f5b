// Live charts (uPlot, bundled: no CDN). A chart element is kept per route and
// metric across re-renders, so a change event only feeds it new data; charts
// on screen also refresh every 10 s (metrics move without a state change).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { get } from './api.js';
import { append, h } from './dom.js';
import { RANGE_MS, findSeries, query, sumSeries, thresholdOf, type Dim } from './metrics.js';
import type { Alarm } from './types.js';

export interface Line { label: string; points: Array<[number, number]>; dash?: boolean }
interface Chart { el: HTMLElement; plot: uPlot | undefined; labels: string; start: number; marks: Mark[] }
/** A moment drawn as a vertical line across the chart (a scaling activity). */
export interface Mark { at: number; kind: 'launch' | 'terminate' | 'other' }

const charts = new Map<string, Chart>();
const COLORS = ['#1f6feb', '#1a7f37', '#9a6700', '#8250df'];
const REFRESH_MS = 10_000;
let timer: number | undefined;

/** Draws (or updates) the chart `key` with these lines; the element carries data-points for tests. */
export function chart(key: string, title: string, lines: Line[], marks: Mark[] = [], rangeMs = RANGE_MS): HTMLElement {
  const times = [...new Set(lines.flatMap((l) => l.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const data: uPlot.AlignedData = [times, ...lines.map((l) => {
    const ys: Array<number | null> = times.map(() => null);
    for (const [t, v] of l.points) ys[index.get(t)!] = v;
    if (l.dash && l.points.length > 0) ys.fill(l.points[0]![1]);
    return ys;
  })];
  const labels = lines.map((l) => l.label).join('|');
  let c = charts.get(key);
  if (!c || c.labels !== labels) {
    c?.plot?.destroy();
    const el = h('div', { class: 'chart', 'data-chart': key }, h('h4', {}, title));
    c = { el, plot: undefined, labels, start: 0, marks: [] };
    charts.set(key, c);
  }
  // From the first point (at least the last 2 minutes) to now, within RANGE_MS: a young daemon's few points are not squeezed into a corner.
  const now = Date.now() / 1000;
  c.start = Math.max(now - rangeMs / 1000, Math.min(times[0] ?? now, now - 120));
  const points = lines.filter((l) => !l.dash).reduce((n, l) => n + l.points.length, 0);
  c.el.dataset.points = String(points);
  c.marks = marks;
  c.el.dataset.marks = String(marks.filter((m) => m.at / 1000 >= c!.start).length);
  if (!c.plot) {
    c.plot = new uPlot({
      width: 460, height: 200,
      series: [{}, ...lines.map((l, i) => ({ label: l.label, stroke: l.dash ? '#cf222e' : COLORS[i % COLORS.length]!, width: 1.5, spanGaps: true, ...(l.dash ? { dash: [6, 4] } : {}) }))],
      // The time axis spans c.start to now (a lone point would otherwise stretch it over years);
      // the value axis starts at 0 and leaves room above the highest line.
      scales: {
        x: { time: true, range: () => [c!.start, Date.now() / 1000] },
        y: { range: (_u, _min, max) => [0, Math.max(1, Number.isFinite(max) ? max * 1.15 : 1)] },
      },
      axes: [{}, { size: 50 }],
      hooks: { draw: [(u) => drawMarks(u, c!.marks)] },
    }, data, c.el);
  } else {
    c.plot.setData(data);
  }
  return c.el;
}

export type ChartTarget = { kind: 'lb' | 'tg' | 'asg'; name: string; marks?: Mark[] };

const MARK_COLORS: Record<Mark['kind'], string> = { launch: 'rgba(26,127,55,.55)', terminate: 'rgba(207,34,46,.55)', other: 'rgba(87,96,106,.45)' };

/** Scaling activities as dotted vertical lines: green a launch, red a termination. */
function drawMarks(u: uPlot, marks: readonly Mark[]): void {
  const ctx = u.ctx;
  const { top, height, left, width } = u.bbox;
  ctx.save();
  ctx.setLineDash([3, 3]);
  ctx.lineWidth = 1.5 * devicePixelRatio;
  for (const m of marks) {
    const x = u.valToPos(m.at / 1000, 'x', true);
    if (x < left || x > left + width) continue;
    ctx.strokeStyle = MARK_COLORS[m.kind];
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
  }
  ctx.restore();
}

const wrappers = new Map<string, HTMLElement>();
/** What the timer refreshes: the charts of the page on screen. */
let current: { key: string; update: () => Promise<unknown> } | undefined;

/**
 * The charts of a load balancer, target group or Auto Scaling group page. The
 * same wrapper element comes back for the same resource, so a re-render keeps
 * the charts where they are and only feeds them data.
 */
export async function metricCharts(target: ChartTarget): Promise<HTMLElement> {
  const key = `${target.kind}/${target.name}`;
  const wrapper = wrappers.get(key) ?? h('div', { class: 'charts', 'data-charts': key });
  wrappers.set(key, wrapper);
  await follow(key, wrapper, async () => append(wrapper, await draw(key, target)));
  return wrapper;
}

/** Runs update now and every REFRESH_MS while `wrapper` is on screen (the page's charts). */
export async function follow(key: string, wrapper: HTMLElement, update: () => Promise<void>): Promise<void> {
  wrappers.set(key, wrapper);
  current = { key, update };
  startRefresh();
  await update();
}

async function draw(key: string, target: ChartTarget): Promise<HTMLElement[]> {
  const alarms = (await get<{ MetricAlarms: Alarm[] }>('/_shoal/alarms')).MetricAlarms;
  const withThreshold = (lines: Line[], ns: string, metric: string, dims: Dim[]): Line[] => {
    const a = thresholdOf(alarms, ns, metric, dims);
    return a ? [...lines, { label: `${a.AlarmName} threshold ${a.Threshold}`, points: [[Date.now() / 1000, a.Threshold]], dash: true }] : lines;
  };
  const out: HTMLElement[] = [];
  if (target.kind === 'asg') {
    const dims = [{ name: 'AutoScalingGroupName', value: target.name }];
    const g = (m: string) => query({ namespace: 'AWS/AutoScaling', metricName: m, dimensions: dims }, 'Maximum');
    const [desired, inService, cpu] = await Promise.all([g('GroupDesiredCapacity'), g('GroupInServiceInstances'),
      query({ namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: dims }, 'Average')]);
    const marks = target.marks ?? [];
    out.push(chart(`${key}/capacity`, 'Desired vs in-service capacity (dotted: launches, terminations)', [{ label: 'desired', points: desired }, { label: 'in service', points: inService }], marks));
    out.push(chart(`${key}/cpu`, 'CPUUtilization (%, average)', withThreshold([{ label: 'CPU %', points: cpu }], 'AWS/EC2', 'CPUUtilization', dims)));
    const net = (m: string) => query({ namespace: 'AWS/EC2', metricName: m, dimensions: dims }, 'Sum');
    const [netIn, netOut] = await Promise.all([net('NetworkIn'), net('NetworkOut')]);
    const kib = (p: Array<[number, number]>) => p.map(([t, v]): [number, number] => [t, v / 1024]);
    out.push(chart(`${key}/network`, 'NetworkIn / NetworkOut (KiB, sum)', [{ label: 'in', points: kib(netIn) }, { label: 'out', points: kib(netOut) }]));
  } else {
    const ns = 'AWS/ApplicationELB';
    const match: Record<string, (v: string) => boolean> = target.kind === 'lb'
      ? { LoadBalancer: (v) => v.split('/')[1] === target.name }
      : { LoadBalancer: () => true, TargetGroup: (v) => v.split('/')[1] === target.name };
    const [reqs, times] = await Promise.all([findSeries(ns, 'RequestCount', match), findSeries(ns, 'TargetResponseTime', match)]);
    const requests = sumSeries(await Promise.all(reqs.map((s) => query(s, 'Sum'))));
    const rt = times[0] ? await Promise.all([query(times[0], 'p50'), query(times[0], 'p99')]) : [[], []];
    const ms = (p: Array<[number, number]>) => p.map(([t, v]): [number, number] => [t, v * 1000]);
    out.push(chart(`${key}/requests`, 'RequestCount (sum per 5 s)', withThreshold([{ label: 'requests', points: requests }], ns, 'RequestCount', reqs[0]?.dimensions ?? [])));
    out.push(chart(`${key}/rt`, 'TargetResponseTime (ms)', [{ label: 'p50', points: ms(rt[0]!) }, { label: 'p99', points: ms(rt[1]!) }]));
    const sum = async (metric: string, m: Record<string, (v: string) => boolean>) => sumSeries(await Promise.all((await findSeries(ns, metric, m)).map((x) => query(x, 'Sum'))));
    if (target.kind === 'tg') {
      const zones = await findSeries(ns, 'HealthyHostCount', { ...match, AvailabilityZone: () => true });
      const perZone = await Promise.all(zones.map(async (z) => ({ label: z.dimensions.find((d) => d.name === 'AvailabilityZone')!.value, points: await query(z, 'Minimum') })));
      out.push(chart(`${key}/healthy`, 'HealthyHostCount per zone (minimum)', perZone.sort((a, b) => a.label.localeCompare(b.label))));
      out.push(chart(`${key}/5xx`, 'HTTPCode_Target_5XX_Count (sum)', [{ label: 'target 5XX', points: await sum('HTTPCode_Target_5XX_Count', match) }]));
    } else {
      const [elb5xx, target5xx, active] = await Promise.all([sum('HTTPCode_ELB_5XX_Count', match),
        sum('HTTPCode_Target_5XX_Count', { ...match, TargetGroup: () => true }), sum('ActiveConnectionCount', match)]);
      out.push(chart(`${key}/5xx`, '5XX responses (sum)', [{ label: 'ELB 5XX', points: elb5xx }, { label: 'target 5XX', points: target5xx }]));
      out.push(chart(`${key}/connections`, 'ActiveConnectionCount (sum)', [{ label: 'active connections', points: active }]));
    }
  }
  return out;
}

/** Every REFRESH_MS, the charts on screen fetch their data again (metrics move without a state change). */
function startRefresh(): void {
  if (timer !== undefined) return;
  timer = window.setInterval(() => {
    const shown = current && wrappers.get(current.key)?.isConnected;
    if (shown) void current!.update().catch(() => undefined);
    else {
      window.clearInterval(timer);
      timer = undefined;
    }
  }, REFRESH_MS);
}
