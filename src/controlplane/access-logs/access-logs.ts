/**
 * The daemon's access log files, one per load balancer whose attributes turn
 * access logs on (attributes.accessLogs). The data-plane workers write the
 * lines themselves (dataplane/access-log/file.ts: each appends whole chunks
 * to the same file); the primary owns what is shared:
 *
 * - where each file is and its limits: snapshot() goes to the workers with
 *   the rest of the data-plane snapshot, and sync() follows the model (a new
 *   or changed setting starts a new file, a load balancer that stops
 *   logging stops writing);
 * - rotation: a worker whose write took the file to its maximum size says
 *   so with the file's inode; the file is rotated once (PATH.(N-1) becomes
 *   PATH.N, ..., PATH becomes PATH.1; maxFiles rotated files are kept, 0
 *   keeps none) and every worker is told to open the path again. A report
 *   about a file that was already rotated (another worker's, or one written
 *   before the reopen) finds another inode at the path and changes nothing;
 * - the counts (bytes written and dropped, rotations) and the log of a
 *   failed write.
 */
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { AccessLogEvent } from '../../dataplane/access-log/events.js';
import type { AccessLogSnapshot } from '../../dataplane/snapshot.js';
import type { LoadBalancer } from '../../model/load-balancer.js';

/** Where a load balancer's log goes when its attributes name no path. */
export function defaultAccessLogPath(stateDir: string, loadBalancer: string): string {
  return join(stateDir, 'access-logs', `${loadBalancer}.log`);
}

export interface AccessLogStats {
  loadBalancer: string;
  path: string;
  writtenBytes: number;
  droppedBytes: number;
  rotations: number;
}

interface LogFile {
  spec: AccessLogSnapshot;
  maxFiles: number;
  writtenBytes: number;
  droppedBytes: number;
  rotations: number;
  /** Rotations happen one at a time per file. */
  rotating: Promise<void>;
}

export interface AccessLogsOptions {
  stateDir: () => string;
  log: Logger;
  /** Every worker opens the load balancer's path again (after a rotation). */
  reopen: (loadBalancer: string) => void;
}

export class AccessLogs {
  private readonly files = new Map<string, LogFile>();

  constructor(private readonly o: AccessLogsOptions) {}

  sync(loadBalancers: readonly LoadBalancer[]): void {
    const seen = new Set<string>();
    for (const lb of loadBalancers) {
      const a = lb.attributes.accessLogs;
      if (!a) continue;
      seen.add(lb.name);
      const spec: AccessLogSnapshot = { path: a.path ?? defaultAccessLogPath(this.o.stateDir(), lb.name), format: a.format, maxBytes: a.maxFileSizeMegabytes * 1024 * 1024 };
      const open = this.files.get(lb.name);
      if (open !== undefined && JSON.stringify(open.spec) === JSON.stringify(spec) && open.maxFiles === a.maxFiles) continue;
      this.files.set(lb.name, { spec, maxFiles: a.maxFiles, writtenBytes: 0, droppedBytes: 0, rotations: 0, rotating: Promise.resolve() });
    }
    for (const name of this.files.keys()) if (!seen.has(name)) this.files.delete(name);
  }

  /** The files the workers write, for the data-plane snapshot. */
  snapshot(): Record<string, AccessLogSnapshot> {
    return Object.fromEntries([...this.files].map(([name, f]) => [name, f.spec]));
  }

  /** What a worker's writer reported; about a load balancer that no longer logs (an older snapshot's), nothing. */
  onEvent(e: AccessLogEvent): void {
    const f = this.files.get(e.loadBalancer);
    if (f === undefined) return;
    switch (e.type) {
      case 'counts':
        f.writtenBytes += e.writtenBytes;
        f.droppedBytes += e.droppedBytes;
        return;
      case 'failed':
        this.o.log.error({ loadBalancer: e.loadBalancer, err: e.message }, 'access log write failed; dropping lines until a write succeeds');
        return;
      case 'full':
        f.rotating = f.rotating.then(() => this.rotateIfFull(e.loadBalancer, f, e.ino));
        return;
    }
  }

  stats(): AccessLogStats[] {
    return [...this.files].map(([loadBalancer, f]) => ({
      loadBalancer, path: f.spec.path, writtenBytes: f.writtenBytes, droppedBytes: f.droppedBytes, rotations: f.rotations,
    }));
  }

  /** Resolves when no rotation is under way. */
  async idle(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.rotating));
  }

  private async rotateIfFull(loadBalancer: string, f: LogFile, ino: number): Promise<void> {
    const p = f.spec.path;
    try {
      const st = await stat(p).catch(ignoreMissing);
      if (st === undefined || st.ino !== ino || st.size < f.spec.maxBytes) return;
      if (f.maxFiles === 0) await rm(p, { force: true });
      else {
        for (let i = f.maxFiles - 1; i >= 1; i--) await rename(`${p}.${i}`, `${p}.${i + 1}`).catch(ignoreMissing);
        await rename(p, `${p}.1`);
      }
      f.rotations++;
      if (this.files.get(loadBalancer) === f) this.o.reopen(loadBalancer);
    } catch (err) {
      this.o.log.error({ file: p, err: errorMessage(err) }, 'rotating an access log failed');
    }
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): undefined {
  if (err.code !== 'ENOENT') throw err;
  return undefined;
}
