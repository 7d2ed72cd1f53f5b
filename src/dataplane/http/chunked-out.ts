/**
 * Canonical chunked re-encoding of a request body (issue 8): each run of
 * chunk data the client sent leaves as "<hex size>\r\n<data>\r\n", and the
 * body ends with "0\r\n\r\n". Chunk extensions, trailer fields, leading zeros
 * and whitespace in size lines never reach the target, and no chunk is larger
 * than one read, so a target with a narrower size type or a looser grammar
 * reads the same body shoal framed.
 *
 * API
 *   const enc = new ChunkedReencoder();  // a ChunkSink for ChunkedFramer
 *   ... framer.push(buf, start) ...
 *   enc.take() -> Buffer[]  the bytes to send for what was pushed so far
 *
 * Data is passed as views of the client's buffers (no copy); only the size
 * lines are new buffers.
 */
import type { ChunkSink } from './chunked.js';

const CRLF = Buffer.from('\r\n', 'latin1');
const LAST = Buffer.from('0\r\n\r\n', 'latin1');

export class ChunkedReencoder implements ChunkSink {
  private out: Buffer[] = [];

  data(buf: Buffer, start: number, end: number): void {
    this.out.push(Buffer.from(`${(end - start).toString(16)}\r\n`, 'latin1'), buf.subarray(start, end), CRLF);
  }

  end(): void {
    this.out.push(LAST);
  }

  /** What to send for the bytes pushed since the last take. */
  take(): Buffer[] {
    const out = this.out;
    this.out = [];
    return out;
  }
}
