/**
 * One client connection: read a request head, classify it (desync mitigation),
 * route it, and either answer directly (fixed response, redirect, errors) or
 * hand it to an Exchange. Keep-alive and pipelining: the next request is read
 * only once the current one has finished; bytes that arrive early wait in
 * `pending` with the socket paused.
 */
import type { Socket } from 'node:net';
import type { Action } from '../../model/load-balancer.js';
import { parseRequestHead, HttpParseError, type RequestHead } from '../http/request-head.js';
import { classifyRequest, decide } from '../http/desync.js';
import { cannedResponse, errorBodyFor, reasonResponse } from '../http/canned.js';
import { renderRedirect } from '../routing/router.js';
import { chooseTargetGroup } from './forward-group.js';
import type { FrontConnection, ListenerHandle, WorkerServices } from './context.js';
import { Exchange } from './exchange.js';
import type { ExchangeClient } from './exchange-types.js';
import { buildUpstreamRequest, type UpstreamRequest } from './request-out.js';
import { RequestFacts } from './request-facts.js';
import type { UpstreamTarget } from './upstream.js';
import type { LoadBalancerSecond } from '../stats.js';
import { websocketUpgrade, withUpgrade } from './upgrade.js';
import { Tunnel, type Switched } from './tunnel.js';
import type { TLSSocket } from 'node:tls';
import { AccessRecord, requestUrl } from '../access-log/record.js';

