/**
 * Header translation between an HTTP/2 stream and an HTTP/1.1 target.
 *
 * Request (RFC 9113 8.3.1, 8.2.3): pseudo-headers leave, :authority becomes
 * the one Host (a Host field beside it is dropped: the target reads what
 * shoal routed on), cookie crumbs are joined with "; ", and connection-specific
 * fields (connection, keep-alive, proxy-connection, transfer-encoding, upgrade,
 * te) are dropped (nghttp2 already refuses most of them; te: trailers is
 * meaningless to an HTTP/1.1 hop). request-out.ts then writes the head with
 * X-Forwarded-* and the trace id, as for an HTTP/1.1 client.
 *
 * The body's framing for the target (requestFraming): its content-length
 * (nghttp2 checks the DATA frames add up to it), none when the headers ended
 * the stream, else not known yet: the first DATA frame (chunked) or the end
 * of the stream (none) decides (stream-exchange.ts).
 *
 * Response: HTTP/1.1 hop-by-hop fields (and what Connection names),
 * transfer-encoding, http2-settings and the reason phrase do not exist in
 * HTTP/2 (node:http2 throws on the connection-specific ones), nor may a field
 * whose name is not a token or whose value holds CR, LF or NUL; Set-Cookie
 * fields stay separate, other repeated fields are sent as repeated fields.
 */
import type { OutgoingHttpHeaders } from 'node:http2';
import type { BodyFraming } from '../http/desync.js';
import { NOT_TCHAR } from '../http/desync-text.js';
import { connectionTokens, isHopByHop } from '../http/hop-by-hop.js';
import { HttpParseError } from '../http/request-head.js';
import { responseHeaders, type ResponseHead } from '../http/response-head.js';

export interface H2Request {
  method: string;
  /** :path ("" when absent, as in CONNECT). */
  path: string;
  /** :authority, else the Host field, else "". */
  authority: string;
  /** Flat [name, value, ...], Host first, for request-out.ts and routing. */
  headers: string[];
  /** The content-length field's value, or null. */
  contentLength: string | null;
}

const DROPPED = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'cookie']);

/** `raw` is the stream's raw header list, flat [name, value, ...], names lowercase (HTTP/2 requires it). */
export function requestFromH2(raw: readonly string[]): H2Request {
  let method = '';
  let path = '';
  let authority = '';
  let host = '';
  let cookie = '';
  let contentLength: string | null = null;
  const headers: string[] = ['host', ''];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    if (name.charCodeAt(0) === 58 /* : */) {
      if (name === ':method') method = value;
      else if (name === ':path') path = value;
      else if (name === ':authority') authority = value;
      continue;
    }
    if (DROPPED.has(name)) {
      if (name === 'cookie') cookie = cookie === '' ? value : `${cookie}; ${value}`;
      else if (name === 'host' && host === '') host = value;
      continue;
    }
    if (name === 'content-length') contentLength = value;
    headers.push(name, value);
  }
  if (authority === '') authority = host;
  headers[1] = authority;
  if (cookie !== '') headers.push('cookie', cookie);
  return { method, path, authority, headers, contentLength };
}

const DIGITS = /^[0-9]{1,15}$/;

/** The framing of the request body, or null while unknown (no content-length, the stream still open). */
export function requestFraming(req: H2Request, endStream: boolean): BodyFraming | null {
  const cl = req.contentLength;
  if (cl !== null) {
    if (!DIGITS.test(cl)) throw new HttpParseError('BadContentLength', `content-length ${JSON.stringify(cl)} is not a number`);
    const length = Number(cl);
    return length === 0 ? NO_BODY : { kind: 'length', length };
  }
  return endStream ? NO_BODY : null;
}

const NO_BODY: BodyFraming = { kind: 'none' };
const BAD_VALUE = /[\r\n\0]/;

/** The target's response head as HTTP/2 response headers; `setCookieLines` are "Set-Cookie: v\r\n" lines to add. */
export function responseToH2(head: ResponseHead, setCookieLines: string): OutgoingHttpHeaders {
  const flat = responseHeaders(head);
  const named = connectionTokens(flat);
  const out: OutgoingHttpHeaders = { ':status': head.statusCode };
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i]!.toLowerCase();
    if (isHopByHop(name, named) || name === 'transfer-encoding' || name === 'http2-settings') continue;
    if (name === '' || NOT_TCHAR.test(name) || BAD_VALUE.test(flat[i + 1]!)) continue;
    // A chunked response's length is the decoded one, which HTTP/2 frames itself.
    if (name === 'content-length' && head.chunked) continue;
    add(out, name, flat[i + 1]!);
  }
  for (const line of setCookieLines.split('\r\n')) if (line !== '') add(out, 'set-cookie', line.slice(line.indexOf(':') + 1).trim());
  return out;
}

/** Fields node:http2 sends once only (it throws on a repeated one): the first value is kept. */
const SINGLE = new Set([
  'access-control-allow-credentials', 'access-control-max-age', 'access-control-request-method', 'age', 'authorization',
  'content-encoding', 'content-language', 'content-length', 'content-location', 'content-md5', 'content-range',
  'content-type', 'date', 'dnt', 'etag', 'expires', 'from', 'host', 'if-match', 'if-modified-since', 'if-none-match',
  'if-range', 'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'range',
  'referer', 'retry-after', 'tk', 'upgrade-insecure-requests', 'user-agent', 'x-content-type-options',
]);

function add(out: OutgoingHttpHeaders, name: string, value: string): void {
  const had = out[name];
  if (had === undefined) out[name] = name === 'set-cookie' ? [value] : value;
  else if (SINGLE.has(name)) return;
  else if (Array.isArray(had)) had.push(value);
  else out[name] = [String(had), value];
}
