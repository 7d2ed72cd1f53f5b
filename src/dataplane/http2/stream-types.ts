/** The contracts between an HTTP/2 connection and the exchange forwarding one of its streams (stream-exchange.ts). */
import type { ServerHttp2Stream } from 'node:http2';
import type { AccessRecord } from '../access-log/record.js';
import type { BodyFraming } from '../http/desync.js';
import type { WorkerServices } from '../proxy/context.js';
import type { OutboundOptions } from '../proxy/request-out.js';
import type { TargetGroupSecond } from '../stats.js';
import type { StreamExchange } from './stream-exchange.js';

/** What the exchange tells the connection that started it. */
export interface StreamHost {
  readonly services: WorkerServices;
  /** Nothing reached the client yet: answer the stream with this status. */
  exchangeFailed(stream: ServerHttp2Stream, status: 502 | 504): void;
  /** The exchange is over (answered, failed or abandoned). */
  exchangeEnded(ex: StreamExchange): void;
}

export interface StreamRequest {
  method: string;
  /** The head for the target, built for `framing` (for no body while the framing is unknown). */
  head: Buffer;
  /** null: no content-length and the stream still open; the first DATA (chunked) or the end (none) decides. */
  framing: BodyFraming | null;
  /** What `head` was built from, to build it again once the framing is known. */
  outbound: OutboundOptions;
  idempotent: boolean;
  stats: TargetGroupSecond;
  /** Set-Cookie lines for the response (target group stickiness), "" when none. */
  setCookies: string;
  /** The stream's access log entry, null when the load balancer does not log. */
  record: AccessRecord | null;
}
