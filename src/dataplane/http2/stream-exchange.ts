/**
 * One HTTP/2 stream forwarded to an HTTP/1.1 target: the head request-out.ts
 * built (as for an HTTP/1.1 client), the stream's DATA as the body (as they
 * come under a content-length, chunk-encoded when there is none), then the
 * target's response head as HTTP/2 headers (headers.ts) and its body, decoded
 * (response-body.ts), as the stream's DATA.
 *
 * The target side is proxy/exchange.ts's: a pooled keep-alive socket or a
 * fresh one per attempt (upstream-socket.ts owners), the target's in-flight
 * count held from pick to finish (least outstanding requests), a connection
 * refused or reset before any response byte marks the target suspect and is
 * retried once on another target when the request is idempotent and the body
 * sent so far is still in hand; 502 for a bad response, 504 when the
 * connection's sweep finds the target timeout passed; a target that fails
 * mid-response resets the stream. Backpressure both ways: a full target
 * socket pauses the stream, a stream the client does not read pauses the target.
 *
 * Stream events reach the exchange through a symbol on the stream (module
 * functions: no listener closures per stream).
 */
import type { Socket } from 'node:net';
import { constants, type ServerHttp2Stream } from 'node:http2';
import { HttpParseError } from '../http/request-head.js';
import { parseResponseHead, BadResponseError, type ResponseHead } from '../http/response-head.js';
import type { BodyFraming } from '../http/desync.js';
import { buildUpstreamRequest } from '../proxy/request-out.js';
import type { GroupRuntime } from '../proxy/target-sets.js';
import type { UpstreamTarget } from '../proxy/upstream.js';
import { newUpstreamSocket, setOwner, type UpstreamOwner } from '../proxy/upstream-socket.js';
import { countTargetStatus, observeResponseTime } from '../stats.js';
import { responseToH2 } from './headers.js';
import { RequestBody } from './request-body.js';
import { DecodedBody } from './response-body.js';
import type { StreamHost, StreamRequest } from './stream-types.js';

const MAX_RESPONSE_HEAD = 65536;
const CHUNKED: BodyFraming = { kind: 'chunked' };

const kExchange = Symbol('shoal.h2-exchange');
type Owned = ServerHttp2Stream & { [kExchange]?: StreamExchange };

export class StreamExchange implements UpstreamOwner {
  readonly stream: ServerHttp2Stream;
  private readonly host: StreamHost;
  private readonly req: StreamRequest;
  private readonly group: GroupRuntime;
  target: UpstreamTarget;
  private upstream: Socket | null = null;
  private head: Buffer;
  private readonly reqBody: RequestBody;
  private reused = false;
  private connected = false;
  private attempts = 0;
  private responseDone = false;
  private respBuf: Buffer | null = null;
  private resp: ResponseHead | null = null;
  private body: DecodedBody | null = null;
  private upstreamReusable = true;
  private sentAt = 0;
  /** Tick when the head went to the target; 0 once the response head arrived. */
  waitingSince = 0;
  /** Over: answered, failed or abandoned (a stream reset by the client before this is a reset that cost us work). */
  finished = false;

  constructor(host: StreamHost, stream: ServerHttp2Stream, req: StreamRequest, picked: { group: GroupRuntime; target: UpstreamTarget }) {
    this.host = host;
    this.stream = stream;
    this.req = req;
    this.group = picked.group;
    this.target = picked.target;
    this.head = req.head;
    this.reqBody = new RequestBody(req.framing);
    (stream as Owned)[kExchange] = this;
    stream.on('data', onStreamData);
    stream.on('end', onStreamEnd);
    stream.on('drain', onStreamDrain);
  }

  /** Sends the head now, or once the first DATA or the end of the stream says how the body is framed. */
  start(): void {
    if (this.reqBody.framing !== null) this.send();
  }

  private send(): void {
    this.attach();
    this.target.bytesSent += this.head.length;
    this.upstream!.write(this.head);
  }

  clientData(chunk: Buffer): void {
    if (this.finished) return;
    const body = this.reqBody;
    if (body.framing === null) {
      this.head = buildUpstreamRequest({ ...this.req.outbound, framing: CHUNKED }).wire;
      body.frame(CHUNKED);
      this.send();
    }
    if (this.req.record !== null) this.req.record.bodyBytes += chunk.length;
    const pieces = body.take(chunk);
    if (pieces.length === 1) this.write(pieces[0]!);
    else if (pieces.length > 1) {
      const sock = this.upstream!;
      sock.cork();
      for (const p of pieces) this.write(p);
      sock.uncork();
    }
    this.maybeFinish();
  }

  clientEnd(): void {
    if (this.finished) return;
    const body = this.reqBody;
    if (body.framing === null) {
      body.frame({ kind: 'none' });
      return this.send();
    }
    const last = body.finish();
    if (last !== null) this.write(last);
    this.maybeFinish();
  }

