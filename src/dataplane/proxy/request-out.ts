/**
 * Builds the request head sent to a target: the client's request line and
 * headers minus hop-by-hop ones, plus X-Forwarded-For (appended),
 * X-Forwarded-Proto, X-Forwarded-Port and X-Amzn-Trace-Id (kept when the
 * client sent one), and the listener's per-connection lines (mutual
 * TLS's X-Amzn-Mtls-Clientcert headers; a client's own are always dropped).
 *
 * What a target reads must be what shoal routed on and framed by (issue 8):
 * exactly one Host in HTTP/1.1 (else 400), with a host[:port] value; an
 * absolute-form target becomes origin-form with its authority as the Host; a
 * request that is not Compliant is rebuilt with one framing field (a single
 * Content-Length, or Transfer-Encoding ending in chunked with no
 * Content-Length), no field a lenient server would take for a framing field,
 * no field whose name is not a token, CRLF line ends and a canonical version.
 * Chunked bodies are re-encoded on the way (chunked-out.ts). Requests that
 * cannot be made unambiguous throw HttpParseError (400).
 *
 * Called on every forwarded request. The common case (Compliant, origin-form,
 * nothing to drop) copies the client's head bytes as they came and appends
 * our headers as bytes, with no per-request string building. One scan over
 * the header names decides, switching on name length before any lowercasing.
 */
import type { BodyFraming } from '../http/desync.js';
import { connectionTokens, isHopByHop } from '../http/hop-by-hop.js';
import { HttpParseError } from '../http/request-head.js';
import { NOT_TCHAR } from '../http/desync-text.js';
import { checkHost, readsAsFraming, requestTarget, targetIsPlain } from '../http/normalize.js';
import { TraceIds } from './trace-id.js';

export interface UpstreamRequest {
  /** What the client's Connection header and version say about keep-alive. */
  keepAlive: boolean;
  /** The Host the target reads ('' when an HTTP/1.0 request has none): routing uses it. */
  host: string;
  /** The request target the target reads: routing uses it. */
  target: string;
  /** The version sent to the target: HTTP/1.0 (for 1.0 and 0.9 clients) or HTTP/1.1. */
  http10: boolean;
  /**
   * The request was Compliant and its framing fields already canonical: the target connection may
   * carry another request after it. Otherwise shoal repaired or doubted the framing, and it may not.
   */
  reusable: boolean;
  /** The head to write to the target, ready for one write. */
  wire: Buffer;
}

export interface OutboundOptions {
  method: string;
  target: string;
  version: string;
  headers: readonly string[];
  /** How the body is framed (desync.ts): the one framing field the target gets says this. */
  framing: BodyFraming;
  /** The classifier found nothing: the head's framing fields may pass as they are. */
  compliant: boolean;
  /** The client's head bytes exactly as received (ending CRLFCRLF), when they may be reused as they are. */
  raw: Buffer | null;
  clientIp: string;
  listenerPort: number;
  /** The listener is HTTPS: X-Forwarded-Proto says https. */
  https?: boolean;
  /** Lines the listener adds for this connection ("Name: value\r\n"...), or null. */
  extraLines?: Buffer | null;
  traceIds: TraceIds;
}

interface Scan {
  keepAlive: boolean;
  host: string;
  hosts: number;
  xff: string | null;
  trace: boolean;
  /** A Content-Length was sent (with framing none it said 0, which the target should see too). */
  zeroLength: boolean;
  /** Transfer-Encoding fields, and the first one's value. */
  teFields: number;
  te: string;
  /** Some header must be dropped or rewritten. */
  rewrite: boolean;
}

