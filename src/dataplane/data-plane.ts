/**
 * A data-plane worker's engine: owns the listening sockets, runs on the latest
 * snapshot (swapped atomically: a connection reads `handle.current` per
 * request), and reports in-flight counts and passive failures. It never reads
 * the store (design.md). Runs inside a cluster worker, or in-process in tests.
 */
import type { Socket } from 'node:net';
import type { ServerOptions as Http2Options } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { monotonicNow, type Clock, type Timer } from '../core/clock.js';
import { randomHex, type Random } from '../core/random.js';
import { compileRouter } from './routing/router.js';
import type { ListenerSnapshot, Snapshot } from './snapshot.js';
import { ClientConnection } from './proxy/client-connection.js';
import { H2Connection } from './http2/connection.js';
import { sessionOptions } from './http2/limits.js';
import { openerFor, type ConnectionExtras, type OpenListener as OpenServer } from './listeners/listener.js';
import type { Router } from './routing/router.js';
import type { FrontConnection, HeadLimitsConfig, ListenerHandle, WorkerServices } from './proxy/context.js';
import { TrafficStats, type StatsReport, type TargetGroupSecond } from './stats.js';
import { TargetSets } from './proxy/target-sets.js';
import type { Flow, FlowHost } from './tcp/flow.js';
import { NativeRelay } from './tcp/native-relay.js';
import { TraceIds } from './proxy/trace-id.js';
import { LoadBalancerLog } from './access-log/buffer.js';
import type { AccessLogEvent } from './access-log/events.js';
import { LogFileWriter } from './access-log/file.js';
import { WallClock } from './access-log/wall.js';

export interface DataPlaneEvents {
  /** A connection to a target was refused or reset (passive health detection). */
  targetFailed(key: string, reason: string): void;
  /** A listener could not bind (port in use, permission). */
  listenError(address: string, message: string): void;
  /** Once a second: the traffic counted in the second before. */
  stats(report: StatsReport): void;
  /** An access log file is full, a write failed, or the bytes written this second (access-log/file.ts). */
  accessLog(event: AccessLogEvent): void;
}

export interface DataPlaneOptions {
  clock: Clock;
  random: Random;
  events: DataPlaneEvents;
  limits?: Partial<HeadLimitsConfig>;
  /** Monotonic ms for response times; default performance.now (tests on a manual clock pass clock.now). */
  hrnow?: () => number;
}

interface OpenLog {
  key: string;
  log: LoadBalancerLog;
  writer: LogFileWriter;
}

interface OpenListener {
  /** null while the server is still opening. */
  server: OpenServer | null;
  handle: ListenerHandle;
  /** What the router was compiled from: a snapshot that changes only targets or health reuses it. */
  routeKey: string;
}

export class DataPlane {
  readonly traffic = new TrafficStats();
  private readonly targets: TargetSets;
  private readonly services: WorkerServices;
  private readonly listeners = new Map<string, OpenListener>();
  private readonly connections = new Set<FrontConnection>();
  private readonly http2Options: Http2Options;
  /** Network load balancer connections and UDP clients (tcp/). */
  private readonly flows = new Set<Flow>();
  /** Plain TCP listeners' native byte path (tcp/native-relay.ts): undefined until a listener needs it, null where not built. */
  private relay: NativeRelay | null | undefined;
  private readonly sweepTimer: Timer;
  private readonly clock: Clock;
  private readonly events: DataPlaneEvents;
  private nowTick: number;
  private snapshotVersion = 0;
  /** Access logs by load balancer, kept across snapshots while their file and format stay (a chunk in progress survives a reload). */
  private readonly logs = new Map<string, OpenLog>();
  /** Writers of logs a snapshot dropped, still writing their last chunks. */
  private readonly closingLogs = new Set<Promise<void>>();
  private readonly wallClock: WallClock;

  constructor(o: DataPlaneOptions) {
    this.clock = o.clock;
    this.targets = new TargetSets(o.random);
    this.nowTick = Math.floor(o.clock.now() / 1000);
    const hrnow = o.hrnow ?? monotonicNow;
    this.wallClock = new WallClock(o.clock, hrnow);
    const connPrefix = `TID_${randomHex(o.random, 12)}`;
    let connections = 0;
    const self = this;
    this.services = {
      targets: this.targets,
      random: o.random,
      limits: { maxRequestLine: 8192, maxHeaderBytes: 65536, maxHeaders: 100, ...o.limits },
      tick: () => self.nowTick,
      upstreamIdleSeconds: 4,
      maxIdlePerTarget: 256,
      targetFailed: (key, reason) => o.events.targetFailed(key, reason),
      traceIds: new TraceIds(randomHex(o.random, 12), () => self.nowTick),
      hrnow,
      connTraceId: () => `${connPrefix}${(++connections).toString(16).padStart(20, '0')}`,
    };
    this.http2Options = sessionOptions(this.services.limits);
    this.events = o.events;
    this.sweepTimer = o.clock.every(1000, () => this.sweep());
  }

