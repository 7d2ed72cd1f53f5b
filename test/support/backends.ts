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

/** A free port for a listener (bind to 0, read, release). */
export const freePort = closedPort;
