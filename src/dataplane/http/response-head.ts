/**
 * Parser for a target's response head (status line + headers). The target is
 * trusted more than a client, but a bad head is still a 502, never a crash.
 *
 * Called on every response: the head's end is found natively, the head is
 * decoded once, and lines and names are found with string searches (a byte
 * loop in JS cost several times more); only what framing needs is looked at
 * (status, Content-Length, Transfer-Encoding, Connection). The header list is
 * decoded lazily (responseHeaders) for the rare response whose head must be
 * rewritten.
 *
 * Contract: parseResponseHead(buf, maxBytes) returns null while the head is
 * incomplete, throws BadResponseError when it is malformed or too large.
 */
export class BadResponseError extends Error {
  readonly code = 'BadTargetResponse';
}

export interface ResponseHead {
  statusCode: number;
  reason: string;
  /** 'HTTP/1.1' or 'HTTP/1.0'. */
  version: string;
  /** The head decoded as latin1, possibly followed by more: the head is text[0, headLength), CRLFCRLF included. */
  text: string;
  headLength: number;
  /** Body framing derived from the headers (before request-method and status rules). */
  contentLength: number; // -1 when absent
  chunked: boolean;
  /** The target asked to close the connection after this response. */
  close: boolean;
  /**
   * The head can be forwarded byte for byte to an HTTP/1.1 client kept alive:
   * HTTP/1.1, and no hop-by-hop header but `Connection: keep-alive`.
   */
  passthrough: boolean;
}

/** Most heads fit in this many bytes: decode that much first rather than all of a large read. */
const FIRST_DECODE = 2048;

export function parseResponseHead(buf: Buffer, maxBytes: number): ResponseHead | null {
  const limit = Math.min(buf.length, maxBytes + 1);
  if (limit > FIRST_DECODE) {
    const head = parseText(buf.toString('latin1', 0, FIRST_DECODE));
    if (head !== null) return head;
  }
  const head = parseText(buf.toString('latin1', 0, limit));
  if (head === null && buf.length > maxBytes) throw new BadResponseError('response head too large');
  return head;
}

/** Parses the head at the start of `text`; null when text ends before it does. Lines end at CRLF only. */
function parseText(text: string): ResponseHead | null {
  let eol = text.indexOf('\r\n');
  if (eol < 0) return null;
  const head = parseStatusLine(text, eol);
  for (;;) {
    const start = eol + 2;
    eol = text.indexOf('\r\n', start);
    if (eol < 0) return null;
    if (eol === start) {
      head.text = text;
      head.headLength = eol + 2;
      return head;
    }
    headerLine(text, start, eol, head);
  }
}

/** The status line is text[0, eol). */
function parseStatusLine(text: string, eol: number): ResponseHead {
  // "HTTP/1.1 200 OK" — reason phrase may be empty or absent.
  if (eol < 12 || text.slice(0, 7) !== 'HTTP/1.' || text.charCodeAt(8) !== 32) {
    throw new BadResponseError(`bad status line: ${JSON.stringify(text.slice(0, Math.min(eol, 64)))}`);
  }
  const minor = text.charCodeAt(7);
  const version = minor === 49 ? 'HTTP/1.1' : minor === 48 ? 'HTTP/1.0' : text.slice(0, 8);
  const code = Number(text.slice(9, 12));
  if (!Number.isInteger(code) || code < 100 || code > 999) {
    throw new BadResponseError(`bad status code in ${JSON.stringify(text.slice(0, Math.min(eol, 64)))}`);
  }
  return {
    statusCode: code,
    reason: eol > 13 ? text.slice(13, eol) : '',
    version,
    text: '',
    headLength: 0,
    contentLength: -1,
    chunked: false,
    close: version === 'HTTP/1.0',
    passthrough: version === 'HTTP/1.1',
  };
}


