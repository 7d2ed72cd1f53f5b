/**
 * shoal's own metrics from the Auto Scaling service's state, as AWS names
 * them. Pure functions from a view of the groups and the latest instance
 * observations to datums; MetricsService calls them once a second.
 *
 * AWS/EC2, per InstanceId: CPUUtilization (Percent; against the instance
 * type's vCPUs, as the provider samples it), StatusCheckFailed,
 * StatusCheckFailed_Instance (1 while the provider reports an impairment) and
 * StatusCheckFailed_System (always 0: there is no host apart from the
 * process). Per AutoScalingGroupName, the same metrics over the group's
 * instances (one sample per instance, as CloudWatch aggregates detailed
 * monitoring by group: Average is the group's average, Maximum its busiest).
 * NetworkIn/NetworkOut come from the data plane (controlplane/network-metrics.ts).
 *
 * AWS/AutoScaling, per AutoScalingGroupName: the group metrics (min, max,
 * desired, instances by lifecycle state, and the *Capacity twins, which equal
 * the counts since every instance weighs 1).
 */
import type { InstanceObservation } from '../providers/provider.js';
import type { MetricDatum } from './types.js';

/** What the producers read of an Auto Scaling group. */
export interface GroupView {
  name: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  instances: readonly { instanceId: string; lifecycleState: string }[];
}

export function groupDatums(groups: readonly GroupView[], now: number): MetricDatum[] {
  const out: MetricDatum[] = [];
  for (const g of groups) {
    let inService = 0;
    let pending = 0;
    let standby = 0;
    let terminating = 0;
    for (const r of g.instances) {
      const s = r.lifecycleState;
      if (s === 'InService') inService++;
      else if (s === 'Pending' || s === 'Pending:Wait') pending++;
      else if (s === 'Standby') standby++;
      else if (s === 'Terminating' || s === 'Terminating:Wait') terminating++;
    }
    const total = inService + pending + terminating;
    const dimensions = [{ name: 'AutoScalingGroupName', value: g.name }];
    const put = (metricName: string, value: number) => out.push({ namespace: 'AWS/AutoScaling', metricName, dimensions, timestamp: now, value, unit: 'None' });
    put('GroupMinSize', g.minSize);
    put('GroupMaxSize', g.maxSize);
    put('GroupDesiredCapacity', g.desiredCapacity);
    put('GroupInServiceInstances', inService);
    put('GroupPendingInstances', pending);
    put('GroupStandbyInstances', standby);
    put('GroupTerminatingInstances', terminating);
    put('GroupTotalInstances', total);
    put('GroupInServiceCapacity', inService);
    put('GroupPendingCapacity', pending);
    put('GroupStandbyCapacity', standby);
    put('GroupTerminatingCapacity', terminating);
    put('GroupTotalCapacity', total);
  }
  return out;
}

const EC2 = [
  { metricName: 'CPUUtilization', unit: 'Percent', of: (o: InstanceObservation) => o.cpuPercent },
  { metricName: 'StatusCheckFailed', unit: 'Count', of: (o: InstanceObservation) => (o.impairedReason ? 1 : 0) },
  { metricName: 'StatusCheckFailed_Instance', unit: 'Count', of: (o: InstanceObservation) => (o.impairedReason ? 1 : 0) },
  { metricName: 'StatusCheckFailed_System', unit: 'Count', of: () => 0 },
] as const;

/** AWS/EC2 datums of running instances; groupOf names the group an instance belongs to, if any. */
export function instanceDatums(
  observed: Iterable<InstanceObservation>,
  groupOf: (instanceId: string) => string | undefined,
  now: number,
): MetricDatum[] {
  const out: MetricDatum[] = [];
  const byGroup = new Map<string, Map<string, number[]>>();
  for (const o of observed) {
    if (o.state !== 'running') continue;
    const group = groupOf(o.instanceId);
    for (const m of EC2) {
      const value = m.of(o);
      if (value === undefined) continue;
      out.push({ namespace: 'AWS/EC2', metricName: m.metricName, dimensions: [{ name: 'InstanceId', value: o.instanceId }], timestamp: now, value, unit: m.unit });
      if (group === undefined) continue;
      let metrics = byGroup.get(group);
      if (!metrics) byGroup.set(group, (metrics = new Map()));
      const values = metrics.get(m.metricName);
      if (values) values.push(value);
      else metrics.set(m.metricName, [value]);
    }
  }
  for (const [group, metrics] of byGroup) {
    for (const m of EC2) {
      const values = metrics.get(m.metricName);
      if (!values) continue;
      out.push({ namespace: 'AWS/EC2', metricName: m.metricName, dimensions: [{ name: 'AutoScalingGroupName', value: group }], timestamp: now, values, unit: m.unit });
    }
  }
  return out;
}
