/**
 * A target's HTTP/1.1 response body as the data an HTTP/2 stream carries:
 * Content-Length and read-until-close bodies pass as they come; a chunked
 * body is decoded (its framing is HTTP/1.1's, HTTP/2 frames data itself) and
 * its trailer section dropped.
 *
 * API
 *   const body = DecodedBody.of(head, method)
 *   body.take(buf, start, sink) -> end   hands the body's data in buf[start, end) to sink;
 *                                          bytes after `end` are not this response's
 *                                          throws HttpParseError when the chunked framing is broken
 *   body.done / body.untilClose
 */
import { ChunkedFramer, type ChunkSink } from '../http/chunked.js';
import type { ResponseHead } from '../http/response-head.js';
import { responseHasNoBody } from '../http/response-head.js';
import { BodyMeter, responseMeter } from '../proxy/body-meter.js';

export type DataSink = (data: Buffer) => void;

export class DecodedBody implements ChunkSink {
  done = false;
  readonly untilClose: boolean;
  private readonly meter: BodyMeter | null;
  private readonly framer: ChunkedFramer | null;
  private sink: DataSink | null = null;

  private constructor(meter: BodyMeter | null) {
    this.meter = meter;
    this.framer = meter === null ? new ChunkedFramer(this) : null;
    this.untilClose = meter?.untilClose ?? false;
    this.done = meter?.done ?? false;
  }

  static of(head: ResponseHead, method: string): DecodedBody {
    if (head.chunked && !responseHasNoBody(method, head.statusCode)) return new DecodedBody(null);
    return new DecodedBody(responseMeter(head, method, false));
  }

  take(buf: Buffer, start: number, sink: DataSink): number {
    if (this.done) return start;
    if (this.framer !== null) {
      this.sink = sink;
      const r = this.framer.push(buf, start);
      this.sink = null;
      if (r.done) this.done = true;
      return start + r.consumed;
    }
    const end = this.meter!.advance(buf, start);
    this.done = this.meter!.done;
    if (end > start) sink(start === 0 && end === buf.length ? buf : buf.subarray(start, end));
    return end;
  }

  /** ChunkSink: decoded chunk data. */
  data(buf: Buffer, start: number, end: number): void {
    this.sink!(buf.subarray(start, end));
  }

  end(): void {}
}
