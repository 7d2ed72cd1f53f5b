/**
 * One access log entry in the making: what the HTTP engine learns about a
 * request as it goes (received, routed, sent to a target, answered), in the
 * terms of ALB's access log fields. One record per client connection, reset
 * for each request (a connection carries one request at a time), so logging
 * allocates nothing per request until the line is formatted.
 *
 * Times are monotonic milliseconds (services.hrnow); -1 where ALB logs -1
 * (the step did not happen). Strings are null where ALB logs "-".
 */
import type { ConnectionSegments } from './format.js';

/** ALB's entry types shoal writes: h2 is an HTTP/2 request (over TLS). */
export type EntryType = 'http' | 'https' | 'h2' | 'ws' | 'wss';

/** ALB's actions_executed values shoal takes. */
export type ExecutedAction = 'forward' | 'redirect' | 'fixed-response';

export class AccessRecord {
  type: EntryType;
  readonly clientIp: string;
  readonly clientPort: number;
  /** client:port as the line writes it ([v6]:port), once per connection. */
  readonly client: string;
  /** conn_trace_id: the same for every request of the connection. */
  readonly connTraceId: string;
  /** TLS: the negotiated cipher (OpenSSL name), protocol (TLSv1.3) and the client's SNI name. */
  sslCipher: string | null = null;
  sslProtocol: string | null = null;
  domainName: string | null = null;

  /** The request head was complete. */
  receivedAt = -1;
  /** First sent to a target / the target's response head arrived / the answer started to the client. */
  sentAt = -1;
  targetHeadAt = -1;
  respondedAt = -1;
  elbStatus = 0;
  /** 0: no response from a target ("-"). */
  targetStatus = 0;
  /** Request body bytes read (received_bytes adds the head). */
  headBytes = 0;
  bodyBytes = 0;
  /** socket.bytesWritten when the request arrived; sent_bytes is what was written since, set at the end. */
  writtenBefore = 0;
  sentBytes = 0;
  /** socket.bytesRead when the request arrived (a WebSocket entry counts the tunnel's bytes from there). */
  readBefore = 0;
  method: string | null = null;
  /** scheme://host:port/path?query, as ALB logs the request line's URL. */
  url: string | null = null;
  version: string | null = null;
  userAgent: string | null = null;
  /** ip:port of the target that answered (the last one tried). */
  target: string | null = null;
  targetGroup: string | null = null;
  traceId: string | null = null;
  /** -1: no rule evaluated (a malformed request: "-"); 0: the default action. */
  matchedPriority = -1;
  action: ExecutedAction | null = null;
  redirectUrl: string | null = null;
  /** shoal's reason for an answer the load balancer made itself (docs/load-balancing.md), null for "-". */
  errorReason: string | null = null;
  /** Desync classification of a non-compliant request (Acceptable, Ambiguous, Severe) and its reason. */
  classification: string | null = null;
  classificationReason: string | null = null;
  /** The connection's fields as the ALB line writes them, made by format.ts at the first line. */
  segments: ConnectionSegments | null = null;

  constructor(type: EntryType, clientIp: string, clientPort: number, connTraceId: string) {
    this.type = type;
    this.clientIp = clientIp;
    this.clientPort = clientPort;
    this.client = `${clientIp.includes(':') ? `[${clientIp}]` : clientIp}:${clientPort}`;
    this.connTraceId = connTraceId;
  }

  /** A new request on this connection: everything per request back to "not happened". */
  begin(at: number, writtenBefore: number): void {
    this.receivedAt = at;
    this.sentAt = this.targetHeadAt = this.respondedAt = -1;
    this.elbStatus = this.targetStatus = 0;
    this.headBytes = this.bodyBytes = this.sentBytes = 0;
    this.writtenBefore = writtenBefore;
    this.method = this.url = this.version = this.userAgent = null;
    this.target = this.targetGroup = this.traceId = null;
    this.matchedPriority = -1;
    this.action = null;
    this.redirectUrl = this.errorReason = null;
    this.classification = this.classificationReason = null;
  }
}

/** ALB's request URL: scheme://host:listener-port/target, the Host without its own port ("-" when there is none). */
export function requestUrl(https: boolean, host: string, port: number, target: string): string {
  return `${https ? 'https' : 'http'}://${host === '' ? '-' : hostWithoutPort(host)}:${port}${target}`;
}

function hostWithoutPort(host: string): string {
  const i = host.lastIndexOf(':');
  return i < 0 || host.endsWith(']') ? host : host.slice(0, i);
}
