/**
 * HTTP/1.x request-head parser (hot path: runs once per client request).
 *
 * API
 *   parseRequestHead(buf, limits?) -> RequestHead | null
 *     `buf` holds the bytes received so far, starting at the request (leading
 *     empty lines are skipped, RFC 7230 3.5; they count in headLength).
 *     Returns null while the head is incomplete. Throws HttpParseError when the
 *     head is malformed (400 BadRequestLine / BadHeaderLine) or over a limit
 *     (414 UriTooLong, 431 HeadersTooLarge / TooManyHeaders) — also while still
 *     incomplete, so a client cannot make us buffer without bound.
 *
 * The parser is deliberately lenient about *content*: bad characters in the
 * method, target, version, names and values are kept as received so that
 * classifyRequest (desync.ts) can grade them the way AWS's desync guardian
 * does. It is strict only about *structure* it cannot represent.
 *
 * Line endings. A head whose request line ends in CRLF is parsed with CRLF as
 * the only line terminator (a bare CR or LF inside a line stays in that
 * line's bytes and the classifier flags it). A head that uses bare LF
 * everywhere (no CR at all before the blank line) is accepted with LF as the
 * terminator and reported with bareLf = true. Mixed endings fall back to the
 * CRLF rules.
 *
 * Lines starting with SP/HTAB (obs-fold, RFC 7230 3.2.4): a line that after
 * its whitespace looks like `token:` is kept as its own field with the
 * whitespace in its name (some servers trim it and see a real header, so the
 * classifier must see it too); any other such line is unfolded into the
 * previous field's value with one SP. Either way foldedAt points at the field.
 */
import { ShoalError } from '../../core/errors.js';

export interface HeadLimits {
  /** Request line bytes (without its line terminator); over it: 414. */
  maxRequestLine: number;
  /** Header section bytes (field lines, their terminators and the blank line); over it: 431. */
  maxHeaderBytes: number;
  /** Number of header fields; over it: 431. */
  maxHeaders: number;
}

export const DEFAULT_HEAD_LIMITS: Readonly<HeadLimits> = Object.freeze({
  maxRequestLine: 8192,
  maxHeaderBytes: 65536,
  maxHeaders: 100,
});

export interface RequestHead {
  method: string;
  target: string;
  /** As sent, e.g. 'HTTP/1.1'; '' when the request line has no version (HTTP/0.9 style). */
  version: string;
  /** Flat [name, value, name, value, ...]; latin1-decoded, names as sent, values OWS-trimmed. */
  headers: string[];
  /** Bytes consumed from buf, leading empty lines and the terminating blank line included. */
  headLength: number;
  /** Lines were terminated by bare LF instead of CRLF. */
  bareLf: boolean;
  /** Index in `headers` of the first field touched by a whitespace-led line; -1 when none. */
  foldedAt: number;
}

/** A request the parser cannot accept; `status` is the response to send before closing. */
export class HttpParseError extends ShoalError {
  constructor(code: string, message: string, status = 400) {
    super(code, message, status);
    this.name = 'HttpParseError';
  }
}

const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const LFLF = Buffer.from('\n\n');

export function parseRequestHead(buf: Buffer, limits: HeadLimits = DEFAULT_HEAD_LIMITS): RequestHead | null {
  const start = skipEmptyLines(buf, limits);
  if (start < 0) return null;
  const lf = buf.indexOf(LF, start);
  if (lf < 0) {
    if (buf.length - start > limits.maxRequestLine) throw uriTooLong(limits);
    return null;
  }
  let end: number;
  let lfMode = false;
  if (buf[lf - 1] === CR) {
    end = endAfter(buf.indexOf(CRLFCRLF, lf - 1), 4);
  } else {
    // Bare LF after the request line: LF rules only if no CR shows up before the blank line.
    const blank = buf.indexOf(LFLF, lf);
    const cr = buf.indexOf(CR, start);
    if (cr >= 0 && (blank < 0 || cr < blank)) end = endAfter(buf.indexOf(CRLFCRLF, start), 4);
    else if (blank < 0) end = -1;
    else { end = blank + 2; lfMode = true; }
  }
  if (end < 0) {
    if (buf.length - lf > limits.maxHeaderBytes) throw headersTooLarge(limits);
    return null;
  }
  return parseComplete(buf.toString('latin1', start, end), end, lfMode, limits);
}

function endAfter(index: number, width: number): number {
  return index < 0 ? -1 : index + width;
}

/** Index of the request line's first byte, or -1 when buf holds only (part of) empty lines. */
function skipEmptyLines(buf: Buffer, limits: HeadLimits): number {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const c = buf[i];
    if (c === LF) i++;
    else if (c === CR && i + 1 < n && buf[i + 1] === LF) i += 2;
    else if (c === CR && i + 1 === n) return -1;
    else return i;
    // Empty lines are tolerated (RFC 7230 3.5) but not without bound.
    if (i > limits.maxRequestLine) throw new HttpParseError('BadRequestLine', 'too many empty lines before the request line');
  }
  return -1;
}

