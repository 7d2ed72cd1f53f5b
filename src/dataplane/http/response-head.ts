/**
 * Parser for a target's response head (status line + headers). The target is
 * trusted more than a client, but a bad head is still a 502, never a crash.
 *
 * Called on every response: it scans bytes and only decodes what framing
 * needs (status, Content-Length, Transfer-Encoding, Connection); the header
 * list is decoded lazily (responseHeaders) for the rare response whose head
 * must be rewritten.
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
  /** The head's bytes, CRLFCRLF included. */
  raw: Buffer;
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

const CR = 13;
const LF = 10;
const COLON = 58;

export function parseResponseHead(buf: Buffer, maxBytes: number): ResponseHead | null {
  // One pass over the bytes: lines end at CRLF; the first colon of a line ends the name.
  const n = Math.min(buf.length, maxBytes + 1);
  let head: ResponseHead | null = null;
  let lineStart = 0;
  let colon = -1;
  for (let i = 0; i + 1 < n; i++) {
    const c = buf[i];
    if (c === COLON) {
      if (colon < 0) colon = i;
    } else if (c === CR && buf[i + 1] === LF) {
      if (head === null) {
        head = parseStatusLine(buf.toString('latin1', 0, i));
      } else if (i === lineStart) {
        head.headLength = i + 2;
        head.raw = buf.subarray(0, i + 2);
        return head;
      } else {
        headerLine(buf, lineStart, colon, i, head);
      }
      lineStart = i + 2;
      colon = -1;
      i++;
    }
  }
  if (buf.length > maxBytes) throw new BadResponseError('response head too large');
  return null;
}

function parseStatusLine(line: string): ResponseHead {
  // "HTTP/1.1 200 OK" — reason phrase may be empty or absent.
  if (!line.startsWith('HTTP/1.') || line.length < 12 || line.charCodeAt(8) !== 32) {
    throw new BadResponseError(`bad status line: ${JSON.stringify(line.slice(0, 64))}`);
  }
  const version = line.slice(0, 8);
  const code = Number(line.slice(9, 12));
  if (!Number.isInteger(code) || code < 100 || code > 999) {
    throw new BadResponseError(`bad status code in ${JSON.stringify(line.slice(0, 64))}`);
  }
  return {
    statusCode: code,
    reason: line.length > 13 ? line.slice(13) : '',
    version,
    raw: EMPTY,
    headLength: 0,
    contentLength: -1,
    chunked: false,
    close: version === 'HTTP/1.0',
    passthrough: version === 'HTTP/1.1',
  };
}

const EMPTY = Buffer.alloc(0);

/** One header line at buf[start, eol), name ending at `colon`: only the framing headers are decoded. */
function headerLine(buf: Buffer, start: number, colon: number, eol: number, head: ResponseHead): void {
  if (colon <= start) throw new BadResponseError('bad header line');
  switch (colon - start) {
    case 2:
    case 7:
    case 16:
    case 18:
      if (isHopByHopName(buf, start, colon)) head.passthrough = false;
      return;
    case 10:
      if (nameIs(buf, start, 'keep-alive')) head.passthrough = false;
      else if (nameIs(buf, start, 'connection')) {
        // "Connection: keep-alive" (what most targets send) is checked without decoding it.
        const [vs, ve] = trimmed(buf, colon + 1, eol);
        if (ve - vs === 10 && nameIs(buf, vs, 'keep-alive')) {
          if (head.version === 'HTTP/1.0') head.close = false;
        }
        else noteConnection(head, buf.toString('latin1', vs, ve).toLowerCase());
      }
      return;
    case 14:
      if (nameIs(buf, start, 'content-length')) noteLength(head, buf, colon + 1, eol);
      return;
    case 17:
      if (nameIs(buf, start, 'transfer-encoding')) {
        const [vs, ve] = trimmed(buf, colon + 1, eol);
        // Only a final "chunked" frames the body; anything else is read until close.
        head.chunked = /(^|,)\s*chunked\s*$/i.test(buf.toString('latin1', vs, ve));
        if (!head.chunked) head.close = true;
      }
      return;
    default:
      return;
  }
}

const HOP_NAMES = ['te', 'trailer', 'upgrade', 'proxy-connection', 'proxy-authenticate'];

function isHopByHopName(buf: Buffer, start: number, end: number): boolean {
  for (const name of HOP_NAMES) if (name.length === end - start && nameIs(buf, start, name)) return true;
  return false;
}

/** Case-insensitive compare of buf[start, start + lower.length) with a lowercase ASCII name. */
function nameIs(buf: Buffer, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    if ((buf[start + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

function trimmed(buf: Buffer, start: number, end: number): [number, number] {
  while (start < end && (buf[start] === 32 || buf[start] === 9)) start++;
  while (end > start && (buf[end - 1] === 32 || buf[end - 1] === 9)) end--;
  return [start, end];
}

function noteConnection(head: ResponseHead, v: string): void {
  if (v !== 'keep-alive') head.passthrough = false;
  if (v.includes('close')) head.close = true;
  else if (v.includes('keep-alive') && head.version === 'HTTP/1.0') head.close = false;
}

function noteLength(head: ResponseHead, buf: Buffer, start: number, end: number): void {
  const [vs, ve] = trimmed(buf, start, end);
  let n = 0;
  for (let i = vs; i < ve; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) throw new BadResponseError(`bad content-length ${JSON.stringify(buf.toString('latin1', vs, ve))}`);
    n = n * 10 + d;
  }
  if (ve === vs || ve - vs > 15) throw new BadResponseError(`bad content-length ${JSON.stringify(buf.toString('latin1', vs, ve))}`);
  if (head.contentLength >= 0 && head.contentLength !== n) throw new BadResponseError('conflicting content-length');
  head.contentLength = n;
}

/** The header list, flat [name, value, ...], decoded from the raw head (for heads that are rewritten). */
export function responseHeaders(head: ResponseHead): string[] {
  const text = head.raw.toString('latin1', 0, head.headLength - 4);
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
