/**
 * One UDP client (address and port) through a UDP listener: its datagrams go
 * to one target (picked on its first datagram, by the group's algorithm or
 * its address with source_ip stickiness) over a socket of its own connected
 * to that target, and the target's datagrams go back to the client from the
 * listener's socket. Ends after NLB's UDP idle timeout (120 s without a
 * datagram either way), when the target answers with ICMP unreachable (the
 * next datagram starts a new flow elsewhere), or by terminate().
 */
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { pickTargetGroup } from '../routing/router.js';
import type { ListenerSnapshot } from '../snapshot.js';
import type { UpstreamTarget } from '../proxy/upstream.js';
import type { Flow, FlowHost } from './flow.js';
import { pickFlowTarget } from './pick.js';

export const UDP_IDLE_SECONDS = 120;
/** Datagrams held while the flow's socket connects; more are dropped (UDP may drop). */
const MAX_QUEUED = 64;

export class UdpFlow implements Flow {
  readonly group: string;
  target: UpstreamTarget | null = null;
  private readonly socket: DgramSocket | null = null;
  private queue: Buffer[] | null = [];
  private lastSeen: number;
  private bytes = 0;
  private done = false;

  constructor(
    private readonly listener: DgramSocket,
    readonly clientAddress: string,
    readonly clientPort: number,
    l: ListenerSnapshot,
    private readonly host: FlowHost,
    private readonly ended: (flow: UdpFlow) => void,
  ) {
    host.opened(this);
    host.stats().newConnections++;
    this.lastSeen = host.services.tick();
    const action = l.defaultActions[0];
    this.group = action?.type === 'forward' ? pickTargetGroup(action, host.services.random) : '';
    const group = host.services.targets.group(this.group);
    const target = group === undefined ? undefined : pickFlowTarget(group, { clientAddress, crossZone: l.attributes.crossZoneEnabled === true });
    if (target === undefined) {
      this.terminate();
      return;
    }
    this.target = target;
    target.inflight++;
    const socket = createSocket(isIPv6(target.host) ? 'udp6' : 'udp4');
    this.socket = socket;
    socket.on('message', (msg) => {
      this.lastSeen = this.host.services.tick();
      this.bytes += msg.length;
      target.bytesReceived += msg.length;
      this.listener.send(msg, this.clientPort, this.clientAddress);
    });
    socket.on('error', (err) => {
      this.host.services.targetFailed(target.key, err.message);
      this.terminate();
    });
    socket.connect(target.port, target.host, () => {
      const queued = this.queue ?? [];
      this.queue = null;
      for (const msg of queued) this.sendNow(msg);
    });
  }

  /** A datagram from the client. */
  send(msg: Buffer): void {
    if (this.done) return;
    this.lastSeen = this.host.services.tick();
    if (this.queue !== null) {
      if (this.queue.length < MAX_QUEUED) this.queue.push(msg);
      return;
    }
    this.sendNow(msg);
  }

  tick(nowTick: number): void {
    if (nowTick - this.lastSeen >= UDP_IDLE_SECONDS) {
      this.terminate();
      return;
    }
    this.host.stats().activeConnections++;
    this.host.stats().processedBytes += this.bytes;
    this.bytes = 0;
  }

  terminate(): void {
    if (this.done) return;
    this.done = true;
    this.host.stats().processedBytes += this.bytes;
    this.bytes = 0;
    if (this.target !== null) {
      this.target.inflight--;
      this.target = null;
    }
    this.socket?.close();
    this.ended(this);
    this.host.closed(this);
  }

  private sendNow(msg: Buffer): void {
    this.bytes += msg.length;
    if (this.target !== null) this.target.bytesSent += msg.length;
    this.socket!.send(msg);
  }
}
