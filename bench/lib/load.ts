/**
 * Bounded load generators on loopback for the scaling benches. Each stops by
 * itself at its deadline (or earlier on stop()), and reports which instance
 * answered each request (hello's `x-instance-id` header) to a callback.
 */
import { Agent, request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

export interface LoadResult { ok: number; failed: number }
export interface Load { stop(): Promise<LoadResult> }
export interface LoadOptions {
  port: number;
  path?: string;
  /** Hard limit: the loop ends by itself after this long. */
  maxMs: number;
  /** Called with the answering instance id of every 200. */
  onServed?: (instanceId: string) => void;
}

function client(o: LoadOptions, agent: Agent, counts: LoadResult): () => Promise<void> {
  return () => new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port: o.port, path: o.path ?? '/', agent, timeout: 10_000 }, (res) => {
      const id = res.headers['x-instance-id'];
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) { counts.ok++; if (typeof id === 'string') o.onServed?.(id); } else counts.failed++;
        resolve();
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => { counts.failed++; resolve(); });
    req.end();
  });
}

/** `concurrency` clients back to back: never more than that many requests in flight. */
export function closedLoad(o: LoadOptions & { concurrency: number }): Load {
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const counts = { ok: 0, failed: 0 };
  const one = client(o, agent, counts);
  const deadline = performance.now() + o.maxMs;
  let running = true;
  const workers = Array.from({ length: o.concurrency }, async () => { while (running && performance.now() < deadline) await one(); });
  return { stop: async () => { running = false; await Promise.all(workers); agent.destroy(); return counts; } };
}

/** A steady `rps` requests per second, paced on a schedule (at most 64 in flight; late ticks are skipped). */
export function pacedLoad(o: LoadOptions & { rps: number }): Load {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const counts = { ok: 0, failed: 0 };
  const one = client(o, agent, counts);
  const start = performance.now();
  const deadline = start + o.maxMs;
  const gap = 1000 / o.rps;
  const inFlight = new Set<Promise<void>>();
  let running = true;
  const loop = (async () => {
    for (let i = 0; running && performance.now() < deadline; i++) {
      const wait = start + i * gap - performance.now();
      if (wait > 0) await delay(wait);
      else if (wait < -gap) continue;
      if (inFlight.size >= 64) continue;
      const p = one().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  })();
  return { stop: async () => { running = false; await loop; await Promise.all(inFlight); agent.destroy(); return counts; } };
}
