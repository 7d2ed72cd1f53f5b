/**
 * Builds the response head sent to the client from the target's: same status
 * and headers, minus hop-by-hop ones, plus our own Connection header when the
 * client connection will close (or an HTTP/1.0 client keeps it alive).
 */
import { connectionTokens, isHopByHop } from '../http/hop-by-hop.js';
import { responseHeaders, type ResponseHead } from '../http/response-head.js';

export interface ResponseHeadOptions {
  close: boolean;
  http10: boolean;
  /** A 1xx interim response: no Connection header of ours. */
  interim: boolean;
  /** Header lines of ours to add ("Name: value\r\n" each), e.g. sticky-session cookies. */
  extra?: string;
}

export function buildResponseHead(head: ResponseHead, o: ResponseHeadOptions): string {
  let out = `HTTP/1.1 ${head.statusCode} ${head.reason}\r\n`;
  const h = responseHeaders(head);
  const extra = connectionTokens(h);
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i]!;
    const len = name.length;
    // Only these lengths can be hop-by-hop names (te, trailer/upgrade, connection/keep-alive, proxy-*).
    if (len === 2 || len === 7 || len === 10 || len === 16 || len === 18 || len === 19) {
      const lower = name.toLowerCase();
      if (isHopByHop(lower, null)) continue;
    }
    if (extra !== null && extra.has(name.toLowerCase())) continue;
    out += `${name}: ${h[i + 1]!}\r\n`;
  }
  if (o.extra) out += o.extra;
  if (!o.interim) {
    if (o.close) out += 'Connection: close\r\n';
    else if (o.http10) out += 'Connection: keep-alive\r\n';
  }
  return `${out}\r\n`;
}
