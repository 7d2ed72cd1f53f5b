/**
 * A WebSocket connection after its handshake: bytes are piped unchanged both
 * ways between the client and the target, with backpressure, until one side
 * ends; then the other is flushed and closed too. Nothing is parsed.
 *
 * Lifetime: the client connection that asked for the upgrade stays in the
 * worker's connection set (it counts as an active connection, and its bytes
 * as processed bytes) and calls `sweep` once a second: the load balancer's
 * idle timeout closes a tunnel with no data either way for that long, as ALB
 * does. A daemon drain leaves tunnels open until the drain deadline, which
 * cuts them (as ALB keeps WebSockets on a deregistered target until the
 * deregistration delay ends).
 */
import type { Socket } from 'node:net';
import type { WorkerServices } from './context.js';
import type { UpstreamTarget } from './upstream.js';
import { setOwner, type UpstreamOwner } from './upstream-socket.js';

/** What an exchange hands over when its target answers 101. */
export interface Switched {
  upstream: Socket;
  target: UpstreamTarget;
  /** The 101 head for the client (switchingHead). */
  head: string;
  /** Bytes the target sent after its 101 head in the same read (its first frames). */
  fromTarget: Buffer | null;
}

export interface TunnelOptions extends Switched {
  client: Socket;
  services: WorkerServices;
  /** Bytes the client sent after its request head, read while the handshake was in flight. */
  fromClient: Buffer | null;
}

export class Tunnel implements UpstreamOwner {
  private readonly client: Socket;
  private readonly upstream: Socket;
  private readonly target: UpstreamTarget;
  private readonly services: WorkerServices;
  /** Tick of the last byte either way (idle timeout). */
  private lastActive: number;
  private closed = false;

  constructor(o: TunnelOptions) {
    this.client = o.client;
    this.upstream = o.upstream;
    this.target = o.target;
    this.services = o.services;
    this.lastActive = o.services.tick();
    setOwner(this.upstream, this);
    const c = this.client;
    // The client connection's own listeners stay; its reads (onread, not 'data') come here through clientData().
    c.on('drain', () => this.clientDrained());
    c.on('end', () => this.closeBoth(false));
    c.on('close', () => this.closeBoth(false));
    c.cork();
    c.write(o.head, 'latin1');
    if (o.fromTarget !== null) this.toClient(o.fromTarget);
    c.uncork();
    if (o.fromClient !== null) this.clientData(o.fromClient);
    if (c.readableEnded || c.destroyed) this.closeBoth(false);
    else if (c.isPaused() && !this.upstream.writableNeedDrain) c.resume();
    if (this.upstream.isPaused() && !c.writableNeedDrain) this.upstream.resume();
  }

  /** Called by the client connection's sweep once a second. */
  sweep(now: number, idleTimeoutSeconds: number): void {
    if (now - this.lastActive >= idleTimeoutSeconds) this.closeBoth(true);
  }

  /** Bytes from the client (the client connection passes on every read once it became a tunnel). */
  clientData(chunk: Buffer): void {
    if (this.closed) return;
    this.lastActive = this.services.tick();
    this.target.bytesSent += chunk.length;
    // Backpressure: stop reading the client until the target drains.
    if (!this.upstream.write(chunk)) this.client.pause();
  }

  private toClient(chunk: Buffer): void {
    this.lastActive = this.services.tick();
    this.target.bytesReceived += chunk.length;
    if (!this.client.write(chunk)) this.upstream.pause();
  }

  private clientDrained(): void {
    if (!this.closed && this.upstream.isPaused()) this.upstream.resume();
  }

  onConnect(): void {}

  onUpstreamData(chunk: Buffer): void {
    if (!this.closed) this.toClient(chunk);
  }

  upstreamDrained(): void {
    if (!this.closed && this.client.isPaused()) this.client.resume();
  }

  onUpstreamClose(error: NodeJS.ErrnoException | null): void {
    this.closeBoth(error !== null);
  }

  /**
   * One side ended, closed or failed (or the tunnel idled out): no byte is
   * read from either side after this. What is already queued for a side is
   * flushed before it is closed, unless `now` (an error, or the idle timeout).
   */
  private closeBoth(now: boolean): void {
    if (this.closed) {
      if (now) {
        this.client.destroy();
        this.upstream.destroy();
      }
      return;
    }
    // The upstream keeps this owner: whatever the target still sends is ignored, not an error.
    this.closed = true;
    for (const s of [this.client, this.upstream]) {
      if (now) s.destroy();
      else shut(s);
    }
  }
}

/**
 * Flushes what is queued for `s`, sends FIN and closes it once flushed. A peer
 * that stops reading would hold the socket open for ever: the client side is
 * bounded by the sweep's idle timeout, but the target side outlives the client
 * connection (and with it the sweep) once the client has gone, so it gets a
 * socket timeout. That is the one timer here (a backstop, not behaviour tests
 * drive, hence not through the clock module).
 */
function shut(s: Socket): void {
  if (s.destroyed) return;
  if (s.writableFinished) {
    s.destroy();
    return;
  }
  s.once('finish', () => s.destroy());
  s.setTimeout(SHUT_LINGER_MS, () => s.destroy());
  if (!s.writableEnded) s.end();
}

/** How long a closing side may take to take its last bytes. */
const SHUT_LINGER_MS = 10_000;
