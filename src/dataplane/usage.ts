/** What a data-plane worker process uses, sent with its stats once a second (Prometheus' worker metrics). */
export interface WorkerUsage {
  /** Resident set size and V8 heap in use, bytes. */
  rss: number;
  heapUsed: number;
  /** User + system CPU since the process started, seconds. */
  cpuSeconds: number;
}

export function workerUsage(): WorkerUsage {
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}