  get version(): number {
    return this.snapshotVersion;
  }

  /** Swap in a new snapshot: open new listeners, close removed ones, re-point the rest. */
  async apply(snapshot: Snapshot): Promise<void> {
    this.targets.apply(snapshot, this.clock.now());
    this.terminateDeregistered(snapshot);
    const wanted = new Map<string, ListenerSnapshot>();
    for (const l of snapshot.listeners) wanted.set(addressOf(l), l);
    for (const [addr, open] of this.listeners) {
      const next = wanted.get(addr);
      if (next === undefined || next.protocol !== open.handle.current.protocol) {
        this.listeners.delete(addr);
        open.server?.close();
        this.goAway(open.handle);
      }
    }
    this.syncLogs(snapshot);
    const opening: Promise<void>[] = [];
    for (const [addr, l] of wanted) {
      const targetGroupStats = new Map<string, TargetGroupSecond>();
      for (const tg of Object.keys(snapshot.targetGroups)) targetGroupStats.set(tg, this.traffic.targetGroup(l.loadBalancer, tg));
      const open = this.listeners.get(addr);
      const routeKey = JSON.stringify([l.rules, l.defaultActions]);
      const router: Router = open !== undefined && open.routeKey === routeKey ? open.handle.current.router : compileRouter(l);
      const view = {
        loadBalancer: l.loadBalancer,
        port: l.port,
        protocol: l.protocol,
        router,
        attributes: l.attributes,
        stats: this.traffic.loadBalancer(l.loadBalancer),
        targetGroupStats,
        accessLog: this.logs.get(l.loadBalancer)?.log ?? null,
      };
      if (open) {
        open.handle.current = view;
        open.routeKey = routeKey;
        open.server?.update(l);
      } else {
        opening.push(this.listen(addr, l, { current: view }, routeKey));
      }
    }
    await Promise.all(opening);
    this.snapshotVersion = snapshot.version;
  }

  /** One log per load balancer the snapshot names; a dropped or changed one writes what it has, then closes. */
  private syncLogs(snapshot: Snapshot): void {
    const wanted = snapshot.accessLogs ?? {};
    for (const [lb, open] of this.logs) {
      const spec = wanted[lb];
      if (spec !== undefined && JSON.stringify(spec) === open.key) continue;
      this.logs.delete(lb);
      this.retireLog(lb, open);
    }
    for (const [lb, spec] of Object.entries(wanted)) {
      if (this.logs.has(lb)) continue;
      const writer = new LogFileWriter({
        path: spec.path,
        maxBytes: spec.maxBytes,
        onFull: (ino) => this.events.accessLog({ type: 'full', loadBalancer: lb, ino }),
        onError: (message) => this.events.accessLog({ type: 'failed', loadBalancer: lb, message }),
      });
      this.logs.set(lb, { key: JSON.stringify(spec), log: new LoadBalancerLog(lb, spec.format, this.wallClock, writer), writer });
    }
  }

  /** The primary rotated the load balancer's file: its writer opens the path again. */
  reopenLog(loadBalancer: string): void {
    this.logs.get(loadBalancer)?.writer.reopen();
  }

  private retireLog(lb: string, open: OpenLog): void {
    const closing = open.writer.close().then(() => this.countLog(lb, open.writer));
    this.closingLogs.add(closing);
    void closing.finally(() => this.closingLogs.delete(closing));
  }

  /** What the writer wrote and dropped since its last count, to the primary (nothing when nothing). */
  private countLog(lb: string, writer: LogFileWriter): void {
    const c = writer.takeCounts();
    if (c.writtenBytes > 0 || c.droppedBytes > 0) this.events.accessLog({ type: 'counts', loadBalancer: lb, ...c });
  }

