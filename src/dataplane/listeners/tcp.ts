/**
 * TCP and TLS listeners of network load balancers: a plain TCP listener is
 * served by the worker's native relay where it is built (tcp/native-relay.ts);
 * otherwise each accepted connection (for TLS, once its handshake with the
 * listener's certificates is done, tls/contexts.ts) becomes a TcpFlow to one
 * target (tcp/flow.ts). TCP_UDP listeners open this and the UDP listener on
 * the same port.
 *
 * update(l) swaps the listener's snapshot for new connections (and for TLS
 * the certificates, for new handshakes); open flows keep their target.
 */
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { ListenerSnapshot } from '../snapshot.js';
import { TcpFlow, type FlowHost } from '../tcp/flow.js';
import { relayable } from '../tcp/native-relay.js';
import { CertificateSet, tlsOptions } from '../tls/contexts.js';
import { acceptInBursts } from './accept-burst.js';
import type { Accept, OpenListener } from './listener.js';
import { openUdp } from './udp.js';

export function openTcp(l: ListenerSnapshot, _accept: Accept, failed: (message: string) => void, flows: FlowHost): Promise<OpenListener | null> {
  const relay = l.protocol !== 'TLS' && relayable(l, flows.services) ? flows.relay() : null;
  if (relay !== null) {
    try {
      return Promise.resolve(relay.open(l, flows));
    } catch (err) {
      failed((err as Error).message);
      return Promise.resolve(null);
    }
  }
  let current = l;
  const flow = (socket: Socket) => new TcpFlow(socket, current, flows);
  let server: Server;
  let updateTls: (next: ListenerSnapshot) => void = () => {};
  if (l.protocol === 'TLS') {
    if (l.tls === undefined) {
      failed('a TLS listener needs a certificate');
      return Promise.resolve(null);
    }
    let certs: CertificateSet;
    try {
      certs = new CertificateSet(l.tls);
    } catch (err) {
      failed(`cannot use the listener's certificates: ${(err as Error).message}`);
      return Promise.resolve(null);
    }
    let key = JSON.stringify(l.tls);
    const tls = createTlsServer({ ...tlsOptions(l.tls), allowHalfOpen: true, SNICallback: (name, cb) => cb(null, certs.select(name)) });
    tls.on('secureConnection', (socket: TLSSocket) => flow(socket));
    tls.on('tlsClientError', (_err, socket) => socket.destroy());
    updateTls = (next) => {
      const nextKey = JSON.stringify(next.tls);
      if (next.tls === undefined || nextKey === key) return;
      certs = new CertificateSet(next.tls);
      tls.setSecureContext(tlsOptions(next.tls));
      key = nextKey;
    };
    server = tls;
  } else {
    server = createNetServer({ noDelay: true, pauseOnConnect: true, allowHalfOpen: true }, flow);
  }
  acceptInBursts(server);
  return new Promise((resolve) => {
    server.once('error', (err) => {
      failed(err.message);
      resolve(null);
    });
    server.listen({ host: l.bindAddress, port: l.port, backlog: 1024 }, () => resolve({
      update: (next) => {
        current = next;
        updateTls(next);
      },
      close: () => server.close(),
    }));
  });
}

/** TCP_UDP: one port, both transports (as NLB); fails as a whole when either cannot bind. */
export async function openTcpUdp(l: ListenerSnapshot, accept: Accept, failed: (message: string) => void, flows: FlowHost): Promise<OpenListener | null> {
  let problem: string | null = null;
  const note = (message: string) => {
    problem ??= message;
  };
  const [tcp, udp] = await Promise.all([openTcp(l, accept, note, flows), openUdp(l, accept, note, flows)]);
  if (tcp === null || udp === null) {
    tcp?.close();
    udp?.close();
    failed(problem ?? 'cannot open the listener');
    return null;
  }
  return {
    update: (next) => {
      tcp.update(next);
      udp.update(next);
    },
    close: () => {
      tcp.close();
      udp.close();
    },
  };
}