export function buildUpstreamRequest(o: OutboundOptions): UpstreamRequest {
  const http10 = isHttp10(o.version);
  const scan = scanHeaders(o.headers, !http10);
  let target = o.target;
  let host = scan.host;
  const plain = targetIsPlain(target);
  if (!plain) {
    const t = requestTarget(target, o.method);
    target = t.target;
    if (t.authority !== null) host = t.authority;
  }
  if (scan.hosts > 1) throw new HttpParseError('BadHost', 'more than one Host header');
  if (scan.hosts === 0 && !http10 && host === '') throw new HttpParseError('BadHost', 'an HTTP/1.1 request needs a Host header');
  if (scan.hosts === 1) checkHost(scan.host);
  if (!o.compliant && NOT_TCHAR.test(o.method)) throw new HttpParseError('BadMethod', 'the method must be a token');
  // The X-Forwarded lines are the same for every request of a connection unless the client sent X-Forwarded-For.
  const forwarded = forwardedLines(scan.xff === null ? o.clientIp : `${scan.xff}, ${o.clientIp}`, o.listenerPort, o.https === true);
  const extra = o.extraLines ?? null;
  const ours = forwarded.length + (extra === null ? 0 : extra.length) + (scan.trace ? 0 : TraceIds.LINE_BYTES) + 2;
  const raw = o.raw;
  // A chunked request keeps its head only when its one Transfer-Encoding is spelled as rebuild() would.
  const canonical = o.framing.kind !== 'chunked' || (scan.teFields === 1 && scan.te === codings(o.headers));
  let wire: Buffer;
  let at: number;
  // HTTP/1.0 is always rebuilt: it is rare, and its keep-alive is negotiated per hop.
  if (raw !== null && o.compliant && canonical && plain && !scan.rewrite && o.version === 'HTTP/1.1') {
    at = raw.length - 2; // everything but the blank line, which our lines overwrite
    wire = Buffer.allocUnsafe(at + ours);
    wire.set(raw, 0);
  } else {
    const head = rebuild(o, { target, host, http10, zeroLength: scan.zeroLength });
    at = head.length;
    wire = Buffer.allocUnsafe(at + ours);
    wire.write(head, 0, 'latin1');
  }
  wire.set(forwarded, at);
  at += forwarded.length;
  if (extra !== null) {
    wire.set(extra, at);
    at += extra.length;
  }
  if (!scan.trace) at = o.traceIds.writeLine(wire, at);
  wire[at] = 13;
  wire[at + 1] = 10;
  return { keepAlive: scan.keepAlive, host, target, http10, reusable: o.compliant && canonical, wire };
}

/** HTTP/1.0 and HTTP/0.9 (no version) clients are proxied as HTTP/1.0; every other version as 1.1. */
function isHttp10(version: string): boolean {
  return version === 'HTTP/1.0' || version === '' || version === 'HTTP/0.9';
}

let lastFor = '';
let lastPort = 0;
let lastHttps = false;
let lastLines = Buffer.alloc(0);

/** X-Forwarded-For/-Proto/-Port lines; the last answer is kept, as consecutive requests mostly share it. */
function forwardedLines(xff: string, port: number, https: boolean): Buffer {
  if (xff !== lastFor || port !== lastPort || https !== lastHttps) {
    lastFor = xff;
    lastPort = port;
    lastHttps = https;
    lastLines = Buffer.from(`X-Forwarded-For: ${xff}\r\nX-Forwarded-Proto: ${https ? 'https' : 'http'}\r\nX-Forwarded-Port: ${port}\r\n`, 'latin1');
  }
  return lastLines;
}

