/**
 * Where a message body ends, for bodies forwarded as raw bytes: by
 * Content-Length, by chunked framing, or at the close of the connection.
 * The same meter serves request bodies (client to target) and response bodies
 * (target to client).
 */
import { ChunkedFramer } from '../http/chunked.js';
import { ChunkedReencoder } from '../http/chunked-out.js';
import { responseHasNoBody, type ResponseHead } from '../http/response-head.js';

export type BodyFraming = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' };

export class BodyMeter {
  /** The whole body has been seen. */
  done: boolean;
  private remaining: number;
  private readonly framer: ChunkedFramer | null;
  /** Read until the connection closes (a response with no length). */
  readonly untilClose: boolean;
  /** A request's chunked body leaves re-encoded: what to send instead of the bytes advance() took. */
  readonly encoder: ChunkedReencoder | null;

  private constructor(remaining: number, framer: ChunkedFramer | null, untilClose: boolean, encoder: ChunkedReencoder | null = null) {
    this.remaining = remaining;
    this.framer = framer;
    this.untilClose = untilClose;
    this.encoder = encoder;
    this.done = framer === null && !untilClose && remaining === 0;
  }

  /** Shared by every message without a body: done from the start, so never changed (no allocation per request). */
  private static readonly NONE = new BodyMeter(0, null, false);

  static of(f: BodyFraming): BodyMeter {
    if (f.kind === 'length') return f.length === 0 ? BodyMeter.NONE : new BodyMeter(f.length, null, false);
    if (f.kind === 'chunked') return new BodyMeter(0, new ChunkedFramer(), false);
    return BodyMeter.NONE;
  }

  /** A request body: as of(), but a chunked body is re-encoded canonically on its way (chunked-out.ts). */
  static request(f: BodyFraming): BodyMeter {
    if (f.kind !== 'chunked') return BodyMeter.of(f);
    const encoder = new ChunkedReencoder();
    return new BodyMeter(0, new ChunkedFramer(encoder), false, encoder);
  }

  static untilClose(): BodyMeter {
    return new BodyMeter(0, null, true);
  }

  /**
   * Takes this body's bytes from buf[start..]; returns the offset where they
   * end (buf.length when all of it belongs to the body). Throws HttpParseError
   * (BadChunkedEncoding) when chunked framing is broken.
   */
  advance(buf: Buffer, start: number): number {
    if (this.done) return start;
    if (this.framer !== null) {
      const r = this.framer.push(buf, start);
      if (r.done) this.done = true;
      return start + r.consumed;
    }
    if (this.untilClose) return buf.length;
    const end = Math.min(buf.length, start + this.remaining);
    this.remaining -= end - start;
    if (this.remaining === 0) this.done = true;
    return end;
  }
}

/**
 * How a response's body is delimited (RFC 9112 6.3): none for HEAD, 1xx, 204
 * and 304; chunked (HTTP/1.0 clients were proxied as 1.0, so never); by
 * Content-Length; otherwise until the target closes.
 */
export function responseMeter(head: ResponseHead, method: string, http10: boolean): BodyMeter {
  if (responseHasNoBody(method, head.statusCode)) return BodyMeter.of({ kind: 'none' });
  if (head.chunked && !http10) return BodyMeter.of({ kind: 'chunked' });
  if (head.contentLength >= 0 && !head.chunked) return BodyMeter.of({ kind: 'length', length: head.contentLength });
  return BodyMeter.untilClose();
}
