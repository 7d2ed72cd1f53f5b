/**
 * The daemon's access log files, one per load balancer whose attributes turn
 * access logs on (attributes.accessLogs), fed with the workers' batches.
 * sync() follows the model: a new or changed setting opens its file (the old
 * one is flushed and closed), a load balancer that stops logging closes its
 * file. A batch for a load balancer that no longer logs (a worker still on
 * the previous snapshot) is dropped.
 */
import { join } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { AccessLogs as AccessLogsSpec, LoadBalancer } from '../../model/load-balancer.js';
import { AccessLogFile } from './file.js';

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

export class AccessLogs {
  private readonly files = new Map<string, { key: string; file: AccessLogFile }>();
  private closing: Promise<void>[] = [];

  constructor(private readonly o: { stateDir: () => string; log: Logger }) {}

  sync(loadBalancers: readonly LoadBalancer[]): void {
    const wanted = new Map<string, AccessLogsSpec>();
    for (const lb of loadBalancers) if (lb.attributes.accessLogs) wanted.set(lb.name, lb.attributes.accessLogs);
    for (const [name, open] of this.files) {
      const spec = wanted.get(name);
      if (spec !== undefined && this.keyOf(name, spec) === open.key) continue;
      this.files.delete(name);
      this.retire(open.file);
    }
    for (const [name, spec] of wanted) {
      if (this.files.has(name)) continue;
      const path = spec.path ?? defaultAccessLogPath(this.o.stateDir(), name);
      const file = new AccessLogFile({ path, maxBytes: spec.maxFileSizeMegabytes * 1024 * 1024, maxFiles: spec.maxFiles, log: this.o.log });
      this.files.set(name, { key: this.keyOf(name, spec), file });
    }
  }

  write(loadBalancer: string, text: string): void {
    this.files.get(loadBalancer)?.file.write(text);
  }

  stats(): AccessLogStats[] {
    return [...this.files].map(([loadBalancer, { file }]) => ({
      loadBalancer, path: file.path, writtenBytes: file.writtenBytes, droppedBytes: file.droppedBytes, rotations: file.rotations,
    }));
  }

  /** Everything queued so far is written. */
  async flush(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.file.flush()));
  }

  /** Flushes and closes every file (after the workers sent their last batches). */
  async close(): Promise<void> {
    for (const { file } of this.files.values()) this.retire(file);
    this.files.clear();
    await Promise.all(this.closing);
  }

  private keyOf(name: string, spec: AccessLogsSpec): string {
    return JSON.stringify([spec.path ?? defaultAccessLogPath(this.o.stateDir(), name), spec.maxFileSizeMegabytes, spec.maxFiles]);
  }

  private retire(file: AccessLogFile): void {
    this.closing.push(file.close().catch((err: unknown) => this.o.log.error({ file: file.path, err: errorMessage(err) }, 'closing an access log failed')));
  }
}
