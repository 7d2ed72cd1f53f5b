import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.js';
import type { StatsReport } from '../../dataplane/stats.js';
import type { TargetHealthDescription } from '../../model/target-group.js';
import type { InstanceObservation } from '../../providers/provider.js';
import type { AutoScalingView } from '../service.js';
import { PrometheusExporter } from './exporter.js';

const usage = { rss: 50_000_000, heapUsed: 10_000_000, cpuSeconds: 1.5 };

function report(o: { active?: number; elb4xx?: number; t2xx?: number; buckets?: number[]; sum?: number } = {}): StatsReport {
  const buckets = o.buckets ?? new Array<number>(12).fill(0);
  const count = buckets.reduce((a, b) => a + b, 0);
  return {
    at: 0,
    loadBalancers: { web: { requests: 5, elb2xx: 0, elb3xx: 1, elb4xx: o.elb4xx ?? 1, elb5xx: 0, newConnections: 2, activeConnections: o.active ?? 3, processedBytes: 100 } },
    targetGroups: {
      'web/app': {
        loadBalancer: 'web', targetGroup: 'app', requests: 3, target2xx: o.t2xx ?? 3, target3xx: 0, target4xx: 0, target5xx: 0, connectionErrors: 0,
        responseTime: { count, sum: o.sum ?? 0, min: 0, max: 0, sample: [], buckets },
      },
    },
  };
}

function health(...states: TargetHealthDescription['targetHealth']['state'][]): TargetHealthDescription[] {
  return states.map((state, i) => ({ target: { id: '127.0.0.1', port: 9000 + i }, healthCheckPort: String(9000 + i), targetHealth: { state } }));
}

function exporter(asg?: AutoScalingView) {
  const clock = new ManualClock();
  const e = new PrometheusExporter({
    clock,
    source: {
      targetGroups: () => ['app'],
      describeTargetHealth: () => health('healthy', 'healthy', 'unhealthy'),
      autoScaling: () => asg,
      accessLogs: () => [{ loadBalancer: 'web', writtenBytes: 4096, droppedBytes: 0, rotations: 1 }],
      metricsStore: () => ({ series: 42, droppedDatums: 0 }),
    },
  });
  return { e, clock };
}

