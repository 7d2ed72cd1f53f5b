/** Network load balancer tests' TCP helpers: loopback TCP targets that say who they are, a client exchange, a bounded wait. */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface TcpTarget {
  port: number;
  server: Server;
  sockets: Set<Socket>;
  /** Connections accepted so far. */
  accepted: number;
}

/** A TCP target: answers each connection with "NAME <what it saw as the client> <PROXY header source, if any>\n", then echoes. */
export async function tcpTarget(name: string, o: { host?: string } = {}): Promise<TcpTarget> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    target.accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    let first = true;
    s.on('data', (chunk: Buffer) => {
      let rest = chunk;
      if (first) {
        first = false;
        let proxied = '-';
        if (chunk.subarray(0, 12).equals(Buffer.from('0d0a0d0a000d0a515549540a', 'hex'))) {
          const len = chunk.readUInt16BE(14);
          if (chunk[13] === 0x11) proxied = `${[...chunk.subarray(16, 20)].join('.')}:${chunk.readUInt16BE(24)}`;
          rest = chunk.subarray(16 + len);
        }
        s.write(`${name} ${s.remoteAddress} ${proxied}\n`);
      }
      if (rest.length > 0) s.write(rest);
    });
  });
  const target: TcpTarget = { port: 0, server, sockets, accepted: 0 };
  await new Promise<void>((r) => server.listen(0, o.host ?? '127.0.0.1', r));
  target.port = (server.address() as { port: number }).port;
  return target;
}

/** Opens a connection through the load balancer, sends `send`, reads until `want` bytes arrived or the socket ends. */
export function exchange(port: number, send: string, o: { localAddress?: string; tls?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const s: Socket = o.tls
      ? tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, servername: 'nlb.localhost' }, () => s.write(send))
      : connect({ host: '127.0.0.1', port, ...(o.localAddress ? { localAddress: o.localAddress } : {}) }, () => s.write(send));
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      got += d;
      if (got.endsWith(send) && got.includes('\n')) s.end();
    });
    s.on('end', () => resolve(got));
    s.on('error', reject);
    s.setTimeout(5000, () => s.destroy(new Error(`no full answer through :${port} (got ${JSON.stringify(got)})`)));
  });
}


/** Polls `check` (every 25 ms) until it answers a value other than undefined; fails with `what` after timeoutMs. */
export async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