  private write(bytes: Buffer): void {
    this.target.bytesSent += bytes.length;
    // Backpressure: stop reading the stream until the target drains (upstreamDrained resumes it).
    if (!this.upstream!.write(bytes)) this.stream.pause();
  }

  private attach(): void {
    this.attempts++;
    const svc = this.host.services;
    const idle = this.target.takeIdle(svc.tick(), svc.upstreamIdleSeconds);
    this.reused = idle !== undefined;
    this.connected = this.reused;
    const sock = idle ?? newUpstreamSocket(this.target);
    setOwner(sock, this);
    this.upstream = sock;
    this.waitingSince = svc.tick();
    if (this.attempts === 1) {
      this.sentAt = svc.hrnow();
      this.req.stats.requests++;
      if (this.req.record !== null) this.req.record.sentAt = this.sentAt;
    }
  }

  private detach(destroy: boolean): void {
    const sock = this.upstream;
    if (sock === null) return;
    this.upstream = null;
    setOwner(sock, null);
    if (destroy || !this.upstreamReusable || sock.destroyed) {
      sock.destroy();
      return;
    }
    const svc = this.host.services;
    // An idle pooled socket must keep reading, or a close by the target would go unnoticed.
    if (sock.isPaused()) sock.resume();
    this.target.putIdle(sock, svc.tick(), svc.maxIdlePerTarget);
  }

  onConnect(): void {
    this.connected = true;
  }

  onUpstreamData(chunk: Buffer): void {
    if (this.finished) return;
    this.target.bytesReceived += chunk.length;
    if (this.resp !== null) return this.responseBody(chunk, 0);
    this.respBuf = this.respBuf === null ? chunk : Buffer.concat([this.respBuf, chunk]);
    for (;;) {
      let head: ResponseHead | null;
      try {
        head = parseResponseHead(this.respBuf, MAX_RESPONSE_HEAD);
      } catch (err) {
        if (err instanceof BadResponseError) return this.fail(502, 'TargetResponseMalformed');
        throw err;
      }
      if (head === null) return;
      // 100 Continue is passed on (a client may wait for it before its body), other interim responses are
      // not; a 101 cannot be (HTTP/2 has no Upgrade): a bad response.
      if (head.statusCode === 101) return this.fail(502, 'TargetResponseMalformed');
      if (head.statusCode >= 200) return this.beginResponse(head);
      if (head.statusCode === 100) this.continue();
      if (head.headLength === this.respBuf.length) {
        this.respBuf = null;
        return;
      }
      this.respBuf = this.respBuf.subarray(head.headLength);
    }
  }

  private continue(): void {
    const s = this.stream;
    if (s.headersSent || s.closed || s.destroyed) return;
    try {
      s.additionalHeaders({ ':status': 100 });
    } catch {
      // the stream closed under us: its close handler aborts this exchange
    }
  }

  private beginResponse(head: ResponseHead): void {
    const buf = this.respBuf!;
    this.respBuf = null;
    this.resp = head;
    this.waitingSince = 0;
    const svc = this.host.services;
    const now = svc.hrnow();
    observeResponseTime(this.req.stats.responseTime, (now - this.sentAt) / 1000, svc.random);
    const rec = this.req.record;
    if (rec !== null) {
      rec.target = this.target.key;
      rec.targetHeadAt = rec.respondedAt = now;
      rec.targetStatus = rec.elbStatus = head.statusCode;
    }
    countTargetStatus(this.req.stats, head.statusCode);
    this.group.balancer.observe?.(this.target, head.statusCode >= 500);
    const setCookies = this.req.setCookies + (this.group.sticky?.responseLines(this.target.key, head.text.slice(0, head.headLength), svc.tick()) ?? '');
    if (head.close) this.upstreamReusable = false;
    this.body = DecodedBody.of(head, this.req.method);
    if (this.body.untilClose) this.upstreamReusable = false;
    const s = this.stream;
    if (s.destroyed || s.closed) return this.abort();
    try {
      s.respond(responseToH2(head, setCookies), { endStream: this.body.done });
    } catch {
      return this.fail(502, 'TargetResponseMalformed'); // a field node:http2 will not send
    }
    this.responseBody(buf, head.headLength);
  }

  private responseBody(chunk: Buffer, start: number): void {
    let end: number;
    try {
      end = this.body!.take(chunk, start, this.sink);
    } catch (err) {
      if (!(err instanceof HttpParseError)) throw err;
      return this.cutOff();
    }
    if (end < chunk.length) this.upstreamReusable = false; // bytes after the response: do not trust this socket
    if (this.body!.done || end < chunk.length) return this.endResponse();
    this.flush();
  }