function parseComplete(text: string, headLength: number, lfMode: boolean, limits: HeadLimits): RequestHead {
  const eol = lfMode ? '\n' : '\r\n';
  const lineEnd = text.indexOf(eol);
  if (lineEnd > limits.maxRequestLine) throw uriTooLong(limits);
  if (text.length - lineEnd - eol.length > limits.maxHeaderBytes) throw headersTooLarge(limits);
  const head: RequestHead = {
    method: '', target: '', version: '', headers: [],
    headLength, bareLf: lfMode, foldedAt: -1,
  };
  splitRequestLine(text.slice(0, lineEnd), head);
  parseFields(text, lineEnd + eol.length, eol, head, limits);
  return head;
}

/**
 * method SP target SP version. The version starts at the first " HTTP/" after
 * the method, so a space inside the target stays in the target while
 * "GET /a HTTP/1.1 HTTP/1.1" yields a bad version; without " HTTP/" the last
 * SP splits, and with a single SP the version is missing (HTTP/0.9 style).
 */
function splitRequestLine(line: string, head: RequestHead): void {
  const sp1 = line.indexOf(' ');
  if (sp1 <= 0) throw new HttpParseError('BadRequestLine', 'request line must be "METHOD target HTTP/1.1"');
  head.method = line.slice(0, sp1);
  let v = line.indexOf(' HTTP/', sp1);
  if (v < 0) v = line.lastIndexOf(' ');
  if (v <= sp1) {
    head.target = line.slice(sp1 + 1);
    return;
  }
  head.target = line.slice(sp1 + 1, v);
  head.version = line.slice(v + 1);
}

function parseFields(text: string, pos: number, eol: string, head: RequestHead, limits: HeadLimits): void {
  const headers = head.headers;
  for (;;) {
    const e = text.indexOf(eol, pos);
    if (e === pos) return; // the blank line (text always ends with one)
    let colon = text.indexOf(':', pos);
    if (colon > e) colon = -1;
    if (isWs(text.charCodeAt(pos))) {
      const own = headers.length === 0 || mimicsField(text, pos, colon);
      if (head.foldedAt < 0) head.foldedAt = own ? headers.length : headers.length - 2;
      if (!own) {
        unfold(headers, text, pos, e);
        pos = e + eol.length;
        continue;
      }
    }
    if (colon < 0) throw new HttpParseError('BadHeaderLine', 'header line without a ":"');
    if (headers.length >= limits.maxHeaders * 2) {
      throw new HttpParseError('TooManyHeaders', `more than ${limits.maxHeaders} header fields`, 431);
    }
    headers.push(text.slice(pos, colon), trimmed(text, colon + 1, e));
    pos = e + eol.length;
  }
}

/** A whitespace-led line "  token: ..." that mimics a field of its own. */
function mimicsField(text: string, pos: number, colon: number): boolean {
  if (colon < 0) return false;
  let i = pos;
  while (i < colon && isWs(text.charCodeAt(i))) i++;
  if (i === colon) return false;
  for (; i < colon; i++) {
    if (!isTchar(text.charCodeAt(i))) return false;
  }
  return true;
}

/** obs-fold: replace the fold with one SP (RFC 7230 3.2.4). Rare path. */
function unfold(headers: string[], text: string, pos: number, e: number): void {
  const last = headers.length - 1;
  const more = trimmed(text, pos, e);
  headers[last] = headers[last].length === 0 ? more : more.length === 0 ? headers[last] : `${headers[last]} ${more}`;
}

/** text[s, e) without leading/trailing SP and HTAB (OWS). */
function trimmed(text: string, s: number, e: number): string {
  while (s < e && isWs(text.charCodeAt(s))) s++;
  while (e > s && isWs(text.charCodeAt(e - 1))) e--;
  return text.slice(s, e);
}

function isWs(c: number): boolean {
  return c === SP || c === HT;
}

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TCHAR = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9!#$%&'*+\-.^_`|~]/.test(ch)) TCHAR[c] = 1;
}

export function isTchar(c: number): boolean {
  return c < 256 && TCHAR[c] === 1;
}

function uriTooLong(limits: HeadLimits): HttpParseError {
  return new HttpParseError('UriTooLong', `request line longer than ${limits.maxRequestLine} bytes`, 414);
}

function headersTooLarge(limits: HeadLimits): HttpParseError {
  return new HttpParseError('HeadersTooLarge', `request header section larger than ${limits.maxHeaderBytes} bytes`, 431);
}

