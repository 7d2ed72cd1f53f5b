/**
 * Parser for a target's response head (status line + headers). The target is
 * trusted more than a client, but a bad head is still a 502, never a crash.
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
  /** Flat [name, value, ...] as received. */
  headers: string[];
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

const CRLFCRLF = Buffer.from('\r\n\r\n');
const HOP_BY_HOP = new Set(['te', 'trailer', 'upgrade', 'proxy-connection', 'proxy-authenticate']);

export function parseResponseHead(buf: Buffer, maxBytes: number): ResponseHead | null {
  const end = buf.indexOf(CRLFCRLF);
  if (end < 0) {
    if (buf.length > maxBytes) throw new BadResponseError('response head too large');
    return null;
  }
  const text = buf.toString('latin1', 0, end);
  const firstEol = text.indexOf('\r\n');
  const statusLine = firstEol < 0 ? text : text.slice(0, firstEol);
  const head = parseStatusLine(statusLine);
  if (firstEol >= 0) parseHeaderLines(text, firstEol + 2, head);
  head.headLength = end + 4;
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
    headers: [],
    headLength: 0,
    contentLength: -1,
    chunked: false,
    close: version === 'HTTP/1.0',
    passthrough: version === 'HTTP/1.1',
  };
}

function parseHeaderLines(text: string, start: number, head: ResponseHead): void {
  let pos = start;
  while (pos < text.length) {
    let eol = text.indexOf('\r\n', pos);
    if (eol < 0) eol = text.length;
    const colon = text.indexOf(':', pos);
    if (colon <= pos || colon > eol) throw new BadResponseError('bad header line');
    const name = text.slice(pos, colon);
    const value = text.slice(colon + 1, eol).trim();
    head.headers.push(name, value);
    noteFraming(head, name, value);
    pos = eol + 2;
  }
}

function noteFraming(head: ResponseHead, name: string, value: string): void {
  switch (name.length) {
    case 2: // te
    case 7: // trailer, upgrade
    case 16: // proxy-connection
    case 18: // proxy-authenticate
      if (HOP_BY_HOP.has(name.toLowerCase())) head.passthrough = false;
      return;
    case 10: {
      const lower = name.toLowerCase();
      if (lower === 'keep-alive') head.passthrough = false;
      if (lower !== 'connection') return;
      const v = value.toLowerCase();
      if (v !== 'keep-alive') head.passthrough = false;
      if (v.includes('close')) head.close = true;
      else if (v.includes('keep-alive') && head.version === 'HTTP/1.0') head.close = false;
      return;
    }
    case 14: // content-length
      if (name.toLowerCase() === 'content-length') {
        if (!/^\d{1,15}$/.test(value)) throw new BadResponseError(`bad content-length ${JSON.stringify(value)}`);
        const n = Number(value);
        if (head.contentLength >= 0 && head.contentLength !== n) throw new BadResponseError('conflicting content-length');
        head.contentLength = n;
      }
      return;
    case 17: // transfer-encoding
      if (name.toLowerCase() === 'transfer-encoding') {
        // Only a final "chunked" frames the body; anything else is read until close.
        head.chunked = /(^|,)\s*chunked\s*$/i.test(value);
        if (!head.chunked) head.close = true;
      }
      return;
    default:
      return;
  }
}

/** Whether a response to this request/status carries no body at all (RFC 9112 6.3). */
export function responseHasNoBody(method: string, statusCode: number): boolean {
  return method === 'HEAD' || statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode < 200);
}
