/**
 * HTTPS listeners: a node:tls server presenting the listener's certificates
 * (SNI, tls/contexts.ts) under its security policy, offering the ALPN
 * protocols of its alpnPolicy. Each socket that completes its handshake
 * speaking HTTP/1.1 (ALPN http/1.1, or none) is handed to the HTTP engine like
 * a plain one; its decrypted reads arrive as 'data' events, fed to the same
 * entry point (onClientRead) the onread slab feeds on plain sockets, so the
 * engine does not know which it has. A socket whose client chose h2 is handed
 * over unread, for an HTTP/2 session (http2/connection.ts).
 *
 * update(l) with new certificates or policies (a reload, a renewed file)
 * swaps the contexts and the ALPN offer for new handshakes; open connections
 * keep theirs.
 */
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { onClientRead } from '../proxy/client-connection.js';
import type { ListenerSnapshot, TlsSnapshot } from '../snapshot.js';
import { clientCertHeaderLines } from '../tls/client-cert-headers.js';
import { alpnProtocols, CertificateSet, tlsOptions } from '../tls/contexts.js';
import { acceptInBursts } from './accept-burst.js';
import type { Accept, ConnectionExtras, OpenListener } from './listener.js';

export function openHttps(l: ListenerSnapshot, accept: Accept, failed: (message: string) => void): Promise<OpenListener | null> {
  let tls = l.tls!;
  let certs: CertificateSet;
  try {
    certs = new CertificateSet(tls);
  } catch (err) {
    failed(`cannot use the listener's certificates: ${(err as Error).message}`);
    return Promise.resolve(null);
  }
  let key = JSON.stringify(tls);
  const server = createServer({
    ...tlsOptions(tls),
    SNICallback: (servername, cb) => cb(null, certs.select(servername)),
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    const http2 = socket.alpnProtocol === 'h2';
    accept(socket, extras(socket, tls, http2));
    if (!http2) socket.on('data', feed);
  });
  // A failed handshake (wrong version, no shared cipher, a client certificate refused) only ends that socket.
  server.on('tlsClientError', (_err, socket) => socket.destroy());
  // A handshake per connection: the queue is taken in bursts, not one per event-loop turn.
  acceptInBursts(server);
  const update = (next: ListenerSnapshot) => {
    const nextKey = JSON.stringify(next.tls);
    if (next.tls === undefined || nextKey === key) return;
    certs = new CertificateSet(next.tls);
    server.setSecureContext(tlsOptions(next.tls));
    setAlpn(server, alpnProtocols(next.tls));
    tls = next.tls;
    key = nextKey;
  };
  return new Promise((resolve) => {
    server.once('error', (err) => {
      failed(err.message);
      resolve(null);
    });
    server.listen({ host: l.bindAddress, port: l.port, backlog: 1024 }, () => resolve({ update, close: () => server.close() }));
  });
}

/**
 * setSecureContext leaves the ALPN offer alone: node:tls hands each new socket the server's
 * ALPNProtocols, the wire list (a length byte before each name), so a new policy is set there.
 */
function setAlpn(server: Server, protocols: string[] | undefined): void {
  const wire = protocols === undefined ? undefined : Buffer.concat(protocols.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')])));
  (server as Server & { ALPNProtocols?: Buffer }).ALPNProtocols = wire;
}

function feed(this: TLSSocket, chunk: Buffer): void {
  onClientRead(this, chunk);
}

/** What the connection adds to every request it forwards: the client certificate headers of mutual TLS (tls/client-cert-headers.ts). */
function extras(socket: TLSSocket, tls: TlsSnapshot, http2: boolean): ConnectionExtras {
  const mode = tls.mutualAuthentication.mode;
  const none = http2 ? H2_PLAIN : H1_PLAIN;
  if (mode === 'off') return none;
  const lines = clientCertHeaderLines(mode, socket.getPeerX509Certificate());
  return lines === null ? none : { headerLines: Buffer.from(lines, 'latin1'), http2 };
}

const H1_PLAIN: ConnectionExtras = { headerLines: null, http2: false };
const H2_PLAIN: ConnectionExtras = { headerLines: null, http2: true };
