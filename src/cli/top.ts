/**
 * `shoal top`: a live view of the fleet on a terminal. Per load balancer and
 * per Auto Scaling group: requests per second (new connections per second
 * for network load balancers) and 5xx per second over the last 10 complete
 * seconds, TargetResponseTime p99 over the last minute,
 * and for groups desired vs InService capacity and average CPUUtilization.
 * Everything comes from the daemon's JSON API (the metrics store, the
 * status tree, the groups), as any client would read it.
 *
 * On a terminal the screen is redrawn every --interval seconds until q or
 * Ctrl-C; elsewhere (or with --once) one snapshot is printed; --output json
 * prints the snapshot's rows as JSON.
 */
import type { Command } from 'commander';
import type { StatusTree } from '../controlplane/status.js';
import { holdProcess, sleep, systemClock } from '../core/clock.js';
import { loadBalancerDimension, targetGroupDimension } from '../model/ids.js';
import { asJson, callApi, endpointOptions, resolveEndpoint, type Endpoint, type EndpointOptions } from './client.js';
import { formatTable } from './table.js';

/** What the view asks of the daemon; callApi bound to an endpoint (a fake in unit tests). */
export type Api = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<T>;

export interface TrafficRow {
  /** Requests per second over the window (null: no data). */
  requestsPerSecond: number | null;
  /** ELB and target 5xx answers per second over the window. */
  errorsPerSecond: number | null;
  /** TargetResponseTime p99 over the last minute, in milliseconds. */
  p99Ms: number | null;
}

export interface LoadBalancerRow extends TrafficRow {
  name: string;
  type: string;
  /** Open connections, the last complete second (ActiveConnectionCount). */
  activeConnections: number | null;
  healthyTargets: number;
  targets: number;
}

export interface GroupRow extends TrafficRow {
  name: string;
  desired: number;
  inService: number;
  min: number;
  max: number;
  cpuPercent: number | null;
}

export interface TopSnapshot {
  at: string;
  loadBalancers: LoadBalancerRow[];
  groups: GroupRow[];
}

/** Seconds of complete data the rates are taken over. */
export const WINDOW_SECONDS = 10;

interface Datapoints {
  Datapoints: { Timestamp: string; Value: number }[];
}
interface Metric {
  Dimensions: { Name: string; Value: string }[];
}
interface GroupsAnswer {
  AutoScalingGroups: Array<{ AutoScalingGroupName: string; MinSize: number; MaxSize: number; DesiredCapacity: number; TargetGroupNames: string[]; Instances: Array<{ LifecycleState: string }> }>;
}

type Dims = { name: string; value: string }[];

