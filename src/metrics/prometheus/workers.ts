/**
 * The data plane's worker processes: how many report, and each one's memory,
 * CPU and open connections, from the usage every worker sends with its
 * once-a-second stats. A worker silent for STALE_MS (it exited; a replacement
 * gets a new id) leaves the series.
 */
import { Counter, type Registry } from 'prom-client';
import type { Clock } from '../../core/clock.js';
import type { StatsReport } from '../../dataplane/stats.js';
import type { WorkerUsage } from '../../dataplane/usage.js';
import { ReadMetric, type Labels } from './custom.js';

const STALE_MS = 5000;

interface Seen {
  at: number;
  usage: WorkerUsage;
  connections: number;
}

export class WorkerMetrics {
  private readonly seen = new Map<string, Seen>();
  private readonly cpu: Counter;

  constructor(registry: Registry, private readonly clock: Clock, private readonly gone: (worker: string) => void) {
    new ReadMetric(registry, 'shoal_dataplane_workers', 'Data-plane worker processes reporting', 'gauge', () => [[{}, this.seen.size]]);
    this.cpu = new Counter({ name: 'shoal_dataplane_worker_cpu_seconds_total', help: 'User and system CPU of a data-plane worker process', labelNames: ['worker'], registers: [registry] });
    const each = (pick: (s: Seen) => number) => () => [...this.seen].map(([worker, s]): [Labels, number] => [{ worker }, pick(s)]);
    new ReadMetric(registry, 'shoal_dataplane_worker_resident_memory_bytes', 'Resident memory of a data-plane worker process', 'gauge', each((s) => s.usage.rss));
    new ReadMetric(registry, 'shoal_dataplane_worker_heap_used_bytes', 'V8 heap in use in a data-plane worker process', 'gauge', each((s) => s.usage.heapUsed));
    new ReadMetric(registry, 'shoal_dataplane_worker_connections', 'Client connections open in a data-plane worker', 'gauge', each((s) => s.connections));
  }

  add(worker: string, usage: WorkerUsage, report: StatsReport): void {
    const before = this.seen.get(worker);
    const delta = usage.cpuSeconds - (before?.usage.cpuSeconds ?? 0);
    if (delta > 0) this.cpu.inc({ worker }, delta);
    let connections = 0;
    for (const s of Object.values(report.loadBalancers)) connections += s.activeConnections;
    this.seen.set(worker, { at: this.clock.now(), usage, connections });
  }

  /** Before a scrape: workers silent for STALE_MS leave every series (also the traffic's active connections). */
  evictStale(): void {
    const now = this.clock.now();
    for (const [worker, s] of this.seen) {
      if (now - s.at <= STALE_MS) continue;
      this.seen.delete(worker);
      this.cpu.remove({ worker });
      this.gone(worker);
    }
  }
}
