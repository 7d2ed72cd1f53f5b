/**
 * One client connection that negotiated h2 over ALPN on an HTTPS listener:
 * an HTTP/2 server session (node:http2's nghttp2) over the TLS socket, with
 * the limits of limits.ts. Each stream is one request, routed by the
 * listener's router on what the target will read (request-out.ts builds the
 * HTTP/1.1 head, X-Forwarded-* and X-Amzn-Trace-Id included, as for an
 * HTTP/1.1 client), then answered here (fixed response, redirect, 400, 503)
 * or forwarded to an HTTP/1.1 target (stream-exchange.ts), and counted in the
 * same metrics as an HTTP/1.1 request.
 *
 * Lifetime, as ClientConnection's: the worker's sweep calls sweep() once a
 * second (the idle timeout sends GOAWAY once no stream has been open for the
 * load balancer's idle timeout; each exchange waiting on its target past the
 * target timeout answers 504); drain() (worker shutdown, listener removed)
 * sends GOAWAY and lets the open streams finish. A client that floods
 * (flood-window.ts) is sent GOAWAY ENHANCE_YOUR_CALM and its connection is
 * closed; a socket that lingers after GOAWAY is destroyed a little later.
 *
 * Access log: when the load balancer logs, each stream has its own entry
 * (type h2, request line version HTTP/2.0), written when the stream closes;
 * received_bytes and sent_bytes count the request and response DATA (the
 * headers are HPACK-compressed per connection, not per request).
 */
import { constants, performServerHandshake, type ServerHttp2Session, type ServerHttp2Stream, type ServerOptions } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { Action } from '../../model/load-balancer.js';
import type { ConnectionSegments } from '../access-log/format.js';
import { AccessRecord, requestUrl } from '../access-log/record.js';
import { errorBodyFor } from '../http/canned.js';
import type { BodyFraming } from '../http/desync.js';
import { HttpParseError } from '../http/request-head.js';
import type { FrontConnection, ListenerHandle, WorkerServices } from '../proxy/context.js';
import { chooseTargetGroup } from '../proxy/forward-group.js';
import { buildUpstreamRequest, type OutboundOptions } from '../proxy/request-out.js';
import { RequestFacts } from '../proxy/request-facts.js';
import type { UpstreamTarget } from '../proxy/upstream.js';
import { renderRedirect } from '../routing/router.js';
import type { LoadBalancerSecond } from '../stats.js';
import { answerStream } from './answers.js';
import { FloodWindow } from './flood-window.js';
import { requestFraming, requestFromH2 } from './headers.js';
import { PINGS_PER_SECOND, RESETS_PER_SECOND, SETTINGS_PER_SECOND } from './limits.js';
import { exchangeOf, StreamExchange } from './stream-exchange.js';
import type { StreamHost } from './stream-types.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const NO_BODY: BodyFraming = { kind: 'none' };
/** Seconds a socket may stay open after its session said GOAWAY and has no stream left. */
const LINGER_SECONDS = 2;

export interface H2ConnectionOptions {
  socket: TLSSocket;
  services: WorkerServices;
  handle: ListenerHandle;
  /** Header lines the listener adds to every request of this connection (mutual TLS), or null. */
  extraLines: Buffer | null;
  /** sessionOptions(limits), built once per worker. */
  sessionOptions: ServerOptions;
}

/** On the socket, the session and each of its streams (a closed stream no longer names its session). */
interface UpstreamStreamRequest {
  outbound: OutboundOptions;
  /** null: not known until the first DATA or the end of the stream. */
  framing: BodyFraming | null;
  head: Buffer;
  /** What the target reads (routing uses them). */
  host: string;
  target: string;
}

const kConn = Symbol('shoal.h2-connection');
const kRecord = Symbol('shoal.h2-record');
type Owned = { [kConn]?: H2Connection; [kRecord]?: AccessRecord };

