/**
 * One client connection through a TCP or TLS listener of a network load
 * balancer: a target picked once per connection (tcp/pick.ts: the group's
 * algorithm, zone by zone with cross-zone load balancing off, or the
 * client's address with source_ip stickiness), a connection to it (TLS
 * for TLS target groups, from the client's own loopback address with
 * preserve_client_ip), an optional PROXY protocol v2 header first, then
 * bytes both ways with the sockets' own backpressure (pipe) and half-close
 * passed on. A target that refuses before any byte moved is marked suspect
 * and one other candidate is tried; a reset on either side resets the other
 * (as NLB). The flow counts as the target's in-flight work, so draining waits
 * for it; ended early by terminate() (connection termination on
 * deregistration, the worker's drain deadline).
 */
import { connect as netConnect, isIPv4, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { pickTargetGroup } from '../routing/router.js';
import type { ListenerSnapshot } from '../snapshot.js';
import type { WorkerServices } from '../proxy/context.js';
import type { LoadBalancerSecond } from '../stats.js';
import type { GroupRuntime } from '../proxy/target-sets.js';
import type { UpstreamTarget } from '../proxy/upstream.js';
import type { NativeRelay } from './native-relay.js';
import { proxyV2Header } from './proxy-v2.js';
import { pickFlowTarget } from './pick.js';

/** NLB's TCP idle timeout (tcp.idle_timeout.seconds default). */
export const TCP_IDLE_SECONDS = 350;

/** A TCP connection or a UDP client's datagrams through a network listener, as the worker tracks them. */
export interface Flow {
  readonly group: string;
  /** The target it goes to; null before one is picked and once it ended. */
  readonly target: UpstreamTarget | null;
  /** Ends it now (a termination on deregistration, the drain deadline). */
  terminate(): void;
  /** The worker's once-a-second sweep: bytes into the counters, one active flow counted; UDP flows also expire here. */
  tick(nowTick: number): void;
}

/** What a network listener's flows need from their worker (data-plane.ts makes one per listener). */
export interface FlowHost {
  readonly services: WorkerServices;
  /** The worker's native relay (tcp/native-relay.ts), started on first use; null where it is not built. */
  relay(): NativeRelay | null;
  /** The load balancer's counters for the current second. */
  stats(): LoadBalancerSecond;
  opened(flow: Flow): void;
  closed(flow: Flow): void;
}

export class TcpFlow implements Flow {
  readonly group: string;
  target: UpstreamTarget | null = null;
  private upstream: Socket | null = null;
  private counted = { clientRead: 0, clientWritten: 0, upRead: 0, upWritten: 0 };
  private done = false;
  /** The load balancer's load_balancing.cross_zone.enabled (off by default on network load balancers, as AWS). */
  private readonly crossZone: boolean;

  constructor(readonly client: Socket, l: ListenerSnapshot, private readonly host: FlowHost) {
    host.opened(this);
    host.stats().newConnections++;
    this.crossZone = l.attributes.crossZoneEnabled === true;
    const action = l.defaultActions[0];
    this.group = action?.type === 'forward' ? pickTargetGroup(action, host.services.random) : '';
    client.setNoDelay(true);
    client.on('error', () => this.end(true));
    client.on('close', () => this.end(false));
    client.setTimeout(TCP_IDLE_SECONDS * 1000, () => this.end(true));
    this.open(undefined);
  }

  /** Ends the flow now: both sockets reset (NLB closes a terminated connection with a reset). */
  terminate(): void {
    this.end(true);
  }

  tick(): void {
    this.host.stats().activeConnections++;
    this.account();
  }

  /** Moves the bytes seen since the last call into the counters (each second, and at the end). */
  private account(): void {
    const c = this.counted;
    const up = this.upstream;
    const clientRead = this.client.bytesRead;
    const clientWritten = this.client.bytesWritten;
    this.host.stats().processedBytes += clientRead - c.clientRead + clientWritten - c.clientWritten;
    c.clientRead = clientRead;
    c.clientWritten = clientWritten;
    if (up !== null && this.target !== null) {
      this.target.bytesSent += up.bytesWritten - c.upWritten;
      this.target.bytesReceived += up.bytesRead - c.upRead;
      c.upWritten = up.bytesWritten;
      c.upRead = up.bytesRead;
    }
  }

  private open(avoid: UpstreamTarget | undefined): void {
    const svc = this.host.services;
    const group = svc.targets.group(this.group);
    const target = group === undefined ? undefined : pickFlowTarget(group, { clientAddress: this.client.remoteAddress ?? '', crossZone: this.crossZone, ...(avoid ? { avoid } : {}) });
    if (target === undefined) {
      this.end(true); // no healthy or registered target: NLB resets the connection
      return;
    }
    this.target = target;
    target.inflight++;
    const options = { host: target.host, port: target.port, allowHalfOpen: true, ...sourceAddress(group!, this.client) };
    const up = target.tls ? tlsConnect({ ...options, rejectUnauthorized: false }) : netConnect(options);
    this.upstream = up;
    let connected = false;
    up.once(target.tls ? 'secureConnect' : 'connect', () => {
      connected = true;
      up.setNoDelay(true);
      if (group!.proxyProtocolV2) up.write(proxyV2Header(addresses(this.client)));
      this.client.pipe(up);
      up.pipe(this.client);
      this.client.resume();
    });
    up.on('error', (err) => {
      if (!connected && !this.done && this.client.bytesRead === 0) {
        svc.targetFailed(target.key, err.message);
        this.release();
        this.upstream = null;
        up.destroy();
        if (avoid === undefined) return this.open(target);
      }
      this.end(true);
    });
    up.on('close', () => {
      if (this.upstream === up) this.end(false);
    });
    up.setTimeout(TCP_IDLE_SECONDS * 1000, () => this.end(true));
  }

  /** reset: an error, a timeout or a termination (reset both); else one side closed cleanly (finish the other). */
  private end(reset: boolean): void {
    if (this.done) {
      if (reset) this.resetBoth();
      return;
    }
    const up = this.upstream;
    if (!reset && up !== null && !(this.client.destroyed && up.destroyed)) {
      // One side closed after its half-close went through: let the other finish writing what it has, then close.
      if (!this.client.destroyed) this.client.end();
      if (!up.destroyed) up.end();
      if (!this.client.destroyed || !up.destroyed) return;
    }
    this.done = true;
    if (reset) this.resetBoth();
    this.account();
    this.release();
    this.host.closed(this);
  }

  private resetBoth(): void {
    reset(this.client);
    if (this.upstream !== null) reset(this.upstream);
  }

  private release(): void {
    if (this.target !== null) {
      this.target.inflight--;
      this.target = null;
    }
  }
}

/** A reset for a plain TCP socket (RST); a TLS one is just destroyed (its handle is the TLS layer's). */
function reset(s: Socket): void {
  if (s.destroyed) return;
  if ((s as Socket & { encrypted?: boolean }).encrypted === true) s.destroy();
  else s.resetAndDestroy();
}

/** preserve_client_ip: on this machine every loopback address is ours, so the target can see the client's own. */
function sourceAddress(group: GroupRuntime, client: Socket): { localAddress?: string } {
  const a = client.remoteAddress;
  return group.preserveClientIp && a !== undefined && isIPv4(a) && a.startsWith('127.') ? { localAddress: a } : {};
}

function addresses(client: Socket): { source: string; sourcePort: number; destination: string; destinationPort: number } {
  return { source: client.remoteAddress ?? '', sourcePort: client.remotePort ?? 0, destination: client.localAddress ?? '', destinationPort: client.localPort ?? 0 };
}