  /**
   * Decoded response data, held one piece back so the last piece goes out with the end of the stream
   * (stream.end(data)): a write followed by an end costs node:http2 a second write request.
   */
  private held: Buffer | null = null;
  private readonly sink = (data: Buffer): void => {
    if (this.req.record !== null) this.req.record.sentBytes += data.length;
    this.flush();
    this.held = data;
  };

  private flush(): void {
    const data = this.held;
    if (data === null) return;
    this.held = null;
    const s = this.stream;
    // Backpressure: a stream the client does not read pauses the target (clientDrained resumes it).
    if (!s.writableEnded && !s.write(data) && this.upstream !== null) this.upstream.pause();
  }

  private endResponse(): void {
    const s = this.stream;
    this.responseDone = true;
    const last = this.held;
    this.held = null;
    if (!s.writableEnded) {
      if (last === null) s.end();
      else s.end(last);
    }
    if (!this.reqBody.complete) {
      // The target answered before reading the whole body: its connection cannot carry another
      // request, and the client is told to stop sending (RST_STREAM NO_ERROR, RFC 9113 8.1).
      this.upstreamReusable = false;
      this.reqBody.complete = true;
      s.close(constants.NGHTTP2_NO_ERROR);
    }
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (!this.finished && this.reqBody.complete && this.responseDone) this.end(false);
  }

  /** Ends the exchange: the target's count back, its socket pooled or destroyed. */
  private end(destroy: boolean): void {
    this.finished = true;
    this.target.inflight--;
    this.detach(destroy);
    this.host.exchangeEnded(this);
  }

  upstreamDrained(): void {
    if (this.stream.isPaused()) this.stream.resume();
  }

  clientDrained(): void {
    if (this.upstream !== null && this.upstream.isPaused()) this.upstream.resume();
  }

  onUpstreamClose(error: NodeJS.ErrnoException | null): void {
    if (this.finished) return;
    if (this.body !== null && this.body.untilClose && error === null) return this.endResponse();
    if (this.resp !== null) return this.cutOff();
    const refusedOrReset = !this.connected || error?.code === 'ECONNRESET' || error?.code === 'EPIPE';
    if (!this.reused && refusedOrReset) {
      const svc = this.host.services;
      this.req.stats.connectionErrors++;
      svc.targets.markSuspect(this.target.key);
      svc.targetFailed(this.target.key, error?.code ?? 'connection closed');
    }
    if (this.attempts < 2 + (this.reused ? 1 : 0) && this.req.idempotent && this.reqBody.replay !== null) return this.retry();
    this.fail(502, 'TargetConnectionError');
  }

  private retry(): void {
    const failed = this.target;
    this.detach(true);
    // A stale pooled socket is our own fault: try the same target on a fresh connection.
    const next = this.reused ? failed : (this.group.balancer.pick(this.group.candidates, failed) as UpstreamTarget | undefined);
    if (next === undefined || (next === failed && !this.reused)) return this.fail(502, 'TargetConnectionError');
    failed.inflight--;
    next.inflight++;
    this.target = next;
    this.send();
    for (const b of this.reqBody.replay!) {
      this.target.bytesSent += b.length;
      this.upstream!.write(b);
    }
  }

  /** The client reset the stream or went away: abandon the target connection. */
  abort(): void {
    if (!this.finished) this.end(true);
  }

  /** The target did not answer in time. */
  timedOut(): void {
    if (!this.finished && this.resp === null) this.fail(504, 'TargetTimeout');
  }

  /** Still waiting for the target's response head (the target timeout applies). */
  awaitingHead(): boolean {
    return !this.finished && this.resp === null && this.waitingSince !== 0;
  }

  /** Mid-response failure: the headers are out, so the only honest signal is to reset the stream. */
  private cutOff(): void {
    if (this.finished) return;
    if (this.req.record !== null) this.req.record.errorReason = 'ResponseIncomplete';
    this.end(true);
    if (!this.stream.destroyed) this.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  }

  /** No response reached the client: it gets `status`; `reason` is the access log's error_reason. */
  private fail(status: 502 | 504, reason: string): void {
    if (this.finished) return;
    const rec = this.req.record;
    if (rec !== null) {
      rec.target = this.target.key;
      rec.errorReason = reason;
    }
    this.group.balancer.observe?.(this.target, true);
    this.end(true);
    this.host.exchangeFailed(this.stream, status);
  }
}

function exchangeOf(stream: ServerHttp2Stream): StreamExchange | undefined {
  return (stream as Owned)[kExchange];
}
function onStreamData(this: ServerHttp2Stream, chunk: Buffer): void {
  exchangeOf(this)?.clientData(chunk);
}
function onStreamEnd(this: ServerHttp2Stream): void {
  exchangeOf(this)?.clientEnd();
}
function onStreamDrain(this: ServerHttp2Stream): void {
  exchangeOf(this)?.clientDrained();
}

/** The exchange a stream is forwarded by, if any (the connection aborts it when the stream closes). */
export { exchangeOf };
