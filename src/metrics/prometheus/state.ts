/**
 * Metrics read from the daemon's state at each scrape: target health per
 * target group, Auto Scaling group sizes and instances, instance CPU and
 * status checks (the same observations as AWS/EC2's), the access log files,
 * and the CloudWatch-style store's own size. Nothing is kept between scrapes.
 */
import type { Registry } from 'prom-client';
import type { TargetHealthDescription, TargetHealthState } from '../../model/target-group.js';
import type { AutoScalingView } from '../service.js';
import { ReadMetric, type Labels } from './custom.js';

const STATES: readonly TargetHealthState[] = ['initial', 'healthy', 'unhealthy', 'unused', 'draining', 'unavailable'];

/** What the scrape reads; the control plane provides it. */
export interface StateSource {
  targetGroups(): readonly string[];
  describeTargetHealth(group: string): readonly TargetHealthDescription[] | undefined;
  autoScaling(): AutoScalingView | undefined;
  accessLogs(): readonly { loadBalancer: string; writtenBytes: number; droppedBytes: number; rotations: number }[];
  metricsStore(): { series: number; droppedDatums: number } | undefined;
}

type Rows = Iterable<[Labels, number]>;

export function registerStateMetrics(registry: Registry, src: StateSource): void {
  const gauge = (name: string, help: string, read: () => Rows) => new ReadMetric(registry, name, help, 'gauge', read);
  const counter = (name: string, help: string, read: () => Rows) => new ReadMetric(registry, name, help, 'counter', read);

  gauge('shoal_target_group_targets', 'Targets of a target group by health state (HealthyHostCount, UnHealthyHostCount, ...)', function* () {
    for (const tg of src.targetGroups()) {
      const list = src.describeTargetHealth(tg) ?? [];
      for (const state of STATES) yield [{ target_group: tg, state }, list.filter((d) => d.targetHealth.state === state).length];
    }
  });
  gauge('shoal_target_health', "1 for each target, labelled with its health state", function* () {
    for (const tg of src.targetGroups()) {
      for (const d of src.describeTargetHealth(tg) ?? []) {
        yield [{ target_group: tg, target: `${d.target.id}:${d.target.port}`, state: d.targetHealth.state }, 1];
      }
    }
  });

  const groups = () => [...(src.autoScaling()?.groups.values() ?? [])].map((g) => g.state);
  gauge('shoal_asg_min_size', 'Auto Scaling group minimum size', () => groups().map((g) => [{ group: g.name }, g.minSize]));
  gauge('shoal_asg_max_size', 'Auto Scaling group maximum size', () => groups().map((g) => [{ group: g.name }, g.maxSize]));
  gauge('shoal_asg_desired_capacity', 'Auto Scaling group desired capacity', () => groups().map((g) => [{ group: g.name }, g.desiredCapacity]));
  gauge('shoal_asg_instances', 'Instances of an Auto Scaling group by lifecycle state', function* () {
    for (const g of groups()) {
      const counts = new Map<string, number>();
      for (const r of g.instances) counts.set(r.lifecycleState, (counts.get(r.lifecycleState) ?? 0) + 1);
      for (const state of ['Pending', 'InService', 'Standby', 'Terminating']) counts.set(state, counts.get(state) ?? 0);
      for (const [state, n] of counts) yield [{ group: g.name, lifecycle_state: state }, n];
    }
  });

  const instances = function* () {
    const asg = src.autoScaling();
    if (!asg) return;
    const owner = new Map<string, string>();
    for (const g of asg.groups.values()) for (const r of g.state.instances) owner.set(r.instanceId, g.state.name);
    for (const o of asg.observed.values()) if (o.state === 'running') yield { o, labels: { instance_id: o.instanceId, group: owner.get(o.instanceId) ?? '' } };
  };
  gauge('shoal_instance_cpu_utilization_ratio', "Instance CPU against its instance type's vCPUs, 0 to 1 (AWS/EC2 CPUUtilization / 100)", function* () {
    for (const { o, labels } of instances()) if (o.cpuPercent !== undefined) yield [labels, o.cpuPercent / 100];
  });
  gauge('shoal_instance_status_check_failed', '1 while the provider reports the instance impaired (StatusCheckFailed)', function* () {
    for (const { o, labels } of instances()) yield [labels, o.impairedReason ? 1 : 0];
  });

  counter('shoal_access_log_written_bytes_total', 'Access log bytes written to the file', () => src.accessLogs().map((a) => [{ load_balancer: a.loadBalancer }, a.writtenBytes]));
  counter('shoal_access_log_dropped_bytes_total', 'Access log bytes dropped (write failures, or too much waiting for a slow disk)', () => src.accessLogs().map((a) => [{ load_balancer: a.loadBalancer }, a.droppedBytes]));
  counter('shoal_access_log_rotations_total', 'Access log files rotated', () => src.accessLogs().map((a) => [{ load_balancer: a.loadBalancer }, a.rotations]));

  gauge('shoal_cloudwatch_series', 'Active series in the CloudWatch-style metrics store', function* () {
    const s = src.metricsStore();
    if (s) yield [{}, s.series];
  });
  counter('shoal_cloudwatch_dropped_datums_total', 'Datums the CloudWatch-style store dropped (series limits, retention)', function* () {
    const s = src.metricsStore();
    if (s) yield [{}, s.droppedDatums];
  });
}
