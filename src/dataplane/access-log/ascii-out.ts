/**
 * Writes an access log line's fields as ASCII bytes straight into a buffer:
 * no string is built for the line (a template of thirty fields is a rope of
 * some sixty pieces, flattened and encoded again when it is copied into the
 * file's chunk), numbers are written digit by digit, and a field is checked
 * and copied in one pass over its characters.
 *
 * Escaping, as ALB escapes its quoted fields: inside quotes a `"` or `\`
 * gets a backslash, and a control or non-ASCII character becomes \xHH (a
 * header's text is latin1, one byte per character; a character above 0xff
 * is written as its UTF-8 bytes). An unquoted token with any character
 * outside 0x21-0x7e is written escaped the same way (`"` and `\` included),
 * otherwise as it is. So a client cannot end a field or the line early, and
 * every byte written is printable ASCII, space or the final newline.
 *
 * API
 *   const out = new AsciiOut()
 *   out.start(buf, pos)             write from buf[pos]; the caller made room (maxBytes)
 *   out.raw(s) / out.byte(c)        known-safe text / one byte
 *   out.bytes(seg)                  bytes made earlier (a field that stays the same, see segment())
 *   out.uint(n) / out.pad3(n)       a whole number / three digits
 *   out.token(s) / out.quoted(s)    "-" for null or ""
 *   out.iso(ms)                     2018-07-02T22:23:00.186641Z
 *   out.pos                         where the next byte goes
 *   maxBytes(s)                     the most a token or quoted field of s can take
 *   segment(write)                  the bytes `write` writes, kept to be copied into later lines
 *
 * A character costs a few nanoseconds to copy one at a time here, a kept
 * segment a few nanoseconds in all (one memory copy), so the fields that
 * stay the same for a connection, a target or a second are kept as bytes.
 */

const HEX = '0123456789abcdef';
const DASH = 0x2d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The most bytes one character can become: a character above 0x7ff as three \xHH. */
const MAX_PER_CHAR = 12;

/** Room for a token or quoted field of `s`, quotes included ("-" for an empty one). */
export function maxBytes(s: string | null): number {
  return s === null ? 3 : s.length * MAX_PER_CHAR + 3;
}

export class AsciiOut {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  private cachedSecond = -1;
  private cachedPrefix: Uint8Array = new Uint8Array(0);

  start(buf: Uint8Array, pos: number): void {
    this.buf = buf;
    this.pos = pos;
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** Text known to be printable ASCII (ids, addresses, fixed words). */
  raw(s: string): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  bytes(seg: Uint8Array): void {
    this.buf.set(seg, this.pos);
    this.pos += seg.length;
  }

  /** A non-negative whole number in decimal. */
  uint(n: number): void {
    const b = this.buf;
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    do {
      b[--p] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }

  /** 0-999 as three digits ("007"). */
  pad3(n: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = 0x30 + Math.floor(n / 100);
    b[p + 1] = 0x30 + (Math.floor(n / 10) % 10);
    b[p + 2] = 0x30 + (n % 10);
    this.pos = p + 3;
  }

  /** An unquoted field: "-" when absent. */
  token(s: string | null): void {
    if (s === null || s === '') return this.byte(DASH);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x21 || c > 0x7e) return this.escaped(s, true);
    }
    this.raw(s);
  }

  /** A double-quoted field: "-" when absent. */
  quoted(s: string | null): void {
    this.byte(QUOTE);
    if (s === null || s === '') this.byte(DASH);
    else this.escaped(s, false);
    this.byte(QUOTE);
  }

  /** The parts of a quoted field written one after another (the request line): no quotes, no "-". */
  inQuotes(s: string): void {
    this.escaped(s, false);
  }

  /** ISO 8601 with microseconds, as ALB writes times; the date and second are formatted once per second. */
  iso(ms: number): void {
    const second = Math.floor(ms / 1000);
    if (second !== this.cachedSecond) {
      this.cachedSecond = second;
      this.cachedPrefix = Buffer.from(new Date(second * 1000).toISOString().slice(0, 20), 'latin1');
    }
    this.bytes(this.cachedPrefix);
    const micros = Math.min(999_999, Math.round((ms - second * 1000) * 1000));
    this.pad3(Math.floor(micros / 1000));
    this.pad3(micros % 1000);
    this.byte(0x5a); // Z
  }

  private escaped(s: string, token: boolean): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === QUOTE || c === BACKSLASH) {
        b[p++] = BACKSLASH;
        b[p++] = c;
      } else if (c >= 0x20 && c < 0x7f && !(token && c === 0x20)) {
        b[p++] = c;
      } else if (c <= 0xff) {
        p = hex(b, p, c);
      } else {
        // One UTF-16 unit as UTF-8 (a lone surrogate as U+FFFD, as Buffer.from does).
        const u = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
        if (u < 0x800) {
          p = hex(b, p, 0xc0 | (u >> 6));
        } else {
          p = hex(b, p, 0xe0 | (u >> 12));
          p = hex(b, p, 0x80 | ((u >> 6) & 0x3f));
        }
        p = hex(b, p, 0x80 | (u & 0x3f));
      }
    }
    this.pos = p;
  }
}

/** The bytes `write` writes (at most `room` of them), as a buffer of their own to copy from. */
export function segment(room: number, write: (o: AsciiOut) => void): Uint8Array {
  const o = new AsciiOut();
  const buf = new Uint8Array(room);
  o.start(buf, 0);
  write(o);
  if (o.pos > room) throw new Error(`access log segment: ${o.pos} bytes written into room for ${room}`);
  return buf.slice(0, o.pos);
}

function hex(b: Uint8Array, p: number, byte: number): number {
  b[p] = BACKSLASH;
  b[p + 1] = 0x78; // x
  b[p + 2] = HEX.charCodeAt(byte >> 4);
  b[p + 3] = HEX.charCodeAt(byte & 0xf);
  return p + 4;
}