/** Reads one snapshot of the fleet through the API. `now`: epoch ms. */
export async function gatherTop(api: Api, now: number): Promise<TopSnapshot> {
  const [status, groups, series] = await Promise.all([
    api<StatusTree>('GET', '/_shoal/status'),
    // A daemon with no launch templates runs no Auto Scaling and says so.
    api<GroupsAnswer>('GET', '/_shoal/auto-scaling-groups').catch((err: unknown) => {
      if (/runs no Auto Scaling/.test(String((err as Error).message))) return { AutoScalingGroups: [] };
      throw err;
    }),
    api<{ Metrics: Metric[] }>('POST', '/_shoal/metrics/list', { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount' }),
  ]);
  // The window ends at the last complete second: the current one is still being counted.
  const end = Math.floor(now / 1000) * 1000;
  const start = end - WINDOW_SECONDS * 1000;
  const query = async (namespace: string, metricName: string, dimensions: Dims, statistic: string, period: number, from: number): Promise<number[]> => {
    const r = await api<Datapoints>('POST', '/_shoal/metrics/query', { namespace, metricName, dimensions, statistic, period, start: from, end });
    return r.Datapoints.map((d) => d.Value);
  };
  const sum = (values: number[]): number => values.reduce((a, v) => a + v, 0);
  const rate = async (dimensions: Dims, names: string[]): Promise<number> => {
    const all = await Promise.all(names.map((n) => query('AWS/ApplicationELB', n, dimensions, 'Sum', 1, start)));
    return sum(all.flat()) / WINDOW_SECONDS;
  };
  const p99 = async (dimensions: Dims): Promise<number | null> => {
    const v = await query('AWS/ApplicationELB', 'TargetResponseTime', dimensions, 'p99', 60, end - 60_000);
    return v.length === 0 ? null : Math.max(...v) * 1000;
  };
  const traffic = async (dimensions: Dims, counted = 'RequestCount'): Promise<TrafficRow> => {
    const [requestsPerSecond, errorsPerSecond, p] = await Promise.all([
      rate(dimensions, [counted]),
      rate(dimensions, ['HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count']),
      p99(dimensions),
    ]);
    return { requestsPerSecond, errorsPerSecond, p99Ms: p };
  };

  const health = new Map(status.targetGroups.map((g) => [g.name, g.targets]));
  const loadBalancers = await Promise.all(status.loadBalancers.map(async (lb): Promise<LoadBalancerRow> => {
    const dims = [{ name: 'LoadBalancer', value: loadBalancerDimension(lb.name) }];
    const forwarded = new Set(lb.listeners.flatMap((l) => l.rules.flatMap((r) => forwardTargets(r.action))));
    const targets = [...forwarded].flatMap((g) => health.get(g) ?? []);
    // A network load balancer balances connections: its rate is new connections per second.
    const [t, active] = await Promise.all([traffic(dims, lb.type === 'network' ? 'NewConnectionCount' : 'RequestCount'), query('AWS/ApplicationELB', 'ActiveConnectionCount', dims, 'Sum', 1, end - 1000)]);
    return {
      name: lb.name, type: lb.type, ...t,
      activeConnections: active.length === 0 ? null : active[active.length - 1]!,
      healthyTargets: targets.filter((x) => x.state === 'healthy').length, targets: targets.length,
    };
  }));

  // A target group's traffic is counted per load balancer in front of it ([LoadBalancer, TargetGroup] series).
  const byGroup = new Map<string, Dims[]>();
  for (const m of series.Metrics) {
    const tg = m.Dimensions.find((d) => d.Name === 'TargetGroup');
    if (tg === undefined || m.Dimensions.length !== 2) continue;
    byGroup.set(tg.Value, [...(byGroup.get(tg.Value) ?? []), m.Dimensions.map((d) => ({ name: d.Name, value: d.Value }))]);
  }
  const groupRows = await Promise.all(groups.AutoScalingGroups.map(async (g): Promise<GroupRow> => {
    const dimsList = g.TargetGroupNames.flatMap((tg) => byGroup.get(targetGroupDimension(tg)) ?? []);
    const rows = await Promise.all(dimsList.map((d) => traffic(d)));
    const cpu = await query('AWS/EC2', 'CPUUtilization', [{ name: 'AutoScalingGroupName', value: g.AutoScalingGroupName }], 'Average', 60, end - 60_000);
    const p99s = rows.map((r) => r.p99Ms).filter((v): v is number => v !== null);
    return {
      name: g.AutoScalingGroupName,
      desired: g.DesiredCapacity,
      inService: g.Instances.filter((i) => i.LifecycleState === 'InService').length,
      min: g.MinSize,
      max: g.MaxSize,
      cpuPercent: cpu.length === 0 ? null : cpu[cpu.length - 1]!,
      requestsPerSecond: rows.length === 0 ? null : sum(rows.map((r) => r.requestsPerSecond ?? 0)),
      errorsPerSecond: rows.length === 0 ? null : sum(rows.map((r) => r.errorsPerSecond ?? 0)),
      p99Ms: p99s.length === 0 ? null : Math.max(...p99s),
    };
  }));
  return { at: new Date(now).toISOString(), loadBalancers, groups: groupRows };
}

/** The target groups a rule's action (as the status tree words it) forwards to. */
export function forwardTargets(action: string): string[] {
  if (!action.startsWith('forward to ')) return [];
  return action.slice('forward to '.length).split(', ').map((part) => part.replace(/ \(weight \d+\)$/, ''));
}

const num = (v: number | null, digits: number): string => (v === null ? '-' : v.toFixed(digits));

export function renderTop(s: TopSnapshot, header: string): string {
  const out = [header, ''];
  if (s.loadBalancers.length > 0) {
    out.push(formatTable(
      ['LOAD BALANCER', 'TYPE', 'REQ/S', 'P99 MS', '5XX/S', 'ACTIVE', 'TARGETS'],
      s.loadBalancers.map((r) => [r.name, r.type, num(r.requestsPerSecond, 1), num(r.p99Ms, 1), num(r.errorsPerSecond, 1), num(r.activeConnections, 0), `${r.healthyTargets}/${r.targets} healthy`]),
    ), '');
  }
  if (s.groups.length > 0) {
    out.push(formatTable(
      ['AUTO SCALING GROUP', 'IN SERVICE', 'DESIRED', 'MIN-MAX', 'CPU %', 'REQ/S', 'P99 MS', '5XX/S'],
      s.groups.map((g) => [g.name, String(g.inService), String(g.desired), `${g.min}-${g.max}`, num(g.cpuPercent, 1), num(g.requestsPerSecond, 1), num(g.p99Ms, 1), num(g.errorsPerSecond, 1)]),
    ), '');
  }
  if (s.loadBalancers.length === 0 && s.groups.length === 0) out.push('no load balancers or Auto Scaling groups', '');
  return out.join('\n');
}

type TopOptions = EndpointOptions & { interval: string; once?: boolean };

async function topCommand(o: TopOptions): Promise<void> {
  const ep: Endpoint = resolveEndpoint(o);
  const api: Api = (method, path, body) => callApi(ep, method, path, body);
  const intervalMs = Math.max(0.5, Number(o.interval)) * 1000;
  const live = process.stdout.isTTY === true && o.once !== true && !asJson(o);
  const header = (at: string) => `shoal top  ${ep.address}  ${at.slice(11, 19)} UTC${live ? `  (every ${intervalMs / 1000} s; q to quit)` : ''}`;
  if (!live) {
    const s = await gatherTop(api, Date.now());
    process.stdout.write(asJson(o) ? `${JSON.stringify(s, null, 2)}\n` : renderTop(s, header(s.at)));
    return;
  }
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  const release = holdProcess();
  process.stdin.setRawMode?.(true);
  process.stdin.resume();
  process.stdin.on('data', (k: Buffer) => {
    if (k[0] === 0x71 || k[0] === 0x03) stop(); // q, Ctrl-C
  });
  let first: TopSnapshot | null = await gatherTop(api, Date.now()); // an unreachable daemon fails before the screen changes
  process.stdout.write('\x1b[?1049h'); // the terminal's alternate screen, restored on exit
  try {
    while (!stopped) {
      const s = first ?? (await gatherTop(api, Date.now()));
      first = null;
      process.stdout.write(`\x1b[H\x1b[2J${renderTop(s, header(s.at))}`);
      for (let waited = 0; waited < intervalMs && !stopped; waited += 100) await sleep(systemClock, 100);
    }
  } finally {
    process.stdout.write('\x1b[?1049l');
    process.stdin.setRawMode?.(false);
    process.stdin.pause();
    release();
  }
}

export function registerTopCommand(program: Command): void {
  endpointOptions(program.command('top').description('a live view: requests per second, p99, 5xx and capacity per load balancer and Auto Scaling group'))
    .option('--interval <seconds>', 'seconds between redraws', '2')
    .option('--once', 'print one snapshot and exit (what a non-terminal gets)')
    .action((o: TopOptions) => topCommand(o));
}
