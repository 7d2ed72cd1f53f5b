/** TLS and HTTPS clients for e2e tests: handshakes to inspect, and one-shot HTTPS requests. */
import { request as httpsRequest } from 'node:https';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/** Opens a TLS connection and resolves with the socket, or rejects with the handshake's error. */
export function handshake(port: number, o: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, ...o }, () => resolve(s));
    s.once('error', reject);
  });
}

export function cnOf(s: TLSSocket): string {
  return s.getPeerX509Certificate()!.subject.split('\n').find((l) => l.startsWith('CN='))!.slice(3);
}

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function httpsGet(port: number, path: string, o: { servername: string; ca: string; headers?: Record<string, string>; cert?: string; key?: string }): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, servername: o.servername, ca: o.ca, cert: o.cert, key: o.key, agent: false, headers: { host: o.servername, ...o.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

