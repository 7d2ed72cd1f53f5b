/**
 * Plain HTTP listeners: a node:net server whose accepted sockets are adopted
 * into onread sockets (accepted-socket.ts: reads into a per-socket slab,
 * handed straight to onClientRead, no Readable stream machinery). The
 * accept queue is taken in bursts (accept-burst.ts).
 */
import { createServer } from 'node:net';
import { adoptAccepted } from '../proxy/accepted-socket.js';
import { acceptInBursts } from './accept-burst.js';
import { onClientRead } from '../proxy/client-connection.js';
import type { ListenerSnapshot } from '../snapshot.js';
import type { Accept, OpenListener } from './listener.js';

export function openHttp(l: ListenerSnapshot, accept: Accept, failed: (message: string) => void): Promise<OpenListener | null> {
  const server = createServer({ noDelay: true, pauseOnConnect: true }, (accepted) => accept(adoptAccepted(accepted, onClientRead)));
  acceptInBursts(server);
  return new Promise((resolve) => {
    server.once('error', (err) => {
      failed(err.message);
      resolve(null);
    });
    server.listen({ host: l.bindAddress, port: l.port, backlog: 1024 }, () =>
      resolve({ update: () => {}, close: () => server.close() }));
  });
}
