/**
 * AWS/EC2 NetworkIn / NetworkOut for instances behind the load balancer.
 * Instances share the host's network namespace, so the kernel keeps no byte
 * counts per instance; what shoal can count is the traffic its data plane
 * exchanges with each target: NetworkIn is the bytes the load balancer sent to
 * the instance, NetworkOut the bytes it read back (counted as each request
 * completes). Traffic an instance has with anything else is not seen.
 *
 * Workers report per second; the bytes are added up here and published once
 * a second for every InService instance (0 when it had none), per InstanceId
 * and per AutoScalingGroupName, so a group's Average is per instance.
 */
import type { StatsReport } from '../dataplane/stats.js';
import type { MetricDatum } from '../metrics/types.js';

export interface InstanceTarget {
  instanceId: string;
  group: string;
  /** "ip:port" as the data plane keys targets. */
  targetKey: string;
}

export class NetworkMeter {
  private bytes = new Map<string, { sent: number; received: number }>();

  add(report: StatsReport): void {
    for (const [key, b] of Object.entries(report.targets ?? {})) {
      const acc = this.bytes.get(key);
      if (acc) {
        acc.sent += b.sent;
        acc.received += b.received;
      } else this.bytes.set(key, { sent: b.sent, received: b.received });
    }
  }

  /** The bytes counted since the last flush, as datums stamped `at`, for each instance given. */
  flush(instances: readonly InstanceTarget[], at: number): MetricDatum[] {
    const out: MetricDatum[] = [];
    for (const i of instances) {
      const b = this.bytes.get(i.targetKey) ?? { sent: 0, received: 0 };
      for (const dimensions of [[{ name: 'InstanceId', value: i.instanceId }], [{ name: 'AutoScalingGroupName', value: i.group }]]) {
        out.push({ namespace: 'AWS/EC2', metricName: 'NetworkIn', dimensions, value: b.sent, timestamp: at, unit: 'Bytes' });
        out.push({ namespace: 'AWS/EC2', metricName: 'NetworkOut', dimensions, value: b.received, timestamp: at, unit: 'Bytes' });
      }
    }
    this.bytes.clear();
    return out;
  }
}
