/**
 * A stream's DATA as the body of the HTTP/1.1 request to a target: as it
 * comes under a content-length (never past it), chunk-encoded when there is
 * none, nothing when the request has no body. What was sent is kept, while it
 * fits MAX_REPLAY, so a refused connection can be retried with the body.
 *
 * API
 *   const body = new RequestBody(framing | null)   null: not known until the first DATA (chunked) or the end (none)
 *   body.frame(framing)                            once it is known
 *   body.take(data) -> Buffer[]                    what to write for this DATA ([] past the body's end)
 *   body.finish() -> Buffer | null                 the stream ended: what is left to write (the last chunk)
 *   body.complete                                   the target has (or will have, once written) the whole body
 *   body.replay                                     everything take/finish returned, or null once over MAX_REPLAY
 */
import type { BodyFraming } from '../http/desync.js';

/** Request body bytes kept for a retry; a longer body is not retried. */
export const MAX_REPLAY = 64 * 1024;
const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');
const CRLF = Buffer.from('\r\n', 'latin1');
const NOTHING: Buffer[] = [];

export class RequestBody {
  framing: BodyFraming | null = null;
  complete = false;
  replay: Buffer[] | null = [];
  private replayBytes = 0;
  private remaining = 0;

  constructor(framing: BodyFraming | null) {
    if (framing !== null) this.frame(framing);
  }

  frame(framing: BodyFraming): void {
    this.framing = framing;
    if (framing.kind === 'length') this.remaining = framing.length;
    else this.complete = framing.kind === 'none';
  }

  take(data: Buffer): Buffer[] {
    const f = this.framing;
    if (f === null || this.complete) return NOTHING;
    if (f.kind === 'length') {
      const piece = data.length <= this.remaining ? data : data.subarray(0, this.remaining);
      this.remaining -= piece.length;
      this.complete = this.remaining === 0;
      return this.keep([piece]);
    }
    if (data.length === 0) return NOTHING; // a zero-size chunk would end the body
    return this.keep([Buffer.from(`${data.length.toString(16)}\r\n`, 'latin1'), data, CRLF]);
  }

  finish(): Buffer | null {
    if (this.complete || this.framing?.kind !== 'chunked') return null;
    this.complete = true;
    return this.keep([LAST_CHUNK])[0]!;
  }

  private keep(pieces: Buffer[]): Buffer[] {
    if (this.replay !== null) {
      for (const p of pieces) this.replayBytes += p.length;
      if (this.replayBytes <= MAX_REPLAY) this.replay.push(...pieces);
      else this.replay = null;
    }
    return pieces;
  }
}