/** One header line text[start, eol): only the framing headers are decoded. */
function headerLine(text: string, start: number, eol: number, head: ResponseHead): void {
  const colon = text.indexOf(':', start);
  if (colon <= start || colon > eol) throw new BadResponseError('bad header line');
  switch (colon - start) {
    case 2:
    case 7:
    case 16:
    case 18:
      if (isHopByHopName(text, start, colon)) head.passthrough = false;
      return;
    case 10:
      if (isName(text, start, 'Keep-Alive', 'keep-alive')) head.passthrough = false;
      else if (isName(text, start, 'Connection', 'connection')) noteConnection(head, text, colon + 1, eol);
      return;
    case 14:
      if (isName(text, start, 'Content-Length', 'content-length')) noteLength(head, text, colon + 1, eol);
      return;
    case 17:
      if (isName(text, start, 'Transfer-Encoding', 'transfer-encoding')) {
        // Only a final "chunked" frames the body; anything else is read until close.
        head.chunked = /(^|,)\s*chunked\s*$/i.test(trimmed(text, colon + 1, eol));
        if (!head.chunked) head.close = true;
      }
      return;
    default:
      return;
  }
}

const HOP_NAMES = ['te', 'trailer', 'upgrade', 'proxy-connection', 'proxy-authenticate'];

function isHopByHopName(text: string, start: number, end: number): boolean {
  for (const name of HOP_NAMES) if (name.length === end - start && nameIs(text, start, name)) return true;
  return false;
}

/** Whether the name at text[start..] (known to be as long) is this one: as usually spelled (fast), or in any case. */
function isName(text: string, start: number, usual: string, lower: string): boolean {
  // A slice and === beat startsWith(usual, start), whose generic path (RegExp check, position) V8 does not inline.
  return text.slice(start, start + usual.length) === usual || nameIs(text, start, lower);
}

/** Case-insensitive compare of text[start, start + lower.length) with a lowercase ASCII name. */
function nameIs(text: string, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    if ((text.charCodeAt(start + i) | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

/** Where text[start, end) begins once leading SP/HTAB are skipped. */
function valueStart(text: string, start: number, end: number): number {
  while (start < end && isWs(text.charCodeAt(start))) start++;
  return start;
}

/** Where text[start, end) ends once trailing SP/HTAB are dropped. */
function valueEnd(text: string, start: number, end: number): number {
  while (end > start && isWs(text.charCodeAt(end - 1))) end--;
  return end;
}

function trimmed(text: string, start: number, end: number): string {
  const vs = valueStart(text, start, end);
  return text.slice(vs, valueEnd(text, vs, end));
}

function noteConnection(head: ResponseHead, text: string, start: number, end: number): void {
  const vs = valueStart(text, start, end);
  const ve = valueEnd(text, vs, end);
  // "Connection: keep-alive" (what most targets send) is checked without decoding it.
  if (ve - vs === 10 && isName(text, vs, 'keep-alive', 'keep-alive')) {
    if (head.version === 'HTTP/1.0') head.close = false;
    return;
  }
  const v = text.slice(vs, ve).toLowerCase();
  head.passthrough = false;
  if (v.includes('close')) head.close = true;
  else if (v.includes('keep-alive') && head.version === 'HTTP/1.0') head.close = false;
}

function noteLength(head: ResponseHead, text: string, start: number, end: number): void {
  const vs = valueStart(text, start, end);
  const ve = valueEnd(text, vs, end);
  let n = 0;
  for (let i = vs; i < ve; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new BadResponseError(`bad content-length ${JSON.stringify(text.slice(vs, ve))}`);
    n = n * 10 + d;
  }
  if (ve === vs || ve - vs > 15) throw new BadResponseError(`bad content-length ${JSON.stringify(text.slice(vs, ve))}`);
  if (head.contentLength >= 0 && head.contentLength !== n) throw new BadResponseError('conflicting content-length');
  head.contentLength = n;
}

/** The header list, flat [name, value, ...], decoded from the raw head (for heads that are rewritten). */
export function responseHeaders(head: ResponseHead): string[] {
  const text = head.text.slice(0, head.headLength - 4);
  const out: string[] = [];
  let pos = text.indexOf('\r\n');
  while (pos >= 0) {
    const start = pos + 2;
    const next = text.indexOf('\r\n', start);
    const line = next < 0 ? text.slice(start) : text.slice(start, next);
    const colon = line.indexOf(':');
    out.push(line.slice(0, colon), line.slice(colon + 1).trim());
    pos = next;
  }
  return out;
}

/** Whether a response to this request/status carries no body at all (RFC 9112 6.3). */
export function responseHasNoBody(method: string, statusCode: number): boolean {
  return method === 'HEAD' || statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode < 200);
}
