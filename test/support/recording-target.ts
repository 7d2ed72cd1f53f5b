/**
 * A raw TCP target that records every byte a load balancer sends it, the way
 * request-smuggling research does: each connection's bytes are parsed with the
 * strict parser (strict-http.ts) and every complete request is answered 200
 * with a JSON echo of what the target read, so the client can see which
 * request reached it. Bytes that break the strict grammar are recorded as a
 * violation and answered 500 with the connection closed.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { fieldOf, parseStrict, StrictViolation, type StrictRequest } from './strict-http.js';

export interface RecordedConnection {
  id: number;
  requests: StrictRequest[];
  /** Everything received on the connection. */
  bytes: Buffer;
  violation: string | null;
}

/** What the echo body says (the client side reads it back). */
export interface Echo {
  conn: number;
  index: number;
  method: string;
  target: string;
  host: string | null;
  body: string;
}

export interface RecordingTarget {
  port: number;
  connections: RecordedConnection[];
  /** Connections that carried a request other than a health check. */
  traffic(): RecordedConnection[];
  close(): Promise<void>;
}

export async function startRecordingTarget(o: { healthPath?: string } = {}): Promise<RecordingTarget> {
  const healthPath = o.healthPath ?? '/health';
  const connections: RecordedConnection[] = [];
  const open = new Set<Socket>();
  const server = createServer((sock) => {
    open.add(sock);
    sock.on('close', () => open.delete(sock));
    sock.on('error', () => {});
    const rec: RecordedConnection = { id: connections.length, requests: [], bytes: Buffer.alloc(0), violation: null };
    connections.push(rec);
    let consumed = 0;
    sock.on('data', (chunk: Buffer) => {
      rec.bytes = Buffer.concat([rec.bytes, chunk]);
      if (rec.violation !== null) return;
      let parsed;
      try {
        parsed = parseStrict(rec.bytes.subarray(consumed));
      } catch (err) {
        if (!(err instanceof StrictViolation)) throw err;
        rec.violation = err.message;
        sock.end('HTTP/1.1 500 Strict Parse Failed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      for (const r of parsed.requests) {
        consumed += r.raw.length;
        const echo: Echo = {
          conn: rec.id,
          index: rec.requests.length,
          method: r.method,
          target: r.target,
          host: fieldOf(r, 'host') ?? null,
          body: r.body.toString('latin1'),
        };
        rec.requests.push(r);
        const text = JSON.stringify(echo);
        sock.write(`HTTP/1.1 200 OK\r\nX-Backend: recorder\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    connections,
    traffic: () => connections.filter((c) => c.bytes.length > 0 && !c.bytes.toString('latin1').startsWith(`GET ${healthPath} `)),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of open) s.destroy();
      }),
  };
}
