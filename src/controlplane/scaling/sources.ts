/**
 * The metrics target tracking follows, read the way its alarms need them:
 *
 * - ASGAverageCPUUtilization / ASGAverageNetworkIn / ASGAverageNetworkOut:
 *   AWS/EC2 per InstanceId, averaged over the group's instances per period,
 *   counting an instance's datapoints only from the end of its warmup (AWS:
 *   a warming instance's metrics do not count towards the group's).
 * - ALBRequestCountPerTarget: AWS/ApplicationELB RequestCountPerTarget of the
 *   target group, Sum per period, expressed per minute whatever the period
 *   (AWS's target value means requests per target per minute); a period
 *   without a datapoint is 0 requests (the data plane only reports traffic).
 * - a customized metric: read as written.
 *
 * The predefined ones also give each datapoint its `total`, the load of the
 * whole group: the sum of the instances' averages, or the target group's
 * RequestCount per minute. Target tracking sizes the group on that, so a
 * datapoint read before a scale-out weighs the same as one read after it.
 */
import type { DatapointSource, SourcedDatapoint } from '../../alarms/types.js';
import type { Dimension, MetricsStore } from '../../metrics/types.js';
import { targetGroupDimension } from '../../model/ids.js';
import type { MetricSpec, PredefinedMetricType, TargetTrackingConfiguration } from '../../model/scaling.js';

const ELB = 'AWS/ApplicationELB';

/** Instances of a group and when each one's warmup ends (ms); read at every evaluation. */
export type WarmedSince = () => ReadonlyMap<string, number>;

export interface TrackedMetric {
  /** What the alarms show (namespace/metric/dimensions/statistic). */
  metric: MetricSpec;
  label: string;
  unit: string;
  source: DatapointSource;
}

const EC2: Record<string, { metricName: string; label: string; unit: string }> = {
  ASGAverageCPUUtilization: { metricName: 'CPUUtilization', label: 'average CPU', unit: '%' },
  ASGAverageNetworkIn: { metricName: 'NetworkIn', label: 'average NetworkIn', unit: ' bytes' },
  ASGAverageNetworkOut: { metricName: 'NetworkOut', label: 'average NetworkOut', unit: ' bytes' },
};

/** Per-instance averages pooled per period, each instance from the end of its warmup. */
export function instanceAverage(metrics: () => MetricsStore | null | undefined, metricName: string, warmed: WarmedSince): DatapointSource {
  return ({ start, end, periodSeconds }) => {
    const store = metrics();
    if (!store) return [];
    const sums = new Map<number, { sum: number; n: number }>();
    for (const [instanceId, from] of warmed()) {
      const points = store.query({ namespace: 'AWS/EC2', metricName, dimensions: [{ name: 'InstanceId', value: instanceId }], statistic: 'Average', periodSeconds, start, end });
      for (const p of points) {
        if (p.timestamp < from) continue; // a period that began during the warmup
        const s = sums.get(p.timestamp) ?? { sum: 0, n: 0 };
        s.sum += p.value;
        s.n += 1;
        sums.set(p.timestamp, s);
      }
    }
    return [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([timestamp, s]) => ({ timestamp, value: s.sum / s.n, sampleCount: s.n, total: s.sum }));
  };
}

/** RequestCountPerTarget of a target group, per minute, zero-filled; total: its RequestCount per minute over every load balancer. */
export function requestsPerTarget(metrics: () => MetricsStore | null | undefined, targetGroup: string): DatapointSource {
  return ({ start, end, periodSeconds }) => {
    const store = metrics();
    if (!store) return [];
    const periodMs = periodSeconds * 1000;
    const perMinute = (v: number) => (v * 60) / periodSeconds;
    const tg = { name: 'TargetGroup', value: targetGroupDimension(targetGroup) };
    const sums = (metricName: string, dimensions: Dimension[]) => store.query({ namespace: ELB, metricName, dimensions, statistic: 'Sum', periodSeconds, start, end });
    const perTarget = new Map(sums('RequestCountPerTarget', [tg]).map((p) => [p.timestamp, p]));
    const requests = new Map<number, number>();
    for (const k of store.list({ namespace: ELB, metricName: 'RequestCount', dimensions: [tg] })) {
      if (k.dimensions.length !== 2) continue; // the (LoadBalancer, TargetGroup) series
      for (const p of sums('RequestCount', k.dimensions)) requests.set(p.timestamp, (requests.get(p.timestamp) ?? 0) + p.value);
    }
    const out: SourcedDatapoint[] = [];
    for (let t = start; t < end; t += periodMs) {
      const p = perTarget.get(t);
      out.push({ timestamp: t, value: perMinute(p?.value ?? 0), sampleCount: p?.sampleCount ?? 0, total: perMinute(requests.get(t) ?? 0) });
    }
    return out;
  };
}

/** The target group an ALBRequestCountPerTarget resource label names: `app/LB/ID/targetgroup/TG/ID` or `LB/TG`. */
export function targetGroupOfLabel(label: string): string | undefined {
  const aws = /^app\/[^/]+\/[^/]+\/targetgroup\/([^/]+)\/[^/]+$/.exec(label);
  if (aws) return aws[1];
  const short = /^[^/]+\/([^/]+)$/.exec(label);
  return short ? short[1] : undefined;
}

export function trackedMetric(o: {
  group: string;
  targetGroups: readonly string[];
  config: TargetTrackingConfiguration;
  metrics: () => MetricsStore | null | undefined;
  warmed: WarmedSince;
}): TrackedMetric {
  const c = o.config;
  if (c.customizedMetric) {
    const m = c.customizedMetric;
    return { metric: m, label: m.metricName, unit: '', source: ({ start, end, periodSeconds }) => o.metrics()?.query({ ...m, statistic: m.statistic as never, periodSeconds, start, end }) ?? [] };
  }
  const type: PredefinedMetricType = c.predefinedMetricType ?? 'ASGAverageCPUUtilization';
  if (type === 'ALBRequestCountPerTarget') {
    const tg = (c.resourceLabel ? targetGroupOfLabel(c.resourceLabel) : undefined) ?? o.targetGroups[0] ?? '';
    return {
      metric: { namespace: ELB, metricName: 'RequestCountPerTarget', dimensions: [{ name: 'TargetGroup', value: targetGroupDimension(tg) }], statistic: 'Sum' },
      label: 'requests per target', unit: '/min', source: requestsPerTarget(o.metrics, tg),
    };
  }
  const e = EC2[type]!;
  return {
    metric: { namespace: 'AWS/EC2', metricName: e.metricName, dimensions: [{ name: 'AutoScalingGroupName', value: o.group }], statistic: 'Average' },
    label: e.label, unit: e.unit, source: instanceAverage(o.metrics, e.metricName, o.warmed),
  };
}
