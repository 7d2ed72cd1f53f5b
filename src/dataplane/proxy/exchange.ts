/**
 * One request forwarded to a target: connect (or reuse a pooled keep-alive
 * socket), write the head and stream the request body as raw bytes, parse the
 * response head, stream the response body back, then return the socket to the
 * pool. Errors are classified so the connection knows whether to retry
 * (refused/reset before any response byte, idempotent request, body replayable)
 * and whether to blame the target.
 *
 * Called on every request: socket listeners are installed once per socket and
 * dispatch through a symbol to the current owner, so no closure per request.
 */
import type { Socket } from 'node:net';
import { HttpParseError } from '../http/request-head.js';
import { parseResponseHead, BadResponseError, type ResponseHead } from '../http/response-head.js';
import type { UpstreamTarget } from './upstream.js';
import { newUpstreamSocket, setOwner, type UpstreamOwner } from './upstream-socket.js';
import { countTargetStatus, observeResponseTime } from '../stats.js';
import type { GroupRuntime } from './target-sets.js';
import { buildResponseHead } from './response-out.js';
import { BodyMeter, responseMeter } from './body-meter.js';
import type { ExchangeClient, ExchangeRequest } from './exchange-types.js';
import { switchingHead } from './upgrade.js';

const MAX_RESPONSE_HEAD = 65536;


export class Exchange implements UpstreamOwner {
  readonly client: ExchangeClient;
  readonly req: ExchangeRequest;
  target: UpstreamTarget;
  private readonly group: GroupRuntime;
  upstream: Socket | null = null;
  private reused = false;
  private connected = false;
  /** Request body bytes written so far are all in `replay` (so a retry can resend them). */
  private replay: Buffer[] | null = [];
  private readonly reqBody: BodyMeter;
  /** Response state. */
  private respBuf: Buffer | null = null;
  private resp: ResponseHead | null = null;
  private respBody: BodyMeter | null = null;
  responseStarted = false;
  private responseDone = false;
  private upstreamReusable = true;
  private closeClientAfter = false;
  /** Tick when the request was sent; 0 once the response head arrived. */
  waitingSince = 0;
  attempts = 0;
  /** hrnow() when the request first went to a target (TargetResponseTime). */
  private sentAt = 0;
  private finished = false;

  constructor(client: ExchangeClient, req: ExchangeRequest, group: GroupRuntime, target: UpstreamTarget) {
    this.client = client;
    this.req = req;
    this.group = group;
    this.target = target;
    this.reqBody = BodyMeter.request(req.framing);
    this.upstreamReusable = req.reuseUpstream;
  }

  /** Sends the head and whatever body bytes came with it; returns how many of `rest` belong to this request. */
  start(rest: Buffer | null): number {
    this.attach();
    const used = rest === null || this.requestDone ? 0 : this.bodyBytes(rest, 0);
    if (this.finished) return rest!.length; // malformed body: the head never left
    const sock = this.upstream!;
    this.target.bytesSent += this.req.head.length;
    if (used === 0) {
      sock.write(this.req.head);
      return 0;
    }
    sock.cork();
    sock.write(this.req.head);
    this.writeBody(rest!, used);
    sock.uncork();
    return used;
  }

  /** More request body from the client; returns bytes consumed (the rest is the next request). */
  clientData(chunk: Buffer): number {
    if (this.requestDone) return 0;
    const used = this.bodyBytes(chunk, 0);
    if (this.finished) return chunk.length;
    if (used > 0) {
      this.replay = null; // streamed beyond the first read: no retry
      const sock = this.upstream!;
      sock.cork();
      this.writeBody(chunk, used);
      sock.uncork();
    }
    if (this.requestDone) this.maybeFinish();
    return used;
  }

