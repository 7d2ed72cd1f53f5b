/**
 * Where the data plane runs, seen from the control plane: worker processes
 * (node:cluster, one per core by default) or, for tests, in this process.
 * Both take snapshots, relay passive failures, and answer in-flight reports.
 */
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import type { Random } from '../core/random.js';
import { DataPlane } from '../dataplane/data-plane.js';
import type { AccessLogEvent } from '../dataplane/access-log/events.js';
import type { ToPrimary, ToWorker } from '../dataplane/ipc.js';
import type { Snapshot } from '../dataplane/snapshot.js';
import type { StatsReport } from '../dataplane/stats.js';
import type { WorkerReport } from './targets/drain.js';
import { workerUsage, type WorkerUsage } from '../dataplane/usage.js';

export interface HostEvents {
  targetFailed(key: string, reason: string): void;
  listenError(address: string, message: string): void;
  /** Every worker, once a second: the traffic it counted, and what the worker process uses. */
  stats(report: StatsReport, from: WorkerSample): void;
  /** From some worker's access log writer: a file is full, a write failed, or what it wrote (dataplane/access-log/events.ts). */
  accessLog(event: AccessLogEvent): void;
}

/** Which worker a stats report came from ("0": the in-process data plane) and its process usage. */
export interface WorkerSample {
  worker: string;
  usage: WorkerUsage;
}

export interface DataPlaneHost {
  /** Sends a snapshot; resolves when every worker has applied it. */
  publish(snapshot: Snapshot): Promise<void>;
  /** Latest in-flight report of every worker (asks them now; resolves with what arrives). */
  reports(): Promise<WorkerReport[]>;
  /** A load balancer's access log was rotated: every worker opens its path again. */
  reopenAccessLog(loadBalancer: string): void;
  close(graceMs: number): Promise<void>;
}

export class InProcessHost implements DataPlaneHost {
  readonly dataPlane: DataPlane;

  constructor(o: { clock: Clock; random: Random; events: HostEvents }) {
    const e = o.events;
    this.dataPlane = new DataPlane({
      clock: o.clock,
      random: o.random,
      events: { ...e, stats: (report) => e.stats(report, { worker: '0', usage: workerUsage() }) },
    });
  }

  publish(snapshot: Snapshot): Promise<void> {
    return this.dataPlane.apply(snapshot);
  }

  async reports(): Promise<WorkerReport[]> {
    return [{ version: this.dataPlane.version, inflight: this.dataPlane.inflight() }];
  }

  reopenAccessLog(loadBalancer: string): void {
    this.dataPlane.reopenLog(loadBalancer);
  }

  close(graceMs: number): Promise<void> {
    return this.dataPlane.close(graceMs);
  }
}

interface WorkerState {
  worker: Worker;
  applied: number;
  report: WorkerReport | null;
}

/** Forks `count` workers; a worker that dies is replaced and given the current snapshot. */
export class ClusterHost implements DataPlaneHost {
  private readonly workers = new Map<number, WorkerState>();
  private current: Snapshot | null = null;
  private closing = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly o: { count: number; events: HostEvents; log: Logger }) {
    // Workers accept on the shared socket themselves: the primary's round-robin hand-off costs a hop per connection.
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    cluster.setupPrimary({ exec: fileURLToPath(new URL('../dataplane/worker-main.js', import.meta.url)), silent: false });
    for (let i = 0; i < o.count; i++) this.fork();
  }

  async publish(snapshot: Snapshot): Promise<void> {
    this.current = snapshot;
    for (const w of this.workers.values()) this.send(w.worker, { type: 'snapshot', snapshot });
    await this.until(() => [...this.workers.values()].every((w) => w.applied >= snapshot.version));
  }

  async reports(): Promise<WorkerReport[]> {
    const asked = [...this.workers.values()];
    for (const w of asked) {
      w.report = null;
      this.send(w.worker, { type: 'report' });
    }
    await this.until(() => asked.every((w) => w.report !== null || !this.workers.has(w.worker.id)));
    return asked.filter((w) => w.report !== null).map((w) => w.report!);
  }

  reopenAccessLog(loadBalancer: string): void {
    for (const w of this.workers.values()) this.send(w.worker, { type: 'accessLogReopen', loadBalancer });
  }

  async close(graceMs: number): Promise<void> {
    this.closing = true;
    const exits = [...this.workers.values()].map(
      (w) => new Promise<void>((resolve) => {
        if (w.worker.isDead()) return resolve();
        w.worker.once('exit', () => resolve());
        this.send(w.worker, { type: 'shutdown', graceMs });
      }),
    );
    await Promise.all(exits);
  }

  private fork(): void {
    const worker = cluster.fork();
    const state: WorkerState = { worker, applied: 0, report: null };
    this.workers.set(worker.id, state);
    worker.on('message', (msg: ToPrimary) => this.onMessage(state, msg));
    worker.on('error', (err: Error) => this.o.log.warn({ worker: worker.id, err: err.message }, 'data-plane worker channel error'));
    worker.on('exit', (code, signal) => {
      this.workers.delete(worker.id);
      this.wake();
      if (this.closing) return;
      this.o.log.error({ worker: worker.id, code, signal }, 'data-plane worker died; starting a new one');
      this.fork();
    });
  }

  private onMessage(state: WorkerState, msg: ToPrimary): void {
    switch (msg.type) {
      case 'ready':
        if (this.current) this.send(state.worker, { type: 'snapshot', snapshot: this.current });
        break;
      case 'applied':
        state.applied = msg.version;
        break;
      case 'report':
        state.report = { version: msg.version, inflight: msg.inflight };
        break;
      case 'targetFailed':
        this.o.events.targetFailed(msg.key, msg.reason);
        break;
      case 'listenError':
        this.o.events.listenError(msg.address, msg.message);
        break;
      case 'stats':
        this.o.events.stats(msg.report, { worker: String(state.worker.id), usage: msg.usage });
        return; // no waiter depends on stats
      case 'accessLog':
        this.o.events.accessLog(msg.event);
        return;
      case 'closed':
        return;
    }
    this.wake();
  }

  /**
   * A worker on its way out (it crashed, or a shutdown raced a publish) can
   * still look connected while its end of the channel is closed: the write
   * fails with EPIPE. With a callback the failure comes here instead of as an
   * 'error' event nobody handles (which took the daemon down); the worker's
   * 'exit' does what follows.
   */
  private send(worker: Worker, msg: ToWorker): void {
    if (!worker.isConnected()) return;
    worker.send(msg, (err: Error | null) => {
      if (err) this.o.log.debug({ worker: worker.id, message: msg.type, err: err.message }, 'message to an exiting data-plane worker dropped');
    });
  }

  private until(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (done()) resolve();
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
