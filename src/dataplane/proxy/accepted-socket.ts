/**
 * Client sockets that read the way our upstream sockets do: into slices of a
 * per-socket slab (onread), handed straight to a callback. A plain accepted
 * socket costs a fresh 64 KiB allocation per read (shrunk, wrapped in an
 * ArrayBuffer, later swept) plus the Readable stream's push machinery.
 *
 * net.Server has no onread option, so the server accepts with pauseOnConnect
 * (no read has started yet) and the accepted handle moves into a Socket built
 * with one. The emptied original is destroyed when the new socket closes,
 * which keeps the server's connection count, and so server.close(), right.
 */
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { ReadSlab } from './read-slab.js';

/** Called with each read. To stop reading, pause the socket. */
export type ReadSink = (socket: Socket, chunk: Buffer) => void;

/**
 * `_handle` and the `handle` option are Node internals (net.Server builds its
 * sockets with them); `onread` is accepted by the constructor as by connect().
 */
type WithHandle = Socket & { _handle: unknown };
type AdoptOptions = SocketConstructorOpts & { handle: unknown; onread: OnReadOpts };

/** `accepted` must come from a server created with pauseOnConnect: true. */
export function adoptAccepted(accepted: Socket, sink: ReadSink): Socket {
  const handle = (accepted as WithHandle)._handle;
  (accepted as WithHandle)._handle = null;
  const slab = new ReadSlab();
  const options: AdoptOptions = {
    handle,
    allowHalfOpen: false,
    readable: true,
    writable: true,
    onread: {
      buffer: () => slab.next(),
      callback: (n: number) => {
        sink(socket, slab.commit(n));
        return !socket.isPaused();
      },
    },
  };
  const socket = new Socket(options);
  socket.once('close', () => accepted.destroy());
  return socket;
}
