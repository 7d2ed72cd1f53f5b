/** Raw-socket HTTP for tests that must send exactly the bytes they mean (bad requests, pipelining). */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The whole text received. */
  raw: string;
  /** The server closed the connection after this response. */
  closed: boolean;
}

/** Sends bytes, reads until the server closes or `until` says the response is complete. */
export function rawExchange(port: number, bytes: string | Buffer, o: { timeoutMs?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    let data = Buffer.alloc(0);
    let settled = false;
    const finish = (closed: boolean): void => {
      if (settled) return;
      const parsed = parseFirst(data.toString('latin1'));
      if (!parsed && !closed) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (!parsed) return reject(new Error(`no complete response; got ${JSON.stringify(data.toString('latin1').slice(0, 200))}`));
      resolve({ ...parsed, closed: closed || parsed.connectionClose });
    };
    const timer = setTimeout(() => {
      if (!settled) {
        settled = true;
        sock.destroy();
        reject(new Error(`timed out; got ${JSON.stringify(data.toString('latin1').slice(0, 200))}`));
      }
    }, o.timeoutMs ?? 5000);
    sock.on('data', (c: Buffer) => {
      data = Buffer.concat([data, c]);
      finish(false);
    });
    sock.on('close', () => finish(true));
    sock.on('error', () => finish(true));
    sock.write(bytes);
  });
}

interface Parsed {
  status: number;
  headers: Record<string, string>;
  body: string;
  raw: string;
  connectionClose: boolean;
}

export function parseFirst(text: string): Parsed | null {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = text.slice(0, end).split('\r\n');
  const status = Number(lines[0]!.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  const len = Number(headers['content-length'] ?? 0);
  const body = text.slice(end + 4, end + 4 + len);
  if (Buffer.byteLength(body, 'latin1') < len) return null;
  return { status, headers, body, raw: text, connectionClose: /close/i.test(headers.connection ?? '') };
}

/** A persistent raw connection: send, then read one response at a time. */
export class RawClient {
  private buf = '';
  private waiters: (() => void)[] = [];
  closed = false;
  readonly socket: Socket;

  constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port });
    this.socket.setEncoding('latin1');
    this.socket.on('data', (s: string) => {
      this.buf += s;
      this.wake();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    this.socket.on('error', () => {});
  }

  send(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  async read(timeoutMs = 5000): Promise<Parsed> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = parseFirst(this.buf);
      if (p) {
        const consumed = this.buf.indexOf('\r\n\r\n') + 4 + Buffer.byteLength(p.body, 'latin1');
        this.buf = this.buf.slice(consumed);
        return p;
      }
      if (this.closed) throw new Error(`connection closed; buffered ${JSON.stringify(this.buf.slice(0, 200))}`);
      if (Date.now() > deadline) throw new Error('timed out waiting for a response');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export interface Conversation {
  responses: Parsed[];
  /** The server closed the connection. */
  closed: boolean;
  /** Bytes after the last complete response. */
  rest: string;
}

/**
 * Sends bytes on a fresh connection (from localAddress when given) and reads
 * responses until the server closes, or `expect` responses arrived and nothing
 * more came for graceMs, or timeoutMs passed.
 */
export function rawConversation(
  port: number,
  bytes: string | Buffer,
  o: { expect: number; timeoutMs?: number; graceMs?: number; localAddress?: string },
): Promise<Conversation> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port, localAddress: o.localAddress });
    let text = '';
    let done = false;
    let grace: NodeJS.Timeout | null = null;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (grace !== null) clearTimeout(grace);
      sock.destroy();
      const { responses, rest } = parseAll(text);
      resolve({ responses, closed, rest });
    };
    const timer = setTimeout(() => finish(false), o.timeoutMs ?? 3000);
    sock.setEncoding('latin1');
    sock.on('data', (s: string) => {
      text += s;
      if (parseAll(text).responses.length >= o.expect) {
        if (grace !== null) clearTimeout(grace);
        grace = setTimeout(() => finish(false), o.graceMs ?? 100);
      }
    });
    sock.on('close', () => finish(true));
    sock.on('error', () => finish(true));
    sock.write(bytes);
  });
}

/** Every complete response in text (bodies framed by Content-Length). */
export function parseAll(text: string): { responses: Parsed[]; rest: string } {
  const responses: Parsed[] = [];
  for (;;) {
    const p = parseFirst(text);
    if (p === null) return { responses, rest: text };
    responses.push(p);
    text = text.slice(text.indexOf('\r\n\r\n') + 4 + p.body.length);
  }
}