export class H2Connection implements FrontConnection, StreamHost {
  readonly socket: TLSSocket;
  readonly services: WorkerServices;
  readonly handle: ListenerHandle;
  private readonly session: ServerHttp2Session;
  private readonly facts: RequestFacts;
  private readonly extraLines: Buffer | null;
  private readonly exchanges = new Set<StreamExchange>();
  private readonly resets = new FloodWindow(RESETS_PER_SECOND);
  private readonly settings = new FloodWindow(SETTINGS_PER_SECOND);
  private readonly pings = new FloodWindow(PINGS_PER_SECOND);
  private open = 0;
  private lastActive: number;
  private bytesCounted = 0;
  /** Tick when this side said GOAWAY (drain, idle, abuse); 0 before. */
  private closingSince = 0;
  /** The access log's conn_trace_id, and the connection's fields as its lines write them (made at the first). */
  private connTraceId: string | null = null;
  private logSegments: ConnectionSegments | null = null;

  constructor(o: H2ConnectionOptions) {
    this.socket = o.socket;
    this.services = o.services;
    this.handle = o.handle;
    this.extraLines = o.extraLines;
    this.facts = new RequestFacts(o.socket.remoteAddress ?? '', o.handle.current.port, 'HTTPS');
    this.lastActive = o.services.tick();
    o.socket.setNoDelay(true);
    (o.socket as Owned)[kConn] = this;
    o.socket.on('close', onSocketClose);
    const session = performServerHandshake(o.socket, o.sessionOptions);
    (session as Owned)[kConn] = this;
    // @types/node leaves out the fourth argument, the raw header list.
    session.on('stream', onSessionStream as (s: ServerHttp2Stream) => void);
    session.on('remoteSettings', onRemoteSettings);
    session.on('ping', onPing);
    session.on('error', noop);
    session.on('frameError', noop);
    this.session = session;
  }

