/**
 * X-Amzn-Trace-Id values for requests that arrive without one:
 * Root=1-<epoch seconds, 8 hex>-<24 hex>, where the 24 hex digits are a
 * per-worker random prefix (12) and a counter (12), so ids are unique without
 * drawing randomness per request.
 *
 * Called on every such request: the header line is written straight into the
 * outgoing head's buffer; only the part before the counter is built as text,
 * once a second.
 */
const NAME = 'X-Amzn-Trace-Id: ';
const COUNTER_DIGITS = 12;
const COUNTER_LIMIT = 16 ** COUNTER_DIGITS;
const HEX = Buffer.from('0123456789abcdef', 'latin1');

export class TraceIds {
  /** Bytes of the line writeLine() writes, CRLF included (epoch seconds take 8 hex digits until 2106). */
  static readonly LINE_BYTES = NAME.length + 'Root=1-'.length + 8 + 1 + 12 + COUNTER_DIGITS + 2;

  private readonly prefix: string;
  private readonly seconds: () => number;
  private counter = 0;
  private second = -1;
  /** The line up to the counter, for `second`. */
  private start: Buffer = Buffer.alloc(0);
  /** The id up to the counter, as text (last()). */
  private startText = '';

  /** `prefix`: 12 hex digits; `seconds`: the current epoch second. */
  constructor(prefix: string, seconds: () => number) {
    this.prefix = prefix;
    this.seconds = seconds;
  }

  /** Writes "X-Amzn-Trace-Id: <next id>\r\n" at buf[at..]; returns the offset after it. */
  writeLine(buf: Buffer, at: number): number {
    const now = this.seconds();
    if (now !== this.second) {
      this.second = now;
      this.startText = `Root=1-${now.toString(16).padStart(8, '0')}-${this.prefix}`;
      this.start = Buffer.from(`${NAME}${this.startText}`, 'latin1');
    }
    this.counter = (this.counter + 1) % COUNTER_LIMIT;
    buf.set(this.start, at);
    const end = at + this.start.length + COUNTER_DIGITS;
    let n = this.counter;
    for (let i = end - 1; i >= end - COUNTER_DIGITS; i--) {
      buf[i] = HEX[n % 16]!;
      n = Math.floor(n / 16);
    }
    buf[end] = 13;
    buf[end + 1] = 10;
    return end + 2;
  }

  /** The id writeLine() wrote last, as text (the access log's trace_id; not called unless logging). */
  last(): string {
    return `${this.startText}${this.counter.toString(16).padStart(COUNTER_DIGITS, '0')}`;
  }
}