/** The value of one exposition line, by its name and labels as printed. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('PrometheusExporter', () => {
  it('adds every worker report into counters that only grow', async () => {
    const { e } = exporter();
    e.add(report(), '1', usage);
    e.add(report({ t2xx: 2, elb4xx: 0 }), '2', usage);
    const text = await e.text();
    assert.equal(value(text, 'shoal_lb_requests_total{load_balancer="web",target_group="app",code="2xx"}'), 5);
    assert.equal(value(text, 'shoal_lb_requests_total{load_balancer="web",target_group="",code="4xx"}'), 1);
    assert.equal(value(text, 'shoal_lb_requests_total{load_balancer="web",target_group="",code="3xx"}'), 2);
    assert.equal(value(text, 'shoal_lb_connections_total{load_balancer="web"}'), 4);
    assert.equal(value(text, 'shoal_lb_processed_bytes_total{load_balancer="web"}'), 200);
    assert.match(text, /# TYPE shoal_lb_requests_total counter/);
  });

  it('the response time histogram: cumulative le buckets, +Inf, sum and count', async () => {
    const { e } = exporter();
    e.add(report({ buckets: [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1], sum: 20.03 }), '1', usage);
    e.add(report({ buckets: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], sum: 0.001 }), '1', usage);
    const text = await e.text();
    const pair = 'load_balancer="web",target_group="app"';
    assert.match(text, /# TYPE shoal_lb_target_response_seconds histogram/);
    assert.equal(value(text, `shoal_lb_target_response_seconds_bucket{${pair},le="0.005"}`), 3);
    assert.equal(value(text, `shoal_lb_target_response_seconds_bucket{${pair},le="0.025"}`), 4);
    assert.equal(value(text, `shoal_lb_target_response_seconds_bucket{${pair},le="10"}`), 4);
    assert.equal(value(text, `shoal_lb_target_response_seconds_bucket{${pair},le="+Inf"}`), 5);
    assert.equal(value(text, `shoal_lb_target_response_seconds_count{${pair}}`), 5);
    assert.ok(Math.abs(value(text, `shoal_lb_target_response_seconds_sum{${pair}}`)! - 20.031) < 1e-9);
  });

  it('active connections: the sum of each worker\'s latest report; a silent worker leaves after 5 s', async () => {
    const { e, clock } = exporter();
    e.add(report({ active: 3 }), '1', usage);
    e.add(report({ active: 4 }), '2', usage);
    e.add(report({ active: 1 }), '1', { ...usage, cpuSeconds: 2 });
    let text = await e.text();
    assert.equal(value(text, 'shoal_lb_active_connections{load_balancer="web"}'), 5);
    assert.equal(value(text, 'shoal_dataplane_workers'), 2);
    assert.equal(value(text, 'shoal_dataplane_worker_cpu_seconds_total{worker="1"}'), 2);
    assert.equal(value(text, 'shoal_dataplane_worker_resident_memory_bytes{worker="2"}'), 50_000_000);
    clock.advance(6000);
    e.add(report({ active: 0 }), '2', usage);
    text = await e.text();
    assert.equal(value(text, 'shoal_dataplane_workers'), 1);
    assert.equal(value(text, 'shoal_dataplane_worker_cpu_seconds_total{worker="1"}'), undefined);
    assert.equal(value(text, 'shoal_lb_active_connections{load_balancer="web"}'), 0, 'known load balancers say 0');
  });

  it('target health, group capacity, instance CPU, access logs and the store, read at the scrape', async () => {
    const observed = new Map<string, InstanceObservation>([
      ['i-1', { instanceId: 'i-1', state: 'running', cpuPercent: 37.5 } as InstanceObservation],
      ['i-2', { instanceId: 'i-2', state: 'running', cpuPercent: 5, impairedReason: 'boot script failed' } as InstanceObservation],
    ]);
    const group = { name: 'web', minSize: 1, maxSize: 4, desiredCapacity: 2, instances: [{ instanceId: 'i-1', lifecycleState: 'InService' }, { instanceId: 'i-2', lifecycleState: 'Pending' }] };
    const { e } = exporter({ groups: new Map([['web', { state: group }]]), observed });
    const text = await e.text();
    assert.equal(value(text, 'shoal_target_group_targets{target_group="app",state="healthy"}'), 2);
    assert.equal(value(text, 'shoal_target_group_targets{target_group="app",state="unhealthy"}'), 1);
    assert.equal(value(text, 'shoal_target_group_targets{target_group="app",state="draining"}'), 0);
    assert.equal(value(text, 'shoal_target_health{target_group="app",target="127.0.0.1:9002",state="unhealthy"}'), 1);
    assert.equal(value(text, 'shoal_asg_desired_capacity{group="web"}'), 2);
    assert.equal(value(text, 'shoal_asg_max_size{group="web"}'), 4);
    assert.equal(value(text, 'shoal_asg_instances{group="web",lifecycle_state="InService"}'), 1);
    assert.equal(value(text, 'shoal_asg_instances{group="web",lifecycle_state="Terminating"}'), 0);
    assert.equal(value(text, 'shoal_instance_cpu_utilization_ratio{instance_id="i-1",group="web"}'), 0.375);
    assert.equal(value(text, 'shoal_instance_status_check_failed{instance_id="i-2",group="web"}'), 1);
    assert.equal(value(text, 'shoal_access_log_written_bytes_total{load_balancer="web"}'), 4096);
    assert.equal(value(text, 'shoal_cloudwatch_series'), 42);
    assert.match(text, /^process_resident_memory_bytes \d+/m, "the daemon's own process metrics");
    assert.match(text, /^nodejs_eventloop_lag_seconds /m);
  });
});
