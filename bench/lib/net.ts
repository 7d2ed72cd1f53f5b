/** Loopback helpers: free ports, one-shot HTTP and HTTP/2 probes, readiness polling. */
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';
import net from 'node:net';
import { sleep, systemClock } from '../../src/core/clock.js';
import type { Managed } from './procs.js';

/** A port the kernel says is free right now (another process may still take it first). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Probe {
  status: number;
  body: Buffer;
}

/**
 * GET http(s)://127.0.0.1:port/path on a fresh connection; null on any error or
 * timeout. Over TLS the certificate is not checked (the bench's own dev CA).
 */
export function probe(port: number, path: string, timeoutMs = 1000, tls = false): Promise<Probe | null> {
  return new Promise((resolve) => {
    const options = { host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs };
    const get = tls ? (cb: (res: http.IncomingMessage) => void) => https.get({ ...options, rejectUnauthorized: false }, cb) : (cb: (res: http.IncomingMessage) => void) => http.get(options, cb);
    const req = get((res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/** GET https://127.0.0.1:port/path over HTTP/2 (ALPN h2 only; the bench's own certificate, not verified); null on any error or timeout. */
export function probeH2(port: number, path: string, timeoutMs = 1000): Promise<Probe | null> {
  return new Promise((resolve) => {
    const session = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false, ALPNProtocols: ['h2'] });
    const done = (p: Probe | null): void => {
      session.destroy();
      resolve(p);
    };
    session.on('error', () => done(null));
    session.setTimeout(timeoutMs, () => done(null));
    const req = session.request({ ':path': path });
    const chunks: Buffer[] = [];
    let status = 0;
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => done({ status, body: Buffer.concat(chunks) }));
    req.on('error', () => done(null));
  });
}

export interface WaitReady {
  port: number;
  proc: Managed;
  timeoutMs: number;
  /** Body the answer must have, to catch a proxy that answers 200 from the wrong place. */
  expectBody?: Buffer;
  /** Probe over TLS (an HTTPS listener). */
  tls?: boolean;
  /** How to ask; default probe (HTTP/1.1). */
  probe?: (port: number, path: string) => Promise<Probe | null>;
}

/**
 * Polls GET / until it answers 200 (with the expected body), the child exits, or
 * timeoutMs passes. Errors carry the child's output tail: it is usually the reason.
 */
export async function waitReady(w: WaitReady): Promise<void> {
  const deadline = systemClock.now() + w.timeoutMs;
  let last = 'no answer';
  while (systemClock.now() < deadline) {
    if (w.proc.hasExited()) {
      throw new Error(`${w.proc.name} ${w.proc.describeExit()} before it was ready: ${lastLine(w.proc.tail())}\noutput:\n${w.proc.tail()}`);
    }
    const p = await (w.probe ?? ((port: number, path: string) => probe(port, path, 1000, w.tls)))(w.port, '/');
    if (p && p.status === 200 && (!w.expectBody || p.body.equals(w.expectBody))) return;
    if (p) last = `status ${p.status}, body ${JSON.stringify(p.body.subarray(0, 80).toString())}`;
    await sleep(systemClock, 100);
  }
  throw new Error(
    `${w.proc.name} not ready on 127.0.0.1:${w.port} after ${w.timeoutMs / 1000}s (last: ${last})\noutput:\n${w.proc.tail()}`,
  );
}

/** The line most likely to say why: the last one that looks like an error, else the last one. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /error|alert|emerg|fatal|cannot|failed|EADDRINUSE/i.test(l) && !/^at /.test(l));
  return errors[errors.length - 1] ?? lines[lines.length - 1] ?? '';
}