  /** In-flight requests per target key (only targets with some). */
  inflight(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const u of this.targets.all()) if (u.inflight > 0) out[u.key] = u.inflight;
    return out;
  }

  connectionCount(): number {
    return this.connections.size + this.flows.size + (this.relay?.openConnections ?? 0);
  }

  private relayFor(): NativeRelay | null {
    if (this.relay === undefined) this.relay = NativeRelay.create(this.services);
    return this.relay;
  }

  /**
   * deregistration_delay.connection_termination: a target whose delay ended
   * is gone from its group's snapshot; the flows still open to it are reset.
   * (Without the attribute they go on until either side closes, as NLB.)
   */
  private terminateDeregistered(snapshot: Snapshot): void {
    if (this.flows.size === 0 && !this.relay) return;
    const kept = new Map<string, Set<string>>();
    for (const tg of Object.values(snapshot.targetGroups)) {
      if (tg.connectionTermination) kept.set(tg.name, new Set(tg.targets.map((t) => t.key)));
    }
    if (kept.size === 0) return;
    for (const [group, keys] of kept) this.relay?.terminateExcept(group, keys);
    for (const f of [...this.flows]) {
      const keys = kept.get(f.group);
      if (keys !== undefined && f.target !== null && !keys.has(f.target.key)) f.terminate();
    }
  }

  /**
   * Stop accepting, let in-flight requests finish (idle keep-alive connections
   * are closed at once, busy ones after their current response), then resolve.
   * After graceMs whatever is left is cut.
   */
  async close(graceMs: number): Promise<void> {
    for (const open of this.listeners.values()) open.server?.close();
    this.listeners.clear();
    for (const c of this.connections) c.drain();
    this.relay?.collect(false);
    if (this.connectionCount() > 0) {
      // Open sockets keep the event loop alive; each close re-checks, the deadline cuts the rest.
      // The relay's connections are not this loop's: their count is read every 50 ms.
      const relayPoll = this.relay ? setInterval(() => {
        this.relay!.collect(false);
        this.onIdle?.();
      }, 50) : undefined;
      await new Promise<void>((resolve) => {
        const deadline = this.clock.after(graceMs, () => {
          for (const c of this.connections) c.socket.destroy();
          for (const f of [...this.flows]) f.terminate();
          this.relay?.terminateAll();
        });
        this.onIdle = () => {
          if (this.connectionCount() > 0) return;
          deadline.cancel();
          this.onIdle = null;
          resolve();
        };
      });
      clearInterval(relayPoll);
    }
    this.relay?.stop();
    this.relay = undefined;
    this.sweepTimer.cancel();
    for (const [lb, open] of this.logs) this.retireLog(lb, open);
    this.logs.clear();
    await Promise.all(this.closingLogs);
  }

  private onIdle: (() => void) | null = null;

  private async listen(addr: string, l: ListenerSnapshot, handle: ListenerHandle, routeKey: string): Promise<void> {
    const opener = openerFor(l.protocol);
    if (opener === undefined) {
      this.events.listenError(addr, `${l.protocol} listeners are not served by this data plane`);
      return;
    }
    const entry: OpenListener = { server: null, handle, routeKey };
    this.listeners.set(addr, entry);
    const flows: FlowHost = {
      services: this.services,
      relay: () => this.relayFor(),
      stats: () => handle.current.stats,
      opened: (f) => this.flows.add(f),
      closed: (f) => {
        this.flows.delete(f);
        this.onIdle?.();
      },
    };
    const server = await opener(l, (socket, extras) => this.accept(socket, handle, extras), (message) => {
      this.listeners.delete(addr);
      this.events.listenError(addr, message);
    }, flows);
    // Removed (or failed) while opening: nothing may keep listening.
    if (this.listeners.get(addr) !== entry) server?.close();
    else entry.server = server;
  }

  /** A removed listener's HTTP/2 clients are told to go elsewhere (GOAWAY); HTTP/1.1 ones stay until idle. */
  private goAway(handle: ListenerHandle): void {
    for (const c of this.connections) if (c instanceof H2Connection && c.handle === handle) c.drain();
  }

  private accept(socket: Socket, handle: ListenerHandle, extras?: ConnectionExtras): void {
    handle.current.stats.newConnections++;
    const extraLines = extras?.headerLines ?? null;
    const c: FrontConnection = extras?.http2
      ? new H2Connection({ socket: socket as TLSSocket, services: this.services, handle, extraLines, sessionOptions: this.http2Options })
      : new ClientConnection(socket, this.services, handle, extraLines);
    this.connections.add(c);
    socket.once('close', () => {
      this.connections.delete(c);
      this.onIdle?.();
    });
  }

  private sweep(): void {
    const previous = this.nowTick;
    const now = this.clock.now();
    this.nowTick = Math.floor(now / 1000);
    this.wallClock.rebase();
    this.targets.tick(now);
    for (const c of this.connections) c.sweep(this.nowTick);
    this.report(previous);
    for (const [lb, open] of this.logs) {
      open.log.flush();
      this.countLog(lb, open.writer);
    }
  }

  /** Sends the traffic counted since the last report, stamped with the second it started. */
  private report(second: number): void {
    for (const c of this.connections) c.listenerStats().activeConnections++;
    for (const f of [...this.flows]) f.tick(this.nowTick);
    this.relay?.collect(true);
    const report = this.traffic.take(second * 1000);
    for (const u of this.targets.all()) {
      if (u.bytesSent === 0 && u.bytesReceived === 0) continue;
      (report.targets ??= {})[u.key] = { sent: u.bytesSent, received: u.bytesReceived };
      u.bytesSent = u.bytesReceived = 0;
    }
    this.events.stats(report);
  }
}

function addressOf(l: ListenerSnapshot): string {
  return `${l.bindAddress}:${l.port}`;
}
