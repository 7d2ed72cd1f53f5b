/**
 * A worker's access log of one load balancer: lines are formatted in the
 * worker (format.ts) and kept here; a batch leaves, as one text, when it
 * reaches FLUSH_BYTES or at the worker's once-a-second sweep, and at
 * shutdown. The batch goes to the primary (worker IPC), which owns the file
 * and writes it asynchronously (controlplane/access-logs/): the request path
 * never touches the file system, and one writer per file keeps rotation
 * simple with several workers.
 *
 * Why batches: a message costs a serialization and a write on both sides of
 * the channel, more than formatting a line does; at 64 KiB or one second a
 * busy worker sends a handful of messages a second whatever its request rate.
 */
import type { AccessLogFormat } from '../../model/load-balancer.js';
import { loadBalancerDimension, targetGroupArn } from '../../model/ids.js';
import { formatLine, type LineContext } from './format.js';
import type { AccessRecord } from './record.js';
import type { WallClock } from './wall.js';

export const FLUSH_BYTES = 64 * 1024;

/** Where a worker's batches go: the primary's file for this load balancer. */
export type DeliverBatch = (loadBalancer: string, text: string) => void;

export class LoadBalancerLog implements LineContext {
  readonly elb: string;
  private readonly arns = new Map<string, string>();
  private parts: string[] = [];
  private size = 0;

  constructor(
    readonly loadBalancer: string,
    readonly format: AccessLogFormat,
    private readonly clock: WallClock,
    private readonly deliver: DeliverBatch,
  ) {
    this.elb = loadBalancerDimension(loadBalancer);
  }

  targetGroupArn(name: string): string {
    let arn = this.arns.get(name);
    if (arn === undefined) this.arns.set(name, (arn = targetGroupArn(name)));
    return arn;
  }

  wall(hr: number): number {
    return this.clock.wall(hr);
  }

  /** The request `r` ended at `endAt` (monotonic ms): its line joins the batch. */
  write(r: AccessRecord, endAt: number): void {
    const line = formatLine(this.format, r, endAt, this);
    this.parts.push(line);
    this.size += line.length;
    if (this.size >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.deliver(this.loadBalancer, text);
  }
}
