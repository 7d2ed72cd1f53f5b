/**
 * Incremental framer for chunked transfer coding (RFC 9112 7.1): it finds
 * where a chunked body ends without decoding it, so the proxy can forward
 * the raw bytes unchanged. Used for request bodies and target responses.
 *
 * API
 *   const framer = new ChunkedFramer();
 *   const r = framer.push(buf, start);  // walks buf[start..]
 *   r.consumed: bytes of buf from `start` that belong to this body
 *   r.done:     the last chunk and trailer section are complete; any bytes
 *               after start + consumed belong to the next message
 *   The returned object is reused by the next push: read it right away.
 *   framer.reset() makes it ready for the next body.
 *   new ChunkedFramer(sink): also hands each run of chunk data to sink.data
 *   and calls sink.end() at the end of the body, so a request body can be
 *   re-encoded canonically (chunked-out.ts) instead of passed on as spelled.
 *
 * Bytes may be split anywhere across pushes. Throws HttpParseError (400,
 * BadChunkedEncoding) on anything outside the grammar, strictly: lines must
 * end in CRLF (a bare LF or CR is where parsers disagree, i.e. smuggling),
 * sizes are hex without leading whitespace, at most 2^53-1, and a size line
 * (extensions included) or a trailer section may not exceed its limit.
 */
import { HttpParseError } from './request-head.js';

const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;
const SEMI = 59;
export const MAX_SIZE_LINE = 4096;
export const MAX_TRAILER_BYTES = 65536;

const enum S {
  Size, // first hex digit of a chunk size
  SizeMore, // further hex digits, or the end of the size
  ExtBws, // whitespace after the size, before ";"
  Ext, // chunk extensions, up to CR
  SizeLf, // LF after the size line
  Data, // chunk data
  DataCr, // CR after the data
  DataLf, // LF after the data
  TrailerStart, // a trailer field line or the final CRLF
  Trailer, // inside a trailer field line
  TrailerLf, // LF after a trailer field line
  FinalLf, // LF of the final CRLF
  Done,
}

/** Receives the decoded chunk data of a body, in order. */
export interface ChunkSink {
  /** buf[start, end) is chunk data (never empty). */
  data(buf: Buffer, start: number, end: number): void;
  /** The last chunk and the trailer section are complete. */
  end(): void;
}

export interface FramerStep {
  consumed: number;
  done: boolean;
}

export class ChunkedFramer {
  private state = S.Size;
  /** Bytes of the current chunk still to pass, or digits accumulated for its size. */
  private size = 0;
  /** Bytes in the current size line or trailer section, to enforce the limits. */
  private lineBytes = 0;
  private readonly step: FramerStep = { consumed: 0, done: false };
  private readonly sink: ChunkSink | null;

  constructor(sink: ChunkSink | null = null) {
    this.sink = sink;
  }

  get done(): boolean {
    return this.state === S.Done;
  }

  reset(): void {
    this.state = S.Size;
    this.size = 0;
    this.lineBytes = 0;
  }

  push(buf: Buffer, start: number): FramerStep {
    let i = start;
    const n = buf.length;
    while (i < n && this.state !== S.Done) {
      if (this.state === S.Data) {
        // Skip data in one step: the hot path for large bodies.
        const take = Math.min(this.size, n - i);
        if (this.sink !== null) this.sink.data(buf, i, i + take);
        i += take;
        this.size -= take;
        if (this.size === 0) this.state = S.DataCr;
      } else {
        this.byte(buf[i]);
        i++;
      }
    }
    this.step.consumed = i - start;
    this.step.done = this.state === S.Done;
    return this.step;
  }

  private byte(c: number): void {
    switch (this.state) {
      case S.Size: return this.firstDigit(c);
      case S.SizeMore: return this.sizeByte(c);
      case S.ExtBws: return this.bwsByte(c);
      case S.Ext: return this.extByte(c);
      case S.SizeLf: return this.sizeLf(c);
      case S.DataCr: return this.expect(c, CR, S.DataLf, 'CRLF after chunk data');
      case S.DataLf: return this.expect(c, LF, S.Size, 'CRLF after chunk data');
      case S.TrailerStart: return this.trailerStart(c);
      case S.Trailer: return this.trailerByte(c);
      case S.TrailerLf: return this.expect(c, LF, S.TrailerStart, 'CRLF after a trailer field');
      case S.FinalLf:
        this.expect(c, LF, S.Done, 'CRLF after the trailer section');
        return this.sink?.end();
      default: throw new Error(`ChunkedFramer: unexpected state ${this.state}`);
    }
  }

  private firstDigit(c: number): void {
    const d = hexValue(c);
    if (d < 0) throw bad('chunk size must start with a hex digit');
    this.size = d;
    this.lineBytes = 1;
    this.state = S.SizeMore;
  }

  private sizeByte(c: number): void {
    const d = hexValue(c);
    if (d >= 0) {
      this.size = this.size * 16 + d;
      if (this.size > Number.MAX_SAFE_INTEGER) throw bad('chunk size too large');
      this.countLine();
    } else if (c === CR) {
      this.state = S.SizeLf;
    } else if (c === SEMI || c === SP || c === HT) {
      this.countLine();
      this.state = c === SEMI ? S.Ext : S.ExtBws;
    } else {
      throw bad('chunk size is not hexadecimal');
    }
  }

  /** BWS between the size and ";" is tolerated (RFC 9112 7.1.1); anything else there is not. */
  private bwsByte(c: number): void {
    if (c === CR) this.state = S.SizeLf;
    else if (c === SEMI) this.state = S.Ext;
    else if (c !== SP && c !== HT) throw bad('chunk size is not hexadecimal');
    this.countLine();
  }

  private extByte(c: number): void {
    if (c === CR) this.state = S.SizeLf;
    else if (c === LF || c === 0) throw bad('bad character in a chunk extension');
    else this.countLine();
  }

  private sizeLf(c: number): void {
    if (c !== LF) throw bad('chunk size line must end with CRLF');
    if (this.size > 0) {
      this.state = S.Data;
    } else {
      this.state = S.TrailerStart;
      this.lineBytes = 0;
    }
  }

  private trailerStart(c: number): void {
    if (c === CR) this.state = S.FinalLf;
    else this.trailerByte(c);
  }

  private trailerByte(c: number): void {
    if (c === CR) {
      this.state = S.TrailerLf;
      return;
    }
    if (c === LF || c === 0) throw bad('bad character in a trailer field');
    if (++this.lineBytes > MAX_TRAILER_BYTES) throw bad('trailer section too large');
    this.state = S.Trailer;
  }

  private countLine(): void {
    if (++this.lineBytes > MAX_SIZE_LINE) throw bad(`chunk size line longer than ${MAX_SIZE_LINE} bytes`);
  }

  private expect(c: number, want: number, next: S, what: string): void {
    if (c !== want) throw bad(`expected ${what}`);
    this.state = next;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

function bad(why: string): HttpParseError {
  return new HttpParseError('BadChunkedEncoding', `invalid chunked encoding: ${why}`);
}
