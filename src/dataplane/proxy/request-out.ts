/**
 * Builds the request head sent to a target: the client's request line and
 * headers minus hop-by-hop ones, plus X-Forwarded-For (appended),
 * X-Forwarded-Proto, X-Forwarded-Port and X-Amzn-Trace-Id (kept when the
 * client sent one). Called on every forwarded request: one pass over the
 * headers, switching on name length before any lowercasing.
 */
import { connectionTokens, isHopByHop } from '../http/hop-by-hop.js';

export interface ClientRequestFacts {
  /** What the client's Connection header and version say about keep-alive. */
  keepAlive: boolean;
  host: string;
  /** The head to write upstream. */
  upstreamHead: string;
}

export interface OutboundOptions {
  method: string;
  target: string;
  version: string;
  headers: readonly string[];
  clientIp: string;
  listenerPort: number;
  traceId: () => string;
}

export function buildUpstreamHead(o: OutboundOptions): ClientRequestFacts {
  const http10 = o.version === 'HTTP/1.0';
  // HTTP/1.0 clients are proxied as HTTP/1.0 so the target never answers them with chunked encoding.
  let out = `${o.method} ${o.target} ${http10 ? 'HTTP/1.0' : 'HTTP/1.1'}\r\n`;
  let keepAlive = !http10;
  let host = '';
  let xff: string | null = null;
  let trace = false;
  let namesOthers = false;
  const h = o.headers;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i]!;
    const value = h[i + 1]!;
    switch (name.length) {
      case 2: // te
      case 7: // trailer, upgrade
      case 18: // proxy-authenticate
      case 19: // proxy-authorization
        if (isHopByHop(name.toLowerCase(), null)) continue;
        break;
      case 4:
        if (host === '' && name.toLowerCase() === 'host') host = value;
        break;
      case 10: {
        const lower = name.toLowerCase();
        if (lower === 'connection') {
          keepAlive = connectionKeepAlive(value, keepAlive);
          namesOthers ||= connectionTokens([name, value]) !== null;
          continue;
        }
        if (lower === 'keep-alive') continue;
        break;
      }
      case 15: {
        const lower = name.toLowerCase();
        if (lower === 'x-forwarded-for') {
          xff = xff === null ? value : `${xff}, ${value}`;
          continue;
        }
        if (lower === 'x-amzn-trace-id') trace = true;
        break;
      }
      case 16: {
        // X-Forwarded-Port from a client is replaced, never trusted.
        const lower = name.toLowerCase();
        if (lower === 'proxy-connection' || lower === 'x-forwarded-port') continue;
        break;
      }
      case 17:
        if (name.toLowerCase() === 'x-forwarded-proto') continue;
        break;
      default:
        break;
    }
    out += `${name}: ${value}\r\n`;
  }
  // Rare: the Connection header names further hop-by-hop headers; drop those too.
  if (namesOthers) out = dropNamed(out, connectionTokens(h)!);
  out += `X-Forwarded-For: ${xff === null ? o.clientIp : `${xff}, ${o.clientIp}`}\r\n`;
  out += 'X-Forwarded-Proto: http\r\n';
  out += `X-Forwarded-Port: ${o.listenerPort}\r\n`;
  if (!trace) out += `X-Amzn-Trace-Id: ${o.traceId()}\r\n`;
  return { keepAlive, host, upstreamHead: `${out}\r\n` };
}

function connectionKeepAlive(value: string, current: boolean): boolean {
  const v = value.toLowerCase();
  if (v.includes('close')) return false;
  if (v.includes('keep-alive')) return true;
  return current;
}

function dropNamed(head: string, names: Set<string>): string {
  return head
    .split('\r\n')
    .filter((line, i) => i === 0 || !names.has(line.slice(0, Math.max(0, line.indexOf(':'))).toLowerCase()))
    .join('\r\n');
}
