/**
 * The data plane's traffic as Prometheus counters: every worker's
 * once-a-second report (dataplane/stats.ts) is added to totals kept since the
 * daemon started, so the series only grow, as counters must; rate() in
 * PromQL turns them back into per-second values. The same reports feed the
 * CloudWatch-style AWS/ApplicationELB metrics (controlplane/elb-metrics.ts).
 *
 * `code` is the status class ("2xx" ... "5xx"), as HAProxy's exporter labels
 * its responses: the workers count classes, which keeps the series bounded.
 * A target_group of "" is an answer the load balancer made itself (errors,
 * redirects, fixed responses), as HTTPCode_ELB_* counts them.
 */
import { Counter, type Registry } from 'prom-client';
import { RESPONSE_TIME_BUCKETS, type StatsReport } from '../../dataplane/stats.js';
import { BucketHistogram, ReadMetric, type Labels } from './custom.js';

export class TrafficMetrics {
  private readonly requests: Counter;
  private readonly connectionErrors: Counter;
  private readonly connections: Counter;
  private readonly bytes: Counter;
  private readonly responseTime: BucketHistogram;
  /** Open connections per worker and load balancer, as each worker last reported them. */
  private readonly active = new Map<string, Record<string, number>>();
  /** Load balancers that ever had traffic: their gauge says 0 rather than vanish. */
  private readonly seen = new Set<string>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'shoal_lb_requests_total',
      help: 'Requests answered, by status class; target_group "" for answers the load balancer made itself',
      labelNames: ['load_balancer', 'target_group', 'code'], registers,
    });
    this.connectionErrors = new Counter({
      name: 'shoal_lb_target_connection_errors_total',
      help: 'Connections to targets that were refused or reset (TargetConnectionErrorCount)',
      labelNames: ['load_balancer', 'target_group'], registers,
    });
    this.connections = new Counter({ name: 'shoal_lb_connections_total', help: 'Client connections accepted', labelNames: ['load_balancer'], registers });
    this.bytes = new Counter({ name: 'shoal_lb_processed_bytes_total', help: 'Bytes to and from clients (ProcessedBytes)', labelNames: ['load_balancer'], registers });
    this.responseTime = new BucketHistogram(registry, 'shoal_lb_target_response_seconds',
      'Time from sending a request to a target to its response head (TargetResponseTime)', RESPONSE_TIME_BUCKETS);
    new ReadMetric(registry, 'shoal_lb_active_connections', 'Client connections open (ActiveConnectionCount)', 'gauge', () => this.activeNow());
  }

  add(report: StatsReport, worker: string): void {
    const active: Record<string, number> = {};
    for (const [lb, s] of Object.entries(report.loadBalancers)) {
      const codes: [string, number][] = [['2xx', s.elb2xx], ['3xx', s.elb3xx], ['4xx', s.elb4xx], ['5xx', s.elb5xx]];
      for (const [code, n] of codes) if (n > 0) this.requests.inc({ load_balancer: lb, target_group: '', code }, n);
      if (s.newConnections > 0) this.connections.inc({ load_balancer: lb }, s.newConnections);
      if (s.processedBytes > 0) this.bytes.inc({ load_balancer: lb }, s.processedBytes);
      active[lb] = s.activeConnections;
      this.seen.add(lb);
    }
    this.active.set(worker, active);
    for (const s of Object.values(report.targetGroups)) {
      const pair: Labels = { load_balancer: s.loadBalancer, target_group: s.targetGroup };
      const codes: [string, number][] = [['2xx', s.target2xx], ['3xx', s.target3xx], ['4xx', s.target4xx], ['5xx', s.target5xx]];
      for (const [code, n] of codes) if (n > 0) this.requests.inc({ ...pair, code }, n);
      if (s.connectionErrors > 0) this.connectionErrors.inc(pair, s.connectionErrors);
      if (s.responseTime.count > 0) this.responseTime.add(pair, s.responseTime.buckets, s.responseTime.sum);
    }
  }

  /** A worker that is gone no longer holds connections. */
  forgetWorker(worker: string): void {
    this.active.delete(worker);
  }

  private *activeNow(): Iterable<[Labels, number]> {
    const sum = new Map<string, number>([...this.seen].map((lb) => [lb, 0]));
    for (const byLb of this.active.values()) for (const [lb, n] of Object.entries(byLb)) sum.set(lb, (sum.get(lb) ?? 0) + n);
    for (const [lb, n] of sum) yield [{ load_balancer: lb }, n];
  }
}
