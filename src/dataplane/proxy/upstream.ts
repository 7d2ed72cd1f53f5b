/**
 * Live per-target state in a worker: in-flight count and idle keep-alive
 * sockets. Keyed by target address so it survives snapshot swaps (style.md
 * rule 6); the snapshot only says which targets are routable.
 */
import type { Socket } from 'node:net';
import type { TargetHealthState } from '../../model/target-group.js';

export interface IdleSocket {
  socket: Socket;
  /** Coarse tick (seconds) when it went idle. */
  since: number;
}

export class UpstreamTarget {
  readonly key: string;
  readonly host: string;
  readonly port: number;
  inflight = 0;
  state: TargetHealthState = 'initial';
  /** Bytes written to / read from this target since the last report (the instance's NetworkIn / NetworkOut). */
  bytesSent = 0;
  bytesReceived = 0;
  /** Set by the data plane when a connection to it was refused or reset, until the next snapshot. */
  suspect = false;
  /** Its availability zone ('' when it was registered without one): cross-zone off picks by it (tcp/zones.ts). */
  zone = '';
  /** Its target group is HTTPS: new connections speak TLS (upstream-socket.ts). */
  tls = false;
  readonly idle: IdleSocket[] = [];

  constructor(key: string, host: string, port: number) {
    this.key = key;
    this.host = host;
    this.port = port;
  }

  /** Takes an idle socket that is still usable, or returns undefined. */
  takeIdle(nowTick: number, maxIdleSeconds: number): Socket | undefined {
    while (this.idle.length > 0) {
      const entry = this.idle.pop()!;
      if (entry.socket.destroyed || entry.socket.readyState !== 'open') continue;
      if (nowTick - entry.since >= maxIdleSeconds) {
        entry.socket.destroy();
        continue;
      }
      return entry.socket;
    }
    return undefined;
  }

  putIdle(socket: Socket, nowTick: number, maxIdle: number): void {
    if (this.idle.length >= maxIdle) {
      socket.destroy();
      return;
    }
    this.idle.push({ socket, since: nowTick });
  }

  dropIdle(socket: Socket): void {
    const i = this.idle.findIndex((e) => e.socket === socket);
    if (i >= 0) this.idle.splice(i, 1);
  }

  closeIdle(): void {
    for (const e of this.idle.splice(0)) e.socket.destroy();
  }
}
