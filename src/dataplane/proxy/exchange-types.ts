/** The contracts between a client connection and the exchange forwarding its request. */
import type { Socket } from 'node:net';
import type { TargetGroupSecond } from '../stats.js';
import type { BodyFraming } from './body-meter.js';
import type { WorkerServices } from './context.js';
import type { Switched } from './tunnel.js';
import type { AccessRecord } from '../access-log/record.js';

/** What the client side must supply and will be told. */
export interface ExchangeClient {
  readonly socket: Socket;
  readonly services: WorkerServices;
  /** The access log entry of this request while its load balancer logs, else null (access-log/record.ts). */
  readonly record: AccessRecord | null;
  /** The request finished (both ways) with the target's `status`. closeClient: the client connection cannot be reused. */
  exchangeDone(closeClient: boolean, status: number): void;
  /** The exchange failed before a response reached the client: answer with this status. */
  exchangeFailed(status: 502 | 503 | 504, closeClient: boolean): void;
  /** The request body was malformed: answer 400 and close (or cut the connection if a response began). */
  exchangeRejected(responseStarted: boolean): void;
  /** WebSocket: the target answered 101; the connection becomes a tunnel (tunnel.ts). */
  exchangeUpgraded(s: Switched): void;
}

export interface ExchangeRequest {
  method: string;
  /** The request head for the target, ready to write. */
  head: Buffer;
  framing: BodyFraming;
  idempotent: boolean;
  clientKeepAlive: boolean;
  http10: boolean;
  reuseUpstream: boolean;
  /** A WebSocket handshake (upgrade.ts): on a fresh target connection, never a pooled one. */
  upgrade: boolean;
  /** This second's counters of the (load balancer, target group) pair. */
  stats: TargetGroupSecond;
  /** Set-Cookie lines to add to the response (target group stickiness), "" when none. */
  setCookies: string;
}