const kConn = Symbol('shoal.client');
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export class ClientConnection implements ExchangeClient, FrontConnection {
  readonly socket: Socket;
  readonly services: WorkerServices;
  private readonly listener: ListenerHandle;
  private readonly facts: RequestFacts;
  private pending: Buffer | null = null;
  exchange: Exchange | null = null;
  /** Tick when the current partial head began arriving; 0 when none is pending. */
  headSince = 0;
  private closing = false;
  private bytesCounted = 0;
  /** Tick of the last byte read or response finished (idle timeout, checked by sweep: no timer per socket). */
  private lastActive: number;
  private clientEnded = false;
  /** Method of the request being answered (HEAD responses carry no body). */
  private method = '';
  /** WebSocket: set once the target switched protocols; the connection reads no HTTP after that. */
  private tunnel: Tunnel | null = null;
  /** Header lines the listener adds to every request of this connection (mTLS passthrough), or null. */
  private readonly extraLines: Buffer | null;
  /** The access log entry of the request in progress while its load balancer logs (access-log/), else null. */
  record: AccessRecord | null = null;
  /** This connection's entry object, made at its first logged request and reused for the next ones. */
  private entry: AccessRecord | null = null;

  constructor(socket: Socket, services: WorkerServices, listener: ListenerHandle, extraLines: Buffer | null = null) {
    this.socket = socket;
    this.services = services;
    this.listener = listener;
    this.extraLines = extraLines;
    this.facts = new RequestFacts(socket.remoteAddress ?? '', listener.current.port, listener.current.protocol === 'HTTPS' ? 'HTTPS' : 'HTTP');
    (socket as Owned)[kConn] = this;
    socket.setNoDelay(true);
    this.lastActive = services.tick();
    socket.on('end', onClientEnd);
    socket.on('error', noop);
    socket.on('close', onClientClose);
    socket.on('drain', onClientDrain);
  }

  onData(chunk: Buffer): void {
    if (this.tunnel !== null) return this.tunnel.clientData(chunk); // WebSocket
    if (this.closing) return;
    this.lastActive = this.services.tick();
    if (this.exchange !== null) {
      const used = this.exchange.requestDone ? 0 : this.exchange.clientData(chunk);
      if (used < chunk.length) this.stash(used === 0 ? chunk : chunk.subarray(used));
      return;
    }
    const waitingForHead = this.headSince !== 0;
    this.stash(chunk);
    // A head arriving in pieces: only a new line can complete it, so skip re-parsing until one
    // arrives (a byte-at-a-time client would otherwise cost a quadratic number of scans).
    if (waitingForHead && chunk.indexOf(10) < 0 && this.pending!.length < this.headBudget) return;
    this.readRequests();
  }

  /** Past this many buffered head bytes the parser must run (and reject). */
  private get headBudget(): number {
    const l = this.services.limits;
    return l.maxRequestLine + l.maxHeaderBytes;
  }

  private stash(bytes: Buffer): void {
    this.pending = this.pending === null ? bytes : Buffer.concat([this.pending, bytes]);
    // Pipelined requests wait for the current response; stop reading until then.
    if (this.exchange !== null) this.socket.pause();
  }

  private readRequests(): void {
    while (this.pending !== null && this.exchange === null && !this.closing) {
      let head: RequestHead | null;
      try {
        head = parseRequestHead(this.pending, this.services.limits);
      } catch (err) {
        if (!(err instanceof HttpParseError)) throw err;
        this.beginRecord();
        return this.reject(err.status, 'RequestMalformed');
      }
      if (head === null) {
        if (this.headSince === 0) this.headSince = this.services.tick();
        return;
      }
      this.headSince = 0;
      const buf = this.pending;
      const rest = head.headLength < buf.length ? buf.subarray(head.headLength) : null;
      this.pending = null;
      this.handle(head, buf, rest);
    }
  }

  /** `buf` starts with the request head (head.headLength bytes); `rest` is what follows it. */
  private handle(head: RequestHead, buf: Buffer, rest: Buffer | null): void {
    const svc = this.services;
    const view = this.listener.current;
    view.stats.requests++;
    const rec = this.beginRecord();
    const verdict = classifyRequest(head);
    if (rec !== null) {
      rec.headBytes = head.headLength;
      rec.method = head.method;
      rec.version = head.version;
      // As received; a request that is routed gets the normalized target (describe).
      rec.url = this.logUrl(firstHost(head.headers), head.target === '' ? '/' : head.target);
      if (verdict.tier !== 'Compliant') {
        rec.classification = verdict.tier;
        rec.classificationReason = verdict.reason;
      }
    }
    const decision = decide(verdict, view.attributes.desyncMitigationMode);
    // Monitor mode forwards even Severe requests, but never a line break or NUL inside a field,
    // which would let the request split in two on its way to the target.
    if (decision === 'reject' || verdict.framing === null || (verdict.tier !== 'Compliant' && hasBreaks(head))) {
      return this.reject(400, 'RequestMalformed');
    }
    const compliant = verdict.tier === 'Compliant';
    let out: UpstreamRequest;
    try {
      out = buildUpstreamRequest({
        method: head.method,
        target: head.target === '' ? '/' : head.target,
        version: head.version,
        headers: head.headers,
        framing: verdict.framing,
        compliant,
        raw: compliant && isPlainHead(head, buf) ? headBytes(buf, head.headLength) : null,
        clientIp: this.facts.sourceIp,
        listenerPort: view.port,
        https: this.facts.protocol === 'HTTPS',
        extraLines: this.extraLines,
        traceIds: svc.traceIds,
      });
    } catch (err) {
      if (!(err instanceof HttpParseError)) throw err;
      return this.reject(400, 'RequestMalformed'); // what the target would read cannot be made unambiguous (request-out.ts)
    }
    // WebSocket (upgrade.ts): the Upgrade value when this request may switch protocols, else null.
    const upgrade = decision === 'forward' ? websocketUpgrade(head, verdict.framing) : null;
    const keepAlive = out.keepAlive && decision === 'forward' && upgrade === null;
    this.method = head.method;
    // Routing sees what the target will read: the normalized target and the one Host.
    this.facts.load(head.method, out.target, head.headers, out.host);
    const action = view.router.route(this.facts);
    if (rec !== null) this.describe(rec, out, view.router.matched, action.type);
    if (action.type !== 'forward') {
      // Any request body is not read: close after answering rather than resynchronize.
      const close = !keepAlive || verdict.framing.kind !== 'none';
      if (!close) this.restore(rest);
      return this.answer(action, close);
    }
    const chosen = chooseTargetGroup(svc, action, view.loadBalancer, this.facts);
    const group = svc.targets.group(chosen.name);
    // Sticky sessions (sticky/policy.ts): the target the client's cookie names, while it still is a candidate.
    const pinned = group?.sticky ? group.pinned(this.facts.header('cookie')) : undefined;
    const target = pinned ?? (group?.balancer.pick(group.candidates) as UpstreamTarget | undefined);
    if (rec !== null) rec.targetGroup = chosen.name;
    if (group === undefined || target === undefined) {
      this.restore(rest);
      return this.unavailable(group?.unserved, !keepAlive || verdict.framing.kind !== 'none');
    }
    target.inflight++;
    const ex = new Exchange(
      this,
      {
        method: head.method,
        head: upgrade === null ? out.wire : withUpgrade(out.wire, upgrade),
        framing: verdict.framing,
        idempotent: IDEMPOTENT.has(head.method),
        clientKeepAlive: keepAlive,
        http10: out.http10,
        // Defensive mode forwards an Ambiguous request but closes both connections afterwards (as ALB);
        // a target connection that carried a request shoal had to repair is never used again (issue 8).
        reuseUpstream: decision === 'forward' && out.reusable && !out.http10 && upgrade === null,
        upgrade: upgrade !== null,
        stats: view.targetGroupStats.get(group.name)!,
        setCookies: chosen.setCookies,
      },
      group,
      target,
    );
    this.exchange = ex;
    const used = ex.start(rest);
    if (rest !== null && used < rest.length) this.stash(rest.subarray(used));
  }

  /** What the access log says about a routed request: its URL as ALB logs it, user agent, trace id, rule and action. */
  private describe(rec: AccessRecord, out: UpstreamRequest, matched: number, action: Action['type']): void {
    const f = this.facts;
    rec.url = this.logUrl(out.host, out.target);
    rec.userAgent = f.header('user-agent') ?? null;
    rec.traceId = f.header('x-amzn-trace-id') ?? this.services.traceIds.last();
    rec.matchedPriority = matched;
    rec.action = action;
  }

  private logUrl(host: string, target: string): string {
    return requestUrl(this.facts.protocol === 'HTTPS', host, this.facts.port, target);
  }

  /**
   * Starts the access log entry of a new request when the load balancer logs (null otherwise:
   * the whole cost of logging off is this check and the `record !== null` ones after it).
   */
  private beginRecord(): AccessRecord | null {
    if (this.listener.current.accessLog === null) return null;
    const entry = (this.entry ??= this.newEntry());
    entry.begin(this.services.hrnow(), this.socket.bytesWritten);
    entry.readBefore = this.socket.bytesRead;
    this.record = entry;
    return entry;
  }

  private newEntry(): AccessRecord {
    const tls = this.facts.protocol === 'HTTPS' ? (this.socket as TLSSocket) : null;
    const e = new AccessRecord(tls ? 'https' : 'http', this.facts.sourceIp, this.socket.remotePort ?? 0, this.services.connTraceId());
    if (tls !== null) {
      e.sslCipher = tls.getCipher?.()?.name ?? null;
      e.sslProtocol = tls.getProtocol?.() ?? null;
      e.domainName = typeof tls.servername === 'string' ? tls.servername : null;
    }
    return e;
  }

  /** The request ended with `status` sent to the client (0: none): its line goes to the worker's batch. */
  private endRecord(status: number): void {
    const rec = this.record;
    if (rec === null) return;
    this.record = null;
    const log = this.listener.current.accessLog;
    if (log === null) return; // logging was turned off by a reload mid-request
    const now = this.services.hrnow();
    rec.elbStatus = status;
    if (rec.respondedAt < 0 && rec.targetHeadAt >= 0) rec.respondedAt = rec.targetHeadAt;
    rec.sentBytes = this.socket.bytesWritten - rec.writtenBefore;
    log.write(rec, now);
  }

  private restore(rest: Buffer | null): void {
    if (rest !== null) this.pending = rest;
  }

  private answer(action: Action, close: boolean): void {
    if (action.type === 'redirect') {
      const r = renderRedirect(action.redirectConfig, this.facts);
      this.listener.current.stats.elb3xx++;
      if (this.record !== null) this.record.redirectUrl = r.location;
      this.respond(
        cannedResponse({
          status: r.statusCode,
          body: '',
          close,
          extraHeaders: `Location: ${r.location}\r\n`,
        }),
        close,
        r.statusCode,
      );
    } else if (action.type === 'fixed-response') {
      const f = action.fixedResponseConfig;
      const status = Number(f.statusCode);
      countElbStatus(this.listener.current.stats, status);
      this.respond(
        cannedResponse({
          status,
          body: f.messageBody,
          contentType: f.contentType,
          close,
          headOnly: this.method === 'HEAD',
        }),
        close,
        status,
      );
    }
  }

  private error(status: number, close: boolean): void {
    countElbStatus(this.listener.current.stats, status);
    this.respond(
      cannedResponse({ status, body: errorBodyFor(status), close, headOnly: this.method === 'HEAD' }),
      close,
      status,
    );
  }

  /** 503: no target can take the request; says why when the control plane said (x-shoal-reason). */
  private unavailable(reason: string | undefined, close: boolean): void {
    if (this.record !== null) this.record.errorReason = 'NoTarget';
    if (reason === undefined) return this.error(503, close);
    this.listener.current.stats.elb5xx++;
    const r = reasonResponse(reason);
    this.respond(cannedResponse({ status: 503, body: r.body, close, headOnly: this.method === 'HEAD', extraHeaders: r.header }), close, 503);
  }

  /** Malformed or blocked request: answer and close, never forward. `reason` is the access log's error_reason. */
  private reject(status: number, reason: string): void {
    this.method = '';
    if (this.record !== null) this.record.errorReason = reason;
    this.error(status, true);
  }

  /** An answer the load balancer makes itself, with its status (the access log's elb_status_code). */
  private respond(text: string, close: boolean, status: number): void {
    if (close) {
      this.closing = true;
      this.pending = null;
      this.socket.end(text, 'latin1');
    } else {
      this.socket.write(text, 'latin1');
    }
    this.endRecord(status);
  }

  exchangeDone(closeClient: boolean, status: number): void {
    this.exchange = null;
    this.endRecord(status);
    this.lastActive = this.services.tick();
    if (closeClient || this.clientEnded) {
      this.closing = true;
      this.pending = null;
      this.socket.end();
      return;
    }
    if (this.socket.isPaused()) this.socket.resume();
    if (this.pending !== null) this.readRequests();
  }

  exchangeFailed(status: 502 | 503 | 504, closeClient: boolean): void {
    this.exchange = null;
    this.error(status, closeClient || this.clientEnded);
    if (!this.closing) {
      if (this.socket.isPaused()) this.socket.resume();
      if (this.pending !== null) this.readRequests();
    }
  }

  exchangeRejected(responseStarted: boolean): void {
    this.exchange = null;
    if (responseStarted) this.socket.destroy();
    else this.reject(400, 'RequestBodyMalformed');
  }

  /** WebSocket hook: from here on the socket is a byte tunnel to the target (tunnel.ts). */
  exchangeUpgraded(s: Switched): void {
    this.exchange = null;
    if (this.record !== null) this.record.type = this.record.type === 'https' ? 'wss' : 'ws'; // logged when the tunnel closes
    this.closing = true; // no request is read from this connection again
    const early = this.pending;
    this.pending = null;
    this.tunnel = new Tunnel({ ...s, client: this.socket, services: this.services, fromClient: early });
  }

  listenerStats(): LoadBalancerSecond {
    return this.listener.current.stats;
  }

  /** Called by the worker's sweep once a second. */
  sweep(now: number): void {
    this.countBytes();
    const attrs = this.listener.current.attributes;
    if (this.tunnel !== null) return this.tunnel.sweep(now, attrs.idleTimeoutSeconds); // WebSocket
    // Idle timeout: only while no request is in progress (a slow target is the target timeout's job).
    if (this.exchange === null && this.headSince === 0 && now - this.lastActive >= attrs.idleTimeoutSeconds) {
      this.socket.destroy();
      return;
    }
    const headTimeout = attrs.headerTimeoutSeconds;
    if (this.headSince !== 0 && this.exchange === null && now - this.headSince >= headTimeout) {
      this.headSince = 0;
      this.beginRecord();
      this.reject(408, 'RequestHeaderTimeout');
      return;
    }
    const ex = this.exchange;
    const targetTimeout = this.listener.current.attributes.targetTimeoutSeconds;
    if (ex !== null && ex.awaitingHead() && ex.waitingSince !== 0 && now - ex.waitingSince >= targetTimeout) {
      ex.timedOut();
    }
  }

  /** Shutdown: close now if idle, else after the current response. */
  drain(): void {
    if (this.tunnel !== null) return; // WebSocket: open until it closes or the drain deadline cuts it
    this.clientEnded = true;
    if (this.exchange === null && !this.socket.writableEnded) {
      this.closing = true;
      this.socket.end();
    }
  }

  onEnd(): void {
    this.clientEnded = true;
    // Already ended (a response with Connection: close): a second end() only builds an error nobody reads.
    if (this.exchange === null && !this.socket.writableEnded) this.socket.end();
  }

  /** ProcessedBytes: bytes in and out on the client side since the last count. */
  private countBytes(): void {
    const total = this.socket.bytesRead + this.socket.bytesWritten;
    this.listener.current.stats.processedBytes += total - this.bytesCounted;
    this.bytesCounted = total;
  }

  onClose(): void {
    this.countBytes();
    this.closing = true;
    const ex = this.exchange;
    this.exchange = null;
    if (ex !== null) ex.abort();
    this.closeRecord();
  }

  /**
   * The connection closed with a request still open: a WebSocket tunnel's entry (written when
   * it closes, with the bytes of the whole tunnel, as ALB does), a response cut off midway, or a
   * client that left before its answer (ALB's 460).
   */
  private closeRecord(): void {
    const rec = this.record;
    if (rec === null) return;
    if (this.tunnel !== null) {
      rec.bodyBytes = this.socket.bytesRead - rec.readBefore;
      return this.endRecord(101);
    }
    rec.errorReason ??= rec.targetStatus !== 0 ? 'ResponseIncomplete' : 'ClientClosed';
    this.endRecord(rec.targetStatus !== 0 ? rec.targetStatus : 460);
  }
}

