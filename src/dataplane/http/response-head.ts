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
const COLON = 58;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const HOP_BY_HOP = new Set(['te', 'trailer', 'upgrade', 'keep-alive', 'proxy-connection', 'proxy-authenticate']);

export function parseResponseHead(buf: Buffer, maxBytes: number): ResponseHead | null {
  const end = buf.indexOf(CRLFCRLF);
  if (end < 0) {
    if (buf.length > maxBytes) throw new BadResponseError('response head too large');
    return null;
  }
  let eol = buf.indexOf(CR, 0);
  const head = parseStatusLine(buf.toString('latin1', 0, eol));
  head.raw = buf.subarray(0, end + 4);
  head.headLength = end + 4;
  while (eol < end) {
    const start = eol + 2;
    eol = buf.indexOf(CR, start);
    headerLine(buf, start, eol, head);
  }
  return head;
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

/** One header line at buf[start, eol): only the framing headers are decoded. */
function headerLine(buf: Buffer, start: number, eol: number, head: ResponseHead): void {
  const colon = buf.indexOf(COLON, start);
  if (colon <= start || colon > eol) throw new BadResponseError('bad header line');
  switch (colon - start) {
    case 2: // te
    case 7: // trailer, upgrade
    case 16: // proxy-connection
    case 18: // proxy-authenticate
      if (HOP_BY_HOP.has(buf.toString('latin1', start, colon).toLowerCase())) head.passthrough = false;
      return;
    case 10: {
      const name = buf.toString('latin1', start, colon).toLowerCase();
      if (name === 'keep-alive') head.passthrough = false;
      else if (name === 'connection') noteConnection(head, value(buf, colon, eol).toLowerCase());
      return;
    }
    case 14:
      if (buf.toString('latin1', start, colon).toLowerCase() === 'content-length') noteLength(head, value(buf, colon, eol));
      return;
    case 17:
      if (buf.toString('latin1', start, colon).toLowerCase() === 'transfer-encoding') {
        // Only a final "chunked" frames the body; anything else is read until close.
        head.chunked = /(^|,)\s*chunked\s*$/i.test(value(buf, colon, eol));
        if (!head.chunked) head.close = true;
      }
      return;
    default:
      return;
  }
}

function value(buf: Buffer, colon: number, eol: number): string {
  return buf.toString('latin1', colon + 1, eol).trim();
}

function noteConnection(head: ResponseHead, v: string): void {
  if (v !== 'keep-alive') head.passthrough = false;
  if (v.includes('close')) head.close = true;
  else if (v.includes('keep-alive') && head.version === 'HTTP/1.0') head.close = false;
}

function noteLength(head: ResponseHead, v: string): void {
  if (!/^\d{1,15}$/.test(v)) throw new BadResponseError(`bad content-length ${JSON.stringify(v)}`);
  const n = Number(v);
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
