/**
 * What a client connection needs from its worker and listener. Built once per
 * listener per snapshot; connections keep the context they were accepted with
 * only until their next request (they re-read `listener.current`).
 */
import type { Socket } from 'node:net';
import type { ListenerProtocol, LoadBalancerAttributes } from '../../model/load-balancer.js';
import type { Random } from '../../core/random.js';
import type { Router } from '../routing/router.js';
import type { TargetSets } from './target-sets.js';
import type { TraceIds } from './trace-id.js';
import type { LoadBalancerSecond, TargetGroupSecond } from '../stats.js';
import type { LoadBalancerLog } from '../access-log/buffer.js';

export interface HeadLimitsConfig {
  maxRequestLine: number;
  maxHeaderBytes: number;
  maxHeaders: number;
}

/** The part of a listener that can change with a reload; swapped as one object. */
export interface ListenerView {
  readonly loadBalancer: string;
  readonly port: number;
  readonly protocol: ListenerProtocol;
  readonly router: Router;
  readonly attributes: LoadBalancerAttributes;
  /** This second's counters of the load balancer, and of each target group it forwards to. */
  readonly stats: LoadBalancerSecond;
  readonly targetGroupStats: ReadonlyMap<string, TargetGroupSecond>;
  /** The load balancer's access log in this worker, or null while it has none (access-log/buffer.ts). */
  readonly accessLog: LoadBalancerLog | null;
}

export interface WorkerServices {
  readonly targets: TargetSets;
  readonly random: Random;
  readonly limits: HeadLimitsConfig;
  /** Coarse time in whole seconds, advanced by the worker's sweep (no Date.now per request). */
  tick(): number;
  /** Seconds an idle pooled upstream socket may be reused (below common backends' keep-alive timeouts). */
  readonly upstreamIdleSeconds: number;
  readonly maxIdlePerTarget: number;
  /** A connection to the target was refused or reset: tell the control plane. */
  targetFailed(key: string, reason: string): void;
  /** Values for X-Amzn-Trace-Id. */
  readonly traceIds: TraceIds;
  /** Monotonic milliseconds, sub-millisecond resolution (target response times). */
  hrnow(): number;
  /** A new conn_trace_id for the access log (called once per logged connection). */
  connTraceId(): string;
}

export interface ListenerHandle {
  current: ListenerView;
}

/** A client connection as its worker sees it, whatever it speaks (ClientConnection: HTTP/1.x; http2/connection.ts: h2). */
export interface FrontConnection {
  readonly socket: Socket;
  /** Called by the worker's sweep once a second with the coarse tick: timeouts, byte counts. */
  sweep(now: number): void;
  /** Shutdown: finish what is in progress, take nothing new, then close. */
  drain(): void;
  /** The counters of the load balancer the connection belongs to (active connections). */
  listenerStats(): LoadBalancerSecond;
}
