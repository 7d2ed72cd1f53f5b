/**
 * Accepting a listener's whole queue in one event-loop turn.
 *
 * libuv accepts one connection per turn of the loop (libuv PR #3696: it
 * relies on the level-triggered poll to report the next one). A turn of a
 * busy data-plane worker is long (it serves every ready socket), so under
 * load new connections wait in the kernel's accept queue, one taken per
 * turn: 256 connections opened at once waited up to 0.5 s for their accept
 * (the tail of the 256-connection bench), and a listener that takes a new
 * connection per request (TLS handshakes, `Connection: close`) was held to
 * one per turn.
 *
 * acceptInBursts(server) adds a 'connection' listener that, each time libuv
 * hands over a connection, takes the rest of the queue at once (up to
 * BURST) with the native accept helper (native/accept/accept.cc) and gives
 * each descriptor to the server's own connection handler, so each becomes a
 * socket exactly as libuv's would (maxConnections, noDelay, keep-alive, the
 * server's connection count, the 'connection' event: TLS servers start
 * their handshake from it). Without the helper (not Linux, not built) the
 * server accepts as libuv does.
 *
 * `_handle`, its `fd` and `onconnection`, and the TCP handle class taken
 * from an accepted socket's handle are Node internals, as in
 * accepted-socket.ts.
 */
import { closeSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { loadNativeModule } from '../native-module.js';

/** Connections taken per handover beyond libuv's one. */
export const BURST = 64;

interface Addon {
  acceptMore(fd: number, max: number): number[];
}

interface TcpHandle {
  open(fd: number): number;
}
type TcpHandleClass = new (type: number) => TcpHandle;
/** TCPConstants.SOCKET in Node's tcp_wrap: a handle for a connected socket. */
const TCP_SOCKET = 0;

interface ServerHandle {
  fd: number;
  onconnection(status: number, handle: TcpHandle): void;
}

let addon: Addon | null | undefined;

/** The built helper, or null (not Linux, not built, or SHOAL_ACCEPT_BURST=off: libuv's one accept per turn). */
function loadAddon(): Addon | null {
  if (addon === undefined) addon = loadNativeModule<Addon>('net_accept', 'acceptMore', process.env.SHOAL_ACCEPT_BURST === 'off');
  return addon;
}

/** Whether servers here take their queue in bursts (the helper is built and not turned off). */
export function acceptBurstAvailable(): boolean {
  return loadAddon() !== null;
}

/** Call before server.listen(). */
export function acceptInBursts(server: Server): void {
  const native = loadAddon();
  if (native === null) return;
  let bursting = false;
  // Prepended: it must see the socket before a listener that moves its handle (accepted-socket.ts) or wraps it (TLS).
  server.prependListener('connection', (socket: Socket) => {
    if (bursting) return;
    const listening = (server as unknown as { _handle?: ServerHandle | null })._handle;
    const Tcp = (socket as unknown as { _handle?: { constructor: TcpHandleClass } | null })._handle?.constructor;
    // Only a socket libuv accepted has a TCP handle (a 'connection' emitted by hand may carry any stream).
    if (!listening || typeof listening.fd !== 'number' || listening.fd < 0 || Tcp?.name !== 'TCP') return;
    const fds = native.acceptMore(listening.fd, BURST);
    if (fds.length === 0) return;
    bursting = true;
    let next = 0;
    try {
      while (next < fds.length) {
        const fd = fds[next++]!;
        const handle = new Tcp(TCP_SOCKET);
        if (handle.open(fd) !== 0) closeSync(fd);
        else listening.onconnection(0, handle);
      }
    } finally {
      bursting = false;
      // A handler threw: the descriptors not handed over yet are closed, not leaked.
      while (next < fds.length) closeSync(fds[next++]!);
    }
  });
}
