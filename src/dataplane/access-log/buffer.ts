/**
 * A worker's access log of one load balancer: each request's line is
 * formatted here (format.ts) into the sink, the worker's writer of the load
 * balancer's file (file.ts): an ALB line as bytes straight into the writer's
 * chunk, a JSON line as a string the writer copies in. The writer writes
 * whole chunks off the event loop. The worker's once-a-second sweep
 * and its shutdown flush() the chunk in progress.
 *
 * The worker writes the file itself: sending the lines to the primary cost
 * a JSON serialization of every line, a pipe write and, in the primary, a
 * parse and a copy, on a core the load generator and the targets share.
 */
import type { AccessLogFormat } from '../../model/load-balancer.js';
import { loadBalancerDimension, targetGroupArn } from '../../model/ids.js';
import { AsciiOut } from './ascii-out.js';
import { albLineBound, formatAlbInto, formatJson, LineSegments, type LineContext } from './format.js';
import type { AccessRecord } from './record.js';
import type { WallClock } from './wall.js';

/** Where a worker's lines go: LogFileWriter (file.ts), or a list in tests. */
export interface LineSink {
  /** A line as a string (JSON lines). */
  append(line: string): void;
  /** Room for `bytes` more at `used` in the returned buffer; commit(end) once they are written. */
  reserve(bytes: number): Uint8Array;
  readonly used: number;
  commit(end: number): void;
  flush(): void;
}

export class LoadBalancerLog implements LineContext {
  readonly elb: string;
  private readonly arns = new Map<string, string>();
  private readonly out = new AsciiOut();
  private readonly kept = new LineSegments(this);

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
    if (this.format === 'json') return this.sink.append(formatJson(r, endAt, this));
    const sink = this.sink;
    this.out.start(sink.reserve(albLineBound(r, this)), sink.used);
    formatAlbInto(this.out, r, endAt, this, this.kept);
    sink.commit(this.out.pos);
  }

  flush(): void {
    this.sink.flush();
  }
}
