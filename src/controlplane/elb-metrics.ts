/**
 * The AWS/ApplicationELB namespace: turns the workers' per-second traffic
 * reports and the registry's target health into CloudWatch datapoints with
 * AWS's metric names, units and dimensions (LoadBalancer "app/NAME/ID",
 * TargetGroup "targetgroup/NAME/ID"). Counts from several workers for the same
 * second add up in the store, as CloudWatch sums what each ALB node reports.
 * Traffic metrics carry no AvailabilityZone dimension: AWS attributes them to
 * the zone of the ALB node that handled them, and shoal's load balancer is not
 * spread over zones.
 */
import type { LoadBalancer } from '../model/load-balancer.js';
import { loadBalancerDimension, targetGroupDimension } from '../model/ids.js';
import type { TargetHealthDescription } from '../model/target-group.js';
import type { StatsReport, TargetGroupSecond } from '../dataplane/stats.js';
import type { Dimension, MetricDatum } from '../metrics/types.js';

const NS = 'AWS/ApplicationELB';

export interface ElbMetricsSource {
  loadBalancers(): readonly LoadBalancer[];
  describeTargetHealth(group: string): TargetHealthDescription[] | undefined;
}

/** Which target groups each load balancer forwards to (HealthyHostCount is per pair). */
export function forwardedGroups(lb: LoadBalancer): Set<string> {
  const out = new Set<string>();
  for (const l of lb.listeners) {
    for (const a of [...l.defaultActions, ...l.rules.flatMap((r) => r.actions)]) {
      if (a.type === 'forward') for (const t of a.targetGroups) out.add(t.targetGroup);
    }
  }
  return out;
}

function lbDim(lb: string): Dimension {
  return { name: 'LoadBalancer', value: loadBalancerDimension(lb) };
}

function tgDim(tg: string): Dimension {
  return { name: 'TargetGroup', value: targetGroupDimension(tg) };
}

function count(metricName: string, dimensions: Dimension[], value: number, timestamp: number): MetricDatum {
  return { namespace: NS, metricName, dimensions, value, timestamp, unit: 'Count' };
}

/** Datapoints for one worker's second of traffic. `healthy` gives each group's healthy target count. */
export function trafficData(report: StatsReport, healthy: (group: string) => number): MetricDatum[] {
  const at = report.at;
  const out: MetricDatum[] = [];
  for (const [name, s] of Object.entries(report.loadBalancers)) {
    const d = [lbDim(name)];
    out.push(count('RequestCount', d, s.requests, at));
    out.push(count('NewConnectionCount', d, s.newConnections, at));
    out.push(count('ActiveConnectionCount', d, s.activeConnections, at));
    out.push({ namespace: NS, metricName: 'ProcessedBytes', dimensions: d, value: s.processedBytes, timestamp: at, unit: 'Bytes' });
    if (s.elb3xx) out.push(count('HTTPCode_ELB_3XX_Count', d, s.elb3xx, at));
    if (s.elb4xx) out.push(count('HTTPCode_ELB_4XX_Count', d, s.elb4xx, at));
    if (s.elb5xx) out.push(count('HTTPCode_ELB_5XX_Count', d, s.elb5xx, at));
  }
  for (const s of Object.values(report.targetGroups)) out.push(...targetGroupData(s, healthy(s.targetGroup), at));
  return out;
}

function targetGroupData(s: TargetGroupSecond, healthy: number, at: number): MetricDatum[] {
  const pair = [lbDim(s.loadBalancer), tgDim(s.targetGroup)];
  const out: MetricDatum[] = [count('RequestCount', pair, s.requests, at)];
  // RequestCountPerTarget: the group's requests over its healthy targets (all of them when none is: fail open).
  const perTarget = s.requests / Math.max(1, healthy);
  out.push(count('RequestCountPerTarget', pair, perTarget, at));
  out.push(count('RequestCountPerTarget', [tgDim(s.targetGroup)], perTarget, at));
  const codes: [string, number][] = [
    ['HTTPCode_Target_2XX_Count', s.target2xx],
    ['HTTPCode_Target_3XX_Count', s.target3xx],
    ['HTTPCode_Target_4XX_Count', s.target4xx],
    ['HTTPCode_Target_5XX_Count', s.target5xx],
    ['TargetConnectionErrorCount', s.connectionErrors],
  ];
  for (const [metricName, n] of codes) if (n > 0) out.push(count(metricName, pair, n, at));
  const rt = s.responseTime;
  if (rt.count > 0) {
    for (const dimensions of [pair, [lbDim(s.loadBalancer)]]) {
      out.push({
        namespace: NS,
        metricName: 'TargetResponseTime',
        dimensions,
        timestamp: at,
        unit: 'Seconds',
        statisticValues: { sampleCount: rt.count, sum: rt.sum, minimum: rt.min, maximum: rt.max },
        values: rt.sample,
      });
    }
  }
  return out;
}

/**
 * HealthyHostCount / UnHealthyHostCount for every (load balancer, target
 * group) pair, at `at`; also per AvailabilityZone of the targets (ASG
 * instances know their zone), as AWS publishes them.
 */
export function hostCountData(source: ElbMetricsSource, at: number): MetricDatum[] {
  const out: MetricDatum[] = [];
  for (const lb of source.loadBalancers()) {
    for (const tg of forwardedGroups(lb)) {
      const list = source.describeTargetHealth(tg) ?? [];
      const pair = [lbDim(lb.name), tgDim(tg)];
      out.push(...hostCounts(pair, list, at));
      const zones = new Set(list.map((d) => d.target.availabilityZone).filter((z): z is string => z !== undefined));
      for (const zone of zones) {
        const inZone = list.filter((d) => d.target.availabilityZone === zone);
        out.push(...hostCounts([...pair, { name: 'AvailabilityZone', value: zone }], inZone, at));
      }
    }
  }
  return out;
}

function hostCounts(dimensions: Dimension[], list: readonly TargetHealthDescription[], at: number): MetricDatum[] {
  const healthy = list.filter((d) => d.targetHealth.state === 'healthy').length;
  const unhealthy = list.filter((d) => d.targetHealth.state === 'unhealthy').length;
  return [count('HealthyHostCount', dimensions, healthy, at), count('UnHealthyHostCount', dimensions, unhealthy, at)];
}