type Owned = Socket & { [kConn]?: ClientConnection };

function conn(s: Socket): ClientConnection {
  return (s as Owned)[kConn]!;
}
export function onClientRead(socket: Socket, chunk: Buffer): void {
  conn(socket).onData(chunk);
}
function onClientEnd(this: Socket): void {
  conn(this).onEnd();
}
function onClientClose(this: Socket): void {
  conn(this).onClose();
}
function onClientDrain(this: Socket): void {
  conn(this).exchange?.clientDrained();
}
function noop(): void {}

const BREAKS = /[\r\n\0]/;

/** Answers the load balancer makes itself, by class (HTTPCode_ELB_*; shoal_lb_requests_total with no target group). */
function countElbStatus(stats: LoadBalancerSecond, status: number): void {
  if (status >= 500) stats.elb5xx++;
  else if (status >= 400) stats.elb4xx++;
  else if (status >= 300) stats.elb3xx++;
  else stats.elb2xx++;
}

function firstHost(headers: readonly string[]): string {
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() === 'host') return headers[i + 1]!;
  return '';
}

/** "example.com:8080" -> "example.com", "[::1]:80" -> "[::1]". */
/** The head's bytes can be reused as they came: no leading blank lines, CRLF endings, no folding, a plain version. */
function isPlainHead(head: RequestHead, buf: Buffer): boolean {
  const c = buf[0];
  return (
    c !== 13 && c !== 10 && !head.bareLf && head.foldedAt < 0 && head.target !== '' &&
    (head.version === 'HTTP/1.1' || head.version === 'HTTP/1.0')
  );
}

/** buf[0, length): most often all of buf (a request without a body), which needs no new view. */
function headBytes(buf: Buffer, length: number): Buffer {
  return length === buf.length ? buf : buf.subarray(0, length);
}

function hasBreaks(head: RequestHead): boolean {
  if (BREAKS.test(head.method) || BREAKS.test(head.target)) return true;
  for (const field of head.headers) if (BREAKS.test(field)) return true;
  return false;
}