  /** The client went away: abandon the target connection. */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    this.target.inflight--;
    this.detach(true);
  }

  /** The target did not answer in time. */
  timedOut(): void {
    if (this.finished || this.responseStarted) return;
    this.fail(504, 'TargetTimeout');
  }

  /** The whole request body has reached us. */
  get requestDone(): boolean {
    return this.reqBody.done;
  }

  private bodyBytes(buf: Buffer, start: number): number {
    try {
      const n = this.reqBody.advance(buf, start) - start;
      const rec = this.client.record;
      if (rec !== null) rec.bodyBytes += n;
      return n;
    } catch (err) {
      if (!(err instanceof HttpParseError)) throw err;
      this.rejectBody();
      return buf.length - start;
    }
  }

  /** The client's chunked body broke the grammar: cut the target off before it has a complete request. */
  private rejectBody(): void {
    if (this.finished) return;
    this.finished = true;
    this.target.inflight--;
    this.detach(true);
    this.client.exchangeRejected(this.responseStarted);
  }

  /** Sends the body bytes chunk[0, used) took: as they came, or re-encoded (a chunked body). */
  private writeBody(chunk: Buffer, used: number): void {
    const enc = this.reqBody.encoder;
    if (enc === null) return this.send(used === chunk.length ? chunk : chunk.subarray(0, used));
    for (const piece of enc.take()) this.send(piece);
  }

  private send(bytes: Buffer): void {
    if (this.replay !== null) this.replay.push(bytes);
    this.target.bytesSent += bytes.length;
    const sock = this.upstream;
    // Backpressure: stop reading the client until the target drains (onUpstreamDrain resumes it).
    if (sock !== null && !sock.write(bytes)) this.client.socket.pause();
  }

  private attach(): void {
    this.attempts++;
    const svc = this.client.services;
    const idle = this.req.upgrade ? undefined : this.target.takeIdle(svc.tick(), svc.upstreamIdleSeconds);
    this.reused = idle !== undefined;
    this.connected = this.reused;
    const sock = idle ?? newUpstreamSocket(this.target);
    setOwner(sock, this);
    this.upstream = sock;
    this.waitingSince = svc.tick();
    if (this.attempts === 1) {
      this.sentAt = svc.hrnow();
      this.req.stats.requests++;
      const rec = this.client.record;
      if (rec !== null) rec.sentAt = this.sentAt;
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
    const svc = this.client.services;
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
    if (this.resp === null) {
      this.respBuf = this.respBuf === null ? chunk : Buffer.concat([this.respBuf, chunk]);
      this.readHead();
      return;
    }
    this.responseBody(chunk, 0);
  }

  private readHead(): void {
    for (;;) {
      let head: ResponseHead | null;
      try {
        head = parseResponseHead(this.respBuf!, MAX_RESPONSE_HEAD);
      } catch (err) {
        if (err instanceof BadResponseError) return this.fail(502, 'TargetResponseMalformed');
        throw err;
      }
      if (head === null) return;
      const rest = this.respBuf!.subarray(head.headLength);
      this.responseStarted = true;
      if (head.statusCode >= 100 && head.statusCode < 200) {
        if (head.statusCode === 101) return this.switchProtocols(head); // WebSocket
        if (!this.req.http10) this.client.socket.write(buildResponseHead(head, { close: false, http10: false, interim: true }), 'latin1');
        this.respBuf = rest.length > 0 ? rest : null;
        if (this.respBuf === null) return;
        continue;
      }
      const buf = this.respBuf!;
      this.respBuf = null;
      this.beginResponse(head, buf);
      return;
    }
  }

  /**
   * WebSocket hook (upgrade.ts, tunnel.ts): the target accepted the handshake. The request ends here,
   * counted as any other (1xx has no status-class metric), and both sockets go to a tunnel. A 101 to
   * a request that did not ask to upgrade, or one not naming websocket, is a 502.
   */
  private switchProtocols(head: ResponseHead): void {
    const out = this.req.upgrade ? switchingHead(head) : null;
    if (out === null) return this.fail(502, 'TargetResponseMalformed');
    const sock = this.upstream!;
    const after = this.respBuf!.subarray(head.headLength);
    this.respBuf = null;
    this.resp = head;
    this.waitingSince = 0;
    this.finished = true;
    this.target.inflight--;
    this.upstream = null;
    const svc = this.client.services;
    const now = svc.hrnow();
    observeResponseTime(this.req.stats.responseTime, (now - this.sentAt) / 1000, svc.random);
    this.recordResponse(now, 101);
    this.client.exchangeUpgraded({ upstream: sock, target: this.target, head: out, fromTarget: after.length > 0 ? after : null });
  }

  /** `buf` holds the response head at [0, head.headLength) and possibly the start of the body. */
  private beginResponse(head: ResponseHead, buf: Buffer): void {
    this.resp = head;
    this.waitingSince = 0;
    const svc = this.client.services;
    const now = svc.hrnow();
    observeResponseTime(this.req.stats.responseTime, (now - this.sentAt) / 1000, svc.random);
    countTargetStatus(this.req.stats, head.statusCode);
    this.recordResponse(now, head.statusCode);
    this.group.balancer.observe?.(this.target, head.statusCode >= 500);
    const setCookies = this.req.setCookies + (this.group.sticky?.responseLines(this.target.key, head.text.slice(0, head.headLength), svc.tick()) ?? '');
    if (head.close) this.upstreamReusable = false;
    let closeClient = !this.req.clientKeepAlive || !this.requestDone;
    this.respBody = responseMeter(head, this.req.method, this.req.http10);
    if (this.respBody.untilClose) {
      this.upstreamReusable = false;
      closeClient = true;
    }
    if (closeClient) this.closeClientAfter = true;
    const end = this.bodyEnd(buf, head.headLength);
    if (end < 0) return;
    const cs = this.client.socket;
    if (head.passthrough && !this.closeClientAfter && !this.req.http10 && setCookies === '') {
      // Fast path: the target's head needs no change, so head and body go out as received, in one write.
      this.forward(end === buf.length ? buf : buf.subarray(0, end));
    } else {
      const out = buildResponseHead(head, { close: this.closeClientAfter, http10: this.req.http10, interim: false, extra: setCookies });
      if (end > head.headLength) {
        cs.cork();
        cs.write(out, 'latin1');
        this.forward(buf.subarray(head.headLength, end));
        cs.uncork();
      } else {
        cs.write(out, 'latin1');
      }
    }
    this.afterBody(buf, end);
  }

  /** The access log's target fields: who answered, when its head arrived (forwarded at once), with what. */
  private recordResponse(now: number, status: number): void {
    const rec = this.client.record;
    if (rec === null) return;
    rec.target = this.target.key;
    rec.targetHeadAt = rec.respondedAt = now;
    rec.targetStatus = status;
  }

  private responseBody(chunk: Buffer, start: number): void {
    const end = this.bodyEnd(chunk, start);
    if (end < 0) return;
    if (end > start) this.forward(start === 0 && end === chunk.length ? chunk : chunk.subarray(start, end));
    this.afterBody(chunk, end);
  }

  /**
   * Advances the response framing over chunk[start..]; returns where this
   * response's bytes end, or -1 when the target broke chunked framing (the
   * exchange is then cut off: the status line may already be out).
   */
  private bodyEnd(chunk: Buffer, start: number): number {
    try {
      return this.respBody!.advance(chunk, start);
    } catch (err) {
      if (!(err instanceof HttpParseError)) throw err;
      this.cutOff();
      return -1;
    }
  }

  private afterBody(chunk: Buffer, end: number): void {
    if (end < chunk.length) this.upstreamReusable = false; // bytes after the response: do not trust this socket
    if (this.respBody!.done || end < chunk.length) this.endResponse();
  }

  private forward(bytes: Buffer): void {
    // Backpressure: stop reading the target until the client drains (clientDrained resumes it).
    if (!this.client.socket.write(bytes) && this.upstream !== null) this.upstream.pause();
  }

  /** The target socket drained: read more of the client's body. */
  upstreamDrained(): void {
    if (this.client.socket.isPaused()) this.client.socket.resume();
  }

  /** The client socket drained: the target may send more. */
  clientDrained(): void {
    if (this.upstream !== null && this.upstream.isPaused()) this.upstream.resume();
  }

  private endResponse(): void {
    this.responseDone = true;
    if (!this.requestDone) {
      // The target answered before reading the whole request: the client connection cannot be reused.
      this.closeClientAfter = true;
      this.upstreamReusable = false;
    }
    this.maybeFinish(true);
  }

  private maybeFinish(force = false): void {
    if (this.finished || !this.responseDone || (!this.requestDone && !force)) return;
    this.finished = true;
    this.target.inflight--;
    this.detach(false);
    this.client.exchangeDone(this.closeClientAfter, this.resp!.statusCode);
  }

  /** Upstream socket ended or failed. */
  onUpstreamClose(error: NodeJS.ErrnoException | null): void {
    if (this.finished) return;
    if (this.resp !== null && this.respBody?.untilClose && error === null) {
      this.upstreamReusable = false;
      this.endResponse();
      return;
    }
    if (this.responseStarted) return this.cutOff();
    const refusedOrReset = !this.connected || error?.code === 'ECONNRESET' || error?.code === 'EPIPE';
    if (!this.reused && refusedOrReset) {
      const svc = this.client.services;
      this.req.stats.connectionErrors++;
      svc.targets.markSuspect(this.target.key);
      svc.targetFailed(this.target.key, error?.code ?? 'connection closed');
    }
    if (this.canRetry()) return this.retry();
    this.fail(502, 'TargetConnectionError');
  }

  private canRetry(): boolean {
    return this.attempts < 2 + (this.reused ? 1 : 0) && this.req.idempotent && this.replay !== null;
  }

  private retry(): void {
    const failed = this.target;
    this.detach(true);
    // A stale pooled socket is our own fault: try the same target on a fresh connection.
    const next = this.reused ? failed : (this.group.balancer.pick(this.group.candidates, failed) as UpstreamTarget | undefined);
    if (next === undefined || next === failed && !this.reused) return this.fail(502, 'TargetConnectionError');
    failed.inflight--;
    next.inflight++;
    this.target = next;
    const body = this.replay!;
    this.attach();
    const sock = this.upstream!;
    sock.cork();
    sock.write(this.req.head);
    this.target.bytesSent += this.req.head.length;
    for (const b of body) {
      sock.write(b);
      this.target.bytesSent += b.length;
    }
    sock.uncork();
  }

  /** Mid-response failure: the head is already out, so the only honest signal is to cut the client off. */
  private cutOff(): void {
    if (this.finished) return;
    this.finished = true;
    this.target.inflight--;
    this.detach(true);
    this.client.socket.destroy();
  }

  /** No response reached the client: it gets `status`; `reason` is the access log's error_reason. */
  private fail(status: 502 | 504, reason: string): void {
    if (this.finished) return;
    const rec = this.client.record;
    if (rec !== null) {
      rec.target = this.target.key;
      rec.errorReason = reason;
    }
    this.group.balancer.observe?.(this.target, true);
    this.finished = true;
    this.target.inflight--;
    this.detach(true);
    this.client.exchangeFailed(status, !this.requestDone || !this.req.clientKeepAlive);
  }

  /** Still waiting for the target's response head (the target timeout applies). */
  awaitingHead(): boolean {
    return !this.finished && this.resp === null;
  }
}
