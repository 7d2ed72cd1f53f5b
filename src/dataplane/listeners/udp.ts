/**
 * UDP listeners of network load balancers: one datagram socket on the
 * listener's address; each client (address:port) is a UdpFlow to one target
 * (tcp/udp-flow.ts), created on its first datagram.
 */
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ListenerSnapshot } from '../snapshot.js';
import type { FlowHost } from '../tcp/flow.js';
import { UdpFlow } from '../tcp/udp-flow.js';
import type { Accept, OpenListener } from './listener.js';

export function openUdp(l: ListenerSnapshot, _accept: Accept, failed: (message: string) => void, flows: FlowHost): Promise<OpenListener | null> {
  let current = l;
  const clients = new Map<string, UdpFlow>();
  const ended = (f: UdpFlow) => {
    const key = `${f.clientAddress}|${f.clientPort}`;
    if (clients.get(key) === f) clients.delete(key);
  };
  const socket = createSocket({ type: isIPv6(l.bindAddress) ? 'udp6' : 'udp4', reuseAddr: false });
  socket.on('message', (msg, from) => {
    const key = `${from.address}|${from.port}`;
    let flow = clients.get(key);
    if (flow === undefined) {
      flow = new UdpFlow(socket, from.address, from.port, current, flows, ended);
      if (flow.target === null) return; // no target: the datagram is dropped (ended already)
      clients.set(key, flow);
    }
    flow.send(msg);
  });
  return new Promise((resolve) => {
    let bound = false;
    socket.on('error', (err) => {
      if (bound) return; // a send to a gone client; the listener carries on
      failed(err.message);
      resolve(null);
    });
    socket.bind({ address: l.bindAddress, port: l.port }, () => {
      bound = true;
      resolve({
        update: (next) => {
          current = next;
        },
        close: () => {
          for (const f of [...clients.values()]) f.terminate();
          socket.close();
        },
      });
    });
  });
}
