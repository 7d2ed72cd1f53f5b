/**
 * WebSocket handshakes (HTTP/1.1 Upgrade, RFC 6455 4.1 and RFC 9110 7.8), as
 * ALB proxies them: which requests may switch protocols, the head sent to the
 * target for them, and the 101 head sent back to the client. The bytes after
 * a 101 are the Tunnel's (tunnel.ts).
 *
 * Only `Upgrade: websocket` is honoured, and only on a bodiless HTTP/1.1 GET
 * the desync mitigation forwards as it is. Any other Upgrade (h2c, TLS, ...),
 * or one on HTTP/1.0, on a request with a body, or on a request forwarded
 * and closed (Ambiguous in defensive mode) is forwarded as a plain request
 * with Upgrade and Connection dropped as hop-by-hop, so the target cannot
 * switch protocols (a 101 it sends anyway is a 502). This is what ALB does
 * for h2c (HTTP/2 to targets is not over Upgrade) and it keeps the h2c
 * smuggling trick (tunnelling past the listener's rules) out.
 */
import type { RequestHead } from '../http/request-head.js';
import { responseHeaders, type ResponseHead } from '../http/response-head.js';
import { isNamed } from '../http/desync-text.js';
import { connectionTokens, isHopByHop } from '../http/hop-by-hop.js';
import type { BodyFraming } from './body-meter.js';

/**
 * The client's Upgrade value when this request may become a WebSocket, else
 * null. Called on every forwarded request: one pass comparing name lengths,
 * no allocation, unless there is an Upgrade header.
 */
export function websocketUpgrade(head: RequestHead, framing: BodyFraming): string | null {
  const h = head.headers;
  let upgrade: string | null = null;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i]!;
    if (name.length !== 7 || !isNamed(name, 'upgrade')) continue;
    if (upgrade !== null) return null; // several Upgrade fields: not a plain websocket handshake
    upgrade = h[i + 1]!;
  }
  if (upgrade === null) return null;
  if (head.method !== 'GET' || head.version !== 'HTTP/1.1' || !bodiless(framing)) return null;
  if (upgrade.trim().toLowerCase() !== 'websocket' || !connectionHas(h, 'upgrade')) return null;
  return upgrade.trim();
}

function bodiless(f: BodyFraming): boolean {
  return f.kind === 'none' || (f.kind === 'length' && f.length === 0);
}

/** Whether a comma-separated token list holds `lowerToken` (case-insensitive, whitespace ignored). */
export function hasToken(list: string, lowerToken: string): boolean {
  for (const part of list.split(',')) if (part.trim().toLowerCase() === lowerToken) return true;
  return false;
}

/** Whether any Connection field of a flat [name, value, ...] list names `lowerToken`. */
export function connectionHas(headers: readonly string[], lowerToken: string): boolean {
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    if (name.length === 10 && isNamed(name, 'connection') && hasToken(headers[i + 1]!, lowerToken)) return true;
  }
  return false;
}

/**
 * The head for the target: `wire` (built as for any request, so hop-by-hop
 * fields are gone and X-Forwarded-* and the trace id are in) plus the two
 * fields the handshake needs on this hop too.
 */
export function withUpgrade(wire: Buffer, upgrade: string): Buffer {
  const extra = Buffer.from(`Connection: upgrade\r\nUpgrade: ${upgrade}\r\n\r\n`, 'latin1');
  return Buffer.concat([wire.subarray(0, wire.length - 2), extra]);
}

/**
 * The 101 head for the client: the target's fields (Sec-WebSocket-Accept,
 * -Protocol, -Extensions, cookies, ...) minus hop-by-hop ones, then
 * Connection and Upgrade. null when the target's 101 does not say it switched
 * to websocket (RFC 9110 7.8: a 101 names the protocol): the caller answers 502.
 */
export function switchingHead(head: ResponseHead): string | null {
  const h = responseHeaders(head);
  let upgrade: string | null = null;
  for (let i = 0; i < h.length; i += 2) {
    if (h[i]!.length === 7 && isNamed(h[i]!, 'upgrade')) upgrade = h[i + 1]!;
  }
  if (upgrade === null || upgrade.toLowerCase() !== 'websocket') return null;
  const named = connectionTokens(h);
  let out = `HTTP/1.1 101 ${head.reason || 'Switching Protocols'}\r\n`;
  for (let i = 0; i < h.length; i += 2) {
    const lower = h[i]!.toLowerCase();
    if (!isHopByHop(lower, named)) out += `${h[i]!}: ${h[i + 1]!}\r\n`;
  }
  return `${out}Connection: upgrade\r\nUpgrade: ${upgrade}\r\n\r\n`;
}
