/**
 * Real backends for end-to-end tests: node:http servers on 127.0.0.1 with
 * scriptable behaviour, recording what they received.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  bodyBytes: number;
}

export interface Backend {
  name: string;
  port: number;
  server: Server;
  received: Received[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, backend: Backend) => void;

/** Default handler: 200 with "<name> <method> <url>" after reading the body. */
export const echoName: Handler = (req, res, b) => {
  let bytes = 0;
  req.on('data', (c: Buffer) => (bytes += c.length));
  req.on('end', () => {
    b.received.push({ method: req.method!, url: req.url!, headers: req.headers, bodyBytes: bytes });
    const body = `${b.name} ${req.method} ${req.url} ${bytes}\n`;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
};

export async function startBackend(name: string, handler: Handler = echoName): Promise<Backend> {
  const backend = { name, received: [] as Received[] } as unknown as Backend;
  const server = createServer((req, res) => handler(req, res, backend));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  backend.server = server;
  backend.port = (server.address() as AddressInfo).port;
  backend.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return backend;
}

/** A port that refuses connections: bound once, then released. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/**
 * The ports freePort gave this test process: a port is released after its
 * check, so without this a later call could give it again before the first
 * caller listens (seen in CI: a test's listener port given again to the
 * daemon's API, and the config refused the pair).
 */
const handedOut = new Set<number>();

/**
 * A free port for a listener, from 10000-19999: below the kernel's ephemeral
 * range (32768 and up here), where closedPort's ports come from. An outgoing
 * connection (a proxy's to its target, a test's client) takes its source port
 * from that range, and one that took the port between the check and the
 * daemon's listen made the listen fail (seen: access-logs e2e). Checked by a
 * bind, then released.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 10000 + Math.floor(Math.random() * 10000);
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  return closedPort();
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
