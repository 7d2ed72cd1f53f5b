/**
 * A worker's access log of one load balancer: each request's line is
 * formatted here (format.ts) and handed to the sink, the worker's writer of
 * the load balancer's file (file.ts), which copies it into its chunk and
 * writes whole chunks off the event loop. The worker's once-a-second sweep
 * and its shutdown flush() the chunk in progress.
 *
 * The worker writes the file itself: sending the lines to the primary cost
 * a JSON serialization of every line, a pipe write and, in the primary, a
 * parse and a copy, on a core the load generator and the targets share.
 */
import type { AccessLogFormat } from '../../model/load-balancer.js';
import { loadBalancerDimension, targetGroupArn } from '../../model/ids.js';
import { formatLine, type LineContext } from './format.js';
import type { AccessRecord } from './record.js';
import type { WallClock } from './wall.js';

/** Where a worker's lines go: LogFileWriter (file.ts), or a list in tests. */
export interface LineSink {
  append(line: string): void;
  flush(): void;
}

export class LoadBalancerLog implements LineContext {
  readonly elb: string;
  private readonly arns = new Map<string, string>();

  constructor(
    readonly loadBalancer: string,
    readonly format: AccessLogFormat,
    private readonly clock: WallClock,
    private readonly sink: LineSink,
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

  /** The request `r` ended at `endAt` (monotonic ms): its line goes to the sink. */
  write(r: AccessRecord, endAt: number): void {
    this.sink.append(formatLine(this.format, r, endAt, this));
  }

  flush(): void {
    this.sink.flush();
  }
}
