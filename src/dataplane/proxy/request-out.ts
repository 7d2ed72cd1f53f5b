/**
 * Builds the request head sent to a target: the client's request line and
 * headers minus hop-by-hop ones, plus X-Forwarded-For (appended),
 * X-Forwarded-Proto, X-Forwarded-Port and X-Amzn-Trace-Id (kept when the
 * client sent one).
 *
 * Called on every forwarded request. The common case needs no header dropped
 * or rewritten: then the client's head bytes are copied as they came and our
 * headers appended as bytes, with no per-request string building. One scan
 * over the header names decides, switching on name length before any
 * lowercasing.
 */
import { connectionTokens, isHopByHop } from '../http/hop-by-hop.js';
import { TraceIds } from './trace-id.js';

export interface UpstreamRequest {
  /** What the client's Connection header and version say about keep-alive. */
  keepAlive: boolean;
  host: string;
  /** The head to write to the target, ready for one write. */
  wire: Buffer;
}

export interface OutboundOptions {
  method: string;
  target: string;
  version: string;
  headers: readonly string[];
  /** The client's head bytes exactly as received (ending CRLFCRLF), when they may be reused as they are. */
  raw: Buffer | null;
  clientIp: string;
  listenerPort: number;
  traceIds: TraceIds;
}

interface Scan {
  keepAlive: boolean;
  host: string;
  xff: string | null;
  trace: boolean;
  /** Some header must be dropped or rewritten. */
  rewrite: boolean;
}

export function buildUpstreamRequest(o: OutboundOptions): UpstreamRequest {
  const scan = scanHeaders(o.headers, o.version !== 'HTTP/1.0');
  // The X-Forwarded lines are the same for every request of a connection unless the client sent X-Forwarded-For.
  const forwarded = forwardedLines(scan.xff === null ? o.clientIp : `${scan.xff}, ${o.clientIp}`, o.listenerPort);
  const ours = forwarded.length + (scan.trace ? 0 : TraceIds.LINE_BYTES) + 2;
  const raw = o.raw;
  let wire: Buffer;
  let at: number;
  // HTTP/1.0 is always rebuilt: it is rare, and its keep-alive is negotiated per hop.
  if (raw !== null && !scan.rewrite && o.version === 'HTTP/1.1') {
    at = raw.length - 2; // everything but the blank line, which our lines overwrite
    wire = Buffer.allocUnsafe(at + ours);
    wire.set(raw, 0);
  } else {
    const head = rebuild(o);
    at = head.length;
    wire = Buffer.allocUnsafe(at + ours);
    wire.write(head, 0, 'latin1');
  }
  wire.set(forwarded, at);
  at += forwarded.length;
  if (!scan.trace) at = o.traceIds.writeLine(wire, at);
  wire[at] = 13;
  wire[at + 1] = 10;
  return { keepAlive: scan.keepAlive, host: scan.host, wire };
}

let lastFor = '';
let lastPort = 0;
let lastLines = Buffer.alloc(0);

/** X-Forwarded-For/-Proto/-Port lines; the last answer is kept, as consecutive requests mostly share it. */
function forwardedLines(xff: string, port: number): Buffer {
  if (xff !== lastFor || port !== lastPort) {
    lastFor = xff;
    lastPort = port;
    lastLines = Buffer.from(`X-Forwarded-For: ${xff}\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${port}\r\n`, 'latin1');
  }
  return lastLines;
}

function scanHeaders(h: readonly string[], http11: boolean): Scan {
  const s: Scan = { keepAlive: http11, host: '', xff: null, trace: false, rewrite: false };
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
        if (s.host === '' && name.toLowerCase() === 'host') s.host = h[i + 1]!;
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
      case 17:
        if (name.toLowerCase() === 'x-forwarded-proto') s.rewrite = true;
        break;
      default:
        break;
    }
  }
  return s;
}

/** The slow path: request line and every header written anew, minus what must not pass. */
function rebuild(o: OutboundOptions): string {
  const http10 = o.version === 'HTTP/1.0';
  // HTTP/1.0 clients are proxied as HTTP/1.0 so the target never answers them with chunked encoding.
  let out = `${o.method} ${o.target} ${http10 ? 'HTTP/1.0' : 'HTTP/1.1'}\r\n`;
  const h = o.headers;
  const named = connectionTokens(h);
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i]!;
    const lower = name.toLowerCase();
    if (isHopByHop(lower, named) || lower === 'x-forwarded-for' || lower === 'x-forwarded-proto' || lower === 'x-forwarded-port') {
      continue;
    }
    out += `${name}: ${h[i + 1]!}\r\n`;
  }
  return out;
}
