/**
 * GET /metrics: the daemon's metrics in Prometheus' text format (prom-client),
 * named in Prometheus' conventions (docs/metrics.md "Prometheus"): the data
 * plane's traffic as counters and a latency histogram (traffic.ts), target
 * health, group capacity and instance CPU read at each scrape (state.ts),
 * the workers' own usage (workers.ts), and the daemon process's metrics
 * (prom-client's defaults: process_*, nodejs_*). One registry per daemon, so
 * several daemons in one process (tests) keep their numbers apart.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../../core/clock.js';
import type { StatsReport } from '../../dataplane/stats.js';
import type { WorkerUsage } from '../../dataplane/usage.js';
import { registerStateMetrics, type StateSource } from './state.js';
import { TrafficMetrics } from './traffic.js';
import { WorkerMetrics } from './workers.js';

export class PrometheusExporter {
  private readonly registry = new Registry();
  private readonly traffic: TrafficMetrics;
  private readonly workers: WorkerMetrics;

  constructor(o: { clock: Clock; source: StateSource }) {
    collectDefaultMetrics({ register: this.registry });
    this.traffic = new TrafficMetrics(this.registry);
    this.workers = new WorkerMetrics(this.registry, o.clock, (w) => this.traffic.forgetWorker(w));
    registerStateMetrics(this.registry, o.source);
  }

  /** A worker's once-a-second report. */
  add(report: StatsReport, worker: string, usage: WorkerUsage): void {
    this.traffic.add(report, worker);
    this.workers.add(worker, usage, report);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text. */
  text(): Promise<string> {
    this.workers.evictStale();
    return this.registry.metrics();
  }
}
