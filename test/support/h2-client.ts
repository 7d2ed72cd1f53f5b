/** A node:http2 client for e2e tests: a session to an HTTPS listener (as web.localhost) and whole-answer requests. */
import { connect, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';

export interface H2Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** `client`: a client certificate and key to present (mutual TLS). */
export function h2Connect(port: number, ca: string, servername = 'web.localhost', client?: { cert: string; key: string }): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    // `host` picks the address, servername the SNI and the name checked against the certificate.
    const c = connect(`https://${servername}:${port}`, { ca, host: '127.0.0.1', servername, ...client } as never);
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

/** One request; `body` as one write, as several (then end), or none (END_STREAM with the headers). */
export function h2Request(session: ClientHttp2Session, headers: OutgoingHttpHeaders, body?: Buffer | Buffer[]): Promise<H2Answer> {
  return new Promise((resolve, reject) => {
    const s = session.request(headers, { endStream: body === undefined });
    const chunks: Buffer[] = [];
    let head: IncomingHttpHeaders = {};
    s.on('response', (h) => (head = h));
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => resolve({ status: Number(head[':status']), headers: head, body: Buffer.concat(chunks) }));
    s.on('error', reject);
    if (Array.isArray(body)) {
      for (const b of body) s.write(b);
      s.end();
    } else if (body !== undefined) s.end(body);
  });
}
