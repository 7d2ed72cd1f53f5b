/**
 * Sockets to targets. Listeners are installed once per socket and dispatch to
 * the socket's current owner (the exchange using it, or none while it idles in
 * the pool), so a request costs no closure or listener churn. Reads land in
 * slices of a per-socket slab (onread) instead of a fresh allocation per read,
 * and reach the owner without the Readable stream's push/emit machinery.
 */
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { ReadSlab } from './read-slab.js';
import type { UpstreamTarget } from './upstream.js';

/** What an exchange must handle from the socket it owns. */
export interface UpstreamOwner {
  onConnect(): void;
  onUpstreamData(chunk: Buffer): void;
  /** The socket ended or failed; `error` is null for a plain close. */
  onUpstreamClose(error: NodeJS.ErrnoException | null): void;
  /** The socket can take more writes. */
  upstreamDrained(): void;
}

const kOwner = Symbol('shoal.upstream-owner');

type OwnedSocket = Socket & { [kOwner]?: UpstreamOwner | null; __target?: UpstreamTarget };

export function newUpstreamSocket(target: UpstreamTarget): Socket {
  const slab = new ReadSlab();
  const onread = { buffer: () => slab.next(), callback: (n: number) => onUpstreamRead(sock, slab, n) };
  // HTTPS target groups: TLS without verifying the target's certificate, as ALB (targets often use self-signed ones).
  // tls.connect takes onread as net.connect does (Node's docs; @types/node omits it).
  // The exchange counts the socket as connected once the handshake is done, so a failed handshake is a connect failure.
  const sock: Socket = target.tls
    ? tlsConnect({ host: target.host, port: target.port, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], onread } as ConnectionOptions)
    : connect({ host: target.host, port: target.port, onread });
  sock.setNoDelay(true);
  (sock as OwnedSocket).__target = target;
  sock.on(target.tls ? 'secureConnect' : 'connect', onUpstreamConnect);
  sock.on('error', onUpstreamError);
  sock.on('close', onUpstreamClosed);
  sock.on('end', onUpstreamEnd);
  sock.on('drain', onUpstreamDrain);
  return sock;
}

/** Points the socket's events at the exchange now using it (null: idle in the pool). */
export function setOwner(sock: Socket, o: UpstreamOwner | null): void {
  (sock as OwnedSocket)[kOwner] = o;
}

function owner(sock: Socket): UpstreamOwner | null | undefined {
  return (sock as OwnedSocket)[kOwner];
}

function onUpstreamConnect(this: Socket): void {
  owner(this)?.onConnect();
}

/** Returns false to stop reading (backpressure from the client paused this socket). */
function onUpstreamRead(sock: Socket, slab: ReadSlab, n: number): boolean {
  const chunk = slab.commit(n);
  const ex = owner(sock);
  if (ex) ex.onUpstreamData(chunk);
  else sock.destroy(); // an idle pooled socket must not speak
  return !sock.isPaused();
}

function onUpstreamError(this: Socket, err: NodeJS.ErrnoException): void {
  const ex = owner(this);
  (this as OwnedSocket)[kOwner] = null;
  if (ex) ex.onUpstreamClose(err);
}

function onUpstreamEnd(this: Socket): void {
  this.end();
}

function onUpstreamClosed(this: Socket): void {
  const ex = owner(this);
  (this as OwnedSocket)[kOwner] = null;
  if (ex) ex.onUpstreamClose(null);
  else (this as OwnedSocket).__target?.dropIdle(this);
}

function onUpstreamDrain(this: Socket): void {
  owner(this)?.upstreamDrained();
}