  /** A new stream (session 'stream'): `raw` is its header list, flat [name, value, ...]. */
  onStream(stream: ServerHttp2Stream, flags: number, raw: string[]): void {
    const tick = this.services.tick();
    this.lastActive = tick;
    stream.on('error', noop);
    if (stream.closed || stream.destroyed) {
      // HEADERS and RST_STREAM in one read: reset before it reached us (the cheapest rapid reset).
      if (stream.rstCode !== constants.NGHTTP2_NO_ERROR) this.reset(tick);
      return;
    }
    this.open++;
    (stream as Owned)[kConn] = this;
    stream.on('close', onStreamClose);
    const view = this.handle.current;
    view.stats.requests++;
    const rec = view.accessLog === null ? null : this.beginRecord(stream);
    const req = this.upstreamRequest(stream, (flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0, raw);
    if (req === null) return;
    // Routing sees what the target will read: the normalized target and the one Host.
    this.facts.load(req.outbound.method, req.target, req.outbound.headers, req.host);
    const action = view.router.route(this.facts);
    if (rec !== null) this.describe(rec, req, view.router.matched, action.type);
    if (action.type !== 'forward') return this.answer(stream, action);
    const svc = this.services;
    const chosen = chooseTargetGroup(svc, action, view.loadBalancer, this.facts);
    const group = svc.targets.group(chosen.name);
    // Sticky sessions (sticky/policy.ts): the target the client's cookie names, while it still is a candidate.
    const pinned = group?.sticky ? group.pinned(this.facts.header('cookie')) : undefined;
    const picked = pinned ?? (group?.balancer.pick(group.candidates) as UpstreamTarget | undefined);
    if (rec !== null) rec.targetGroup = chosen.name;
    if (group === undefined || picked === undefined) return this.unavailable(stream, group?.unserved);
    picked.inflight++;
    const method = req.outbound.method;
    const ex = new StreamExchange(this, stream, {
      method,
      head: req.head,
      framing: req.framing,
      outbound: req.outbound,
      idempotent: IDEMPOTENT.has(method),
      stats: view.targetGroupStats.get(group.name)!,
      setCookies: chosen.setCookies,
      record: rec,
    }, { group, target: picked });
    this.exchanges.add(ex);
    ex.start();
  }

  /** The HTTP/1.1 request for the target (request-out.ts), or null once the stream is answered 400. */
  private upstreamRequest(stream: ServerHttp2Stream, endStream: boolean, raw: string[]): UpstreamStreamRequest | null {
    const r = requestFromH2(raw);
    try {
      const framing = requestFraming(r, endStream);
      const outbound: OutboundOptions = {
        method: r.method,
        target: r.path,
        version: 'HTTP/1.1',
        headers: r.headers,
        framing: framing ?? NO_BODY,
        compliant: true, // nghttp2 checked names, values and the pseudo-headers; the head is rebuilt anyway
        raw: null,
        clientIp: this.facts.sourceIp,
        listenerPort: this.handle.current.port,
        https: true,
        extraLines: this.extraLines,
        traceIds: this.services.traceIds,
      };
      const out = buildUpstreamRequest(outbound);
      return { outbound, framing, head: out.wire, host: out.host, target: out.target };
    } catch (err) {
      if (!(err instanceof HttpParseError)) throw err;
      const rec = recordOf(stream);
      if (rec !== undefined) rec.errorReason = 'RequestMalformed';
      this.error(stream, 400); // no :authority, a bad one, CONNECT (no :path), a bad content-length
      return null;
    }
  }

  private answer(stream: ServerHttp2Stream, action: Action): void {
    if (action.type === 'redirect') {
      const r = renderRedirect(action.redirectConfig, this.facts);
      const rec = recordOf(stream);
      if (rec !== undefined) rec.redirectUrl = r.location;
      this.answered(stream, r.statusCode);
      answerStream(stream, { status: r.statusCode, body: '', location: r.location });
    } else if (action.type === 'fixed-response') {
      const f = action.fixedResponseConfig;
      this.answered(stream, Number(f.statusCode));
      answerStream(stream, { status: Number(f.statusCode), body: f.messageBody, ...(f.contentType !== undefined ? { contentType: f.contentType } : {}) });
    }
  }

  private error(stream: ServerHttp2Stream, status: number): void {
    const stats = this.handle.current.stats;
    if (status >= 500) stats.elb5xx++;
    else stats.elb4xx++;
    this.answered(stream, status);
    answerStream(stream, { status, body: errorBodyFor(status) });
  }

  /** 503: no target can take the request; says why when the control plane said (x-shoal-reason). */
  private unavailable(stream: ServerHttp2Stream, reason: string | undefined): void {
    const rec = recordOf(stream);
    if (rec !== undefined) rec.errorReason = 'NoTarget';
    if (reason === undefined) return this.error(stream, 503);
    this.handle.current.stats.elb5xx++;
    this.answered(stream, 503);
    answerStream(stream, { status: 503, body: errorBodyFor(503), reason });
  }

  exchangeFailed(stream: ServerHttp2Stream, status: 502 | 504): void {
    this.error(stream, status);
  }

  /** A new stream's access log entry, kept on the stream until it closes. */
  private beginRecord(stream: ServerHttp2Stream): AccessRecord {
    const s = this.socket;
    const rec = new AccessRecord('h2', this.facts.sourceIp, s.remotePort ?? 0, (this.connTraceId ??= this.services.connTraceId()));
    rec.sslCipher = s.getCipher()?.name ?? null;
    rec.sslProtocol = s.getProtocol() ?? null;
    rec.domainName = typeof s.servername === 'string' ? s.servername : null;
    rec.segments = this.logSegments;
    rec.begin(this.services.hrnow(), 0);
    (stream as Owned)[kRecord] = rec;
    return rec;
  }

  /** What the access log says about a routed stream: its URL as ALB logs it, user agent, trace id, rule and action. */
  private describe(rec: AccessRecord, req: UpstreamStreamRequest, matched: number, action: Action['type']): void {
    const f = this.facts;
    rec.method = req.outbound.method;
    rec.url = requestUrl(true, req.host, f.port, req.target);
    rec.version = 'HTTP/2.0';
    rec.userAgent = f.header('user-agent') ?? null;
    rec.traceId = f.header('x-amzn-trace-id') ?? this.services.traceIds.last();
    rec.matchedPriority = matched;
    rec.action = action;
  }

  /** The load balancer answered the stream itself with `status`. */
  private answered(stream: ServerHttp2Stream, status: number): void {
    const rec = recordOf(stream);
    if (rec === undefined) return;
    rec.elbStatus = status;
    rec.respondedAt = this.services.hrnow();
  }

  /**
   * The stream closed: its entry is written. One the client left unanswered, or left while its
   * response was still coming (`unfinished`), says so as HTTP/1.1's do: 460 ClientClosed, or the
   * target's status with ResponseIncomplete.
   */
  private endRecord(stream: ServerHttp2Stream, unfinished: boolean): void {
    const rec = recordOf(stream);
    if (rec === undefined) return;
    (stream as Owned)[kRecord] = undefined;
    const log = this.handle.current.accessLog;
    if (log === null) return; // logging was turned off by a reload mid-stream
    if (unfinished || rec.elbStatus === 0 || rec.errorReason === 'ResponseIncomplete') {
      rec.errorReason ??= rec.targetStatus !== 0 ? 'ResponseIncomplete' : 'ClientClosed';
      rec.elbStatus = rec.targetStatus !== 0 ? rec.targetStatus : 460;
    }
    if (rec.respondedAt < 0 && rec.targetHeadAt >= 0) rec.respondedAt = rec.targetHeadAt;
    log.write(rec, this.services.hrnow());
    this.logSegments = rec.segments;
  }

  exchangeEnded(ex: StreamExchange): void {
    this.exchanges.delete(ex);
  }

  /** A stream closed (stream 'close'): ended, reset by either side, or its session went. */
  onStreamClose(stream: ServerHttp2Stream): void {
    this.open--;
    const tick = this.services.tick();
    this.lastActive = tick;
    const ex = exchangeOf(stream);
    this.endRecord(stream, ex !== undefined && !ex.finished);
    if (ex === undefined || ex.finished) return;
    ex.abort();
    // Reset by the client while its request was still being worked on.
    if (stream.rstCode !== constants.NGHTTP2_NO_ERROR) this.reset(tick);
  }

  private reset(tick: number): void {
    if (this.resets.hit(tick)) this.cut();
  }

  /** A SETTINGS frame from the client (session 'remoteSettings'). */
  onRemoteSettings(): void {
    if (this.settings.hit(this.services.tick())) this.cut();
  }

  /** A PING from the client (session 'ping'). */
  onPing(): void {
    if (this.pings.hit(this.services.tick())) this.cut();
  }

  /** Abuse: GOAWAY ENHANCE_YOUR_CALM, every stream closed, the socket ended. */
  private cut(): void {
    if (this.session.destroyed) return;
    this.closingSince = this.services.tick();
    this.session.destroy(new Error('HTTP/2 flood'), constants.NGHTTP2_ENHANCE_YOUR_CALM);
  }

  listenerStats(): LoadBalancerSecond {
    return this.handle.current.stats;
  }

  /** Called by the worker's sweep once a second. */
  sweep(now: number): void {
    this.countBytes();
    if (this.closingSince !== 0 && this.open === 0 && now - this.closingSince >= LINGER_SECONDS) {
      this.socket.destroy();
      return;
    }
    const attrs = this.handle.current.attributes;
    if (this.open === 0 && now - this.lastActive >= attrs.idleTimeoutSeconds) return this.drain();
    for (const ex of this.exchanges) {
      if (ex.awaitingHead() && now - ex.waitingSince >= attrs.targetTimeoutSeconds) ex.timedOut();
    }
  }

  /** GOAWAY: no new streams; the open ones finish, then the session closes the socket. */
  drain(): void {
    if (this.closingSince === 0) this.closingSince = this.services.tick();
    if (!this.session.closed && !this.session.destroyed) this.session.close();
  }

  /** The socket closed (the session is gone too): count its last bytes. */
  onSocketClose(): void {
    this.countBytes();
  }

  /** ProcessedBytes: bytes in and out on the client side since the last count. */
  private countBytes(): void {
    const total = this.socket.bytesRead + this.socket.bytesWritten;
    this.handle.current.stats.processedBytes += total - this.bytesCounted;
    this.bytesCounted = total;
  }
}

function recordOf(stream: ServerHttp2Stream): AccessRecord | undefined {
  return (stream as Owned)[kRecord];
}

function conn(o: object): H2Connection {
  return (o as Owned)[kConn]!;
}
function onSessionStream(this: ServerHttp2Session, stream: ServerHttp2Stream, _headers: unknown, flags: number, raw: string[]): void {
  conn(this).onStream(stream, flags, raw);
}
function onStreamClose(this: ServerHttp2Stream): void {
  conn(this).onStreamClose(this);
}
function onSocketClose(this: TLSSocket): void {
  conn(this).onSocketClose();
}
function onRemoteSettings(this: ServerHttp2Session): void {
  conn(this).onRemoteSettings();
}
function onPing(this: ServerHttp2Session): void {
  conn(this).onPing();
}
function noop(): void {}