function scanHeaders(h: readonly string[], http11: boolean): Scan {
  const s: Scan = { keepAlive: http11, host: '', hosts: 0, xff: null, trace: false, zeroLength: false, teFields: 0, te: '', rewrite: false };
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i]!;
    switch (name.length) {
      case 2: // te
      case 7: // trailer, upgrade
      case 18: // proxy-authenticate
      case 19: // proxy-authorization
        if (isHopByHop(name.toLowerCase(), null)) s.rewrite = true;
        break;
      case 4:
        if (name.toLowerCase() === 'host') {
          if (s.hosts++ === 0) s.host = h[i + 1]!;
        }
        break;
      case 10: {
        const lower = name.toLowerCase();
        if (lower === 'connection') {
          const v = h[i + 1]!.toLowerCase();
          if (v.includes('close')) s.keepAlive = false;
          else if (v.includes('keep-alive')) s.keepAlive = true;
          // "Connection: keep-alive" is true of our hop to the target as well; anything else is rewritten.
          if (v !== 'keep-alive') s.rewrite = true;
        } else if (lower === 'keep-alive') s.rewrite = true;
        break;
      }
      case 14:
        if (name.toLowerCase() === 'content-length') s.zeroLength = true;
        break;
      case 22: // X-Amzn-Mtls-Clientcert
      case 27: // ...-Leaf
      case 29: // ...-Issuer
      case 30: // ...-Subject
      case 31: // ...-Validity
      case 36: // ...-Serial-Number
        // Only the load balancer may say which client certificate was presented (mutual TLS).
        if (isMtlsHeader(name.toLowerCase())) s.rewrite = true;
        break;
      case 15: {
        const lower = name.toLowerCase();
        if (lower === 'x-forwarded-for') {
          s.xff = s.xff === null ? h[i + 1]! : `${s.xff}, ${h[i + 1]!}`;
          s.rewrite = true;
        } else if (lower === 'x-amzn-trace-id') s.trace = true;
        break;
      }
      case 16: {
        // X-Forwarded-Port from a client is replaced, never trusted.
        const lower = name.toLowerCase();
        if (lower === 'proxy-connection' || lower === 'x-forwarded-port') s.rewrite = true;
        break;
      }
      case 17: {
        const lower = name.toLowerCase();
        if (lower === 'x-forwarded-proto') s.rewrite = true;
        else if (lower === 'transfer-encoding' && s.teFields++ === 0) s.te = h[i + 1]!;
        break;
      }
      default:
        break;
    }
  }
  return s;
}

interface Normal {
  target: string;
  host: string;
  http10: boolean;
  zeroLength: boolean;
}

/**
 * The slow path: request line, Host, every other header that may pass, and one
 * framing field, written anew. Only well-formed fields reach the target.
 */
function rebuild(o: OutboundOptions, n: Normal): string {
  // HTTP/1.0 clients are proxied as HTTP/1.0 so the target never answers them with chunked encoding.
  let out = `${o.method} ${n.target} ${n.http10 ? 'HTTP/1.0' : 'HTTP/1.1'}\r\n`;
  if (n.host !== '' || !n.http10) out += `Host: ${n.host}\r\n`;
  const h = o.headers;
  const named = connectionTokens(h);
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i]!;
    const lower = name.toLowerCase();
    if (lower === 'host' || isHopByHop(lower, named) || lower === 'x-forwarded-for' || lower === 'x-forwarded-proto' || lower === 'x-forwarded-port' || isMtlsHeader(lower)) {
      continue;
    }
    if (NOT_TCHAR.test(name) || readsAsFraming(lower)) continue;
    out += `${name}: ${h[i + 1]!}\r\n`;
  }
  return out + framingLine(o, n.zeroLength);
}

function framingLine(o: OutboundOptions, zeroLength: boolean): string {
  const f = o.framing;
  if (f.kind === 'length') return `Content-Length: ${f.length}\r\n`;
  if (f.kind === 'chunked') return `Transfer-Encoding: ${codings(o.headers)}\r\n`;
  return zeroLength ? 'Content-Length: 0\r\n' : '';
}

/** The client's transfer codings, chunked once and last (the body is re-encoded as chunked). */
function codings(h: readonly string[]): string {
  let out = '';
  for (let i = 0; i < h.length; i += 2) {
    if (h[i]!.length !== 17 || h[i]!.toLowerCase() !== 'transfer-encoding') continue;
    for (const part of h[i + 1]!.split(',')) {
      const c = part.split(';')[0]!.trim().toLowerCase();
      if (c !== '' && c !== 'chunked') out += `${c}, `;
    }
  }
  return `${out}chunked`;
}

/** X-Amzn-Mtls-Clientcert and its -Serial-Number, -Issuer, -Subject, -Validity and -Leaf (lower case). */
function isMtlsHeader(lower: string): boolean {
  return lower.startsWith('x-amzn-mtls-clientcert') && (lower.length === 22 || lower[22] === '-');
}
