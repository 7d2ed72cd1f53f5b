/**
 * A minimal WebSocket (RFC 6455) for end-to-end tests, on raw sockets: a frame
 * codec, an echo backend built on node:http's 'upgrade' event, and a client
 * that sends exactly the bytes it means (so a frame can ride with the
 * handshake). No extensions, no fragmentation beyond what the tests send.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
export const OP_TEXT = 1;
export const OP_BINARY = 2;
export const OP_CLOSE = 8;

export interface Frame {
  opcode: number;
  payload: Buffer;
}

export function acceptFor(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** One frame, FIN set; masked as a client must, unmasked as a server must. */
export function encodeFrame(opcode: number, payload: Buffer | string, masked: boolean): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const n = data.length;
  const lenBytes = n < 126 ? 0 : n < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + lenBytes + (masked ? 4 : 0));
  head[0] = 0x80 | opcode;
  head[1] = (masked ? 0x80 : 0) | (lenBytes === 0 ? n : lenBytes === 2 ? 126 : 127);
  if (lenBytes === 2) head.writeUInt16BE(n, 2);
  else if (lenBytes === 8) head.writeBigUInt64BE(BigInt(n), 2);
  if (!masked) return Buffer.concat([head, data]);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  mask.copy(head, 2 + lenBytes);
  const body = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) body[i] = data[i]! ^ mask[i & 3]!;
  return Buffer.concat([head, body]);
}

/** Splits a byte stream into frames, unmasking them. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private size = 0;

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const out: Frame[] = [];
    for (;;) {
      const need = this.frameLength();
      if (need < 0 || this.size < need) return out;
      const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      out.push(decode(buf.subarray(0, need)));
      const rest = buf.subarray(need);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.size = rest.length;
    }
  }

  /** Bytes of the next whole frame, or -1 while its header is incomplete. */
  private frameLength(): number {
    if (this.size < 14 && this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    const b = this.chunks[0];
    if (b === undefined || b.length < 2) return -1;
    const masked = (b[1]! & 0x80) !== 0;
    const code = b[1]! & 0x7f;
    const lenBytes = code < 126 ? 0 : code === 126 ? 2 : 8;
    if (b.length < 2 + lenBytes) return -1;
    const n = lenBytes === 0 ? code : lenBytes === 2 ? b.readUInt16BE(2) : Number(b.readBigUInt64BE(2));
    return 2 + lenBytes + (masked ? 4 : 0) + n;
  }
}

function decode(f: Buffer): Frame {
  const masked = (f[1]! & 0x80) !== 0;
  const code = f[1]! & 0x7f;
  const start = 2 + (code < 126 ? 0 : code === 126 ? 2 : 8);
  const payloadAt = start + (masked ? 4 : 0);
  const payload = Buffer.from(f.subarray(payloadAt));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ f[start + (i & 3)]!;
  return { opcode: f[0]! & 0x0f, payload };
}

export interface WsBackend {
  port: number;
  server: Server;
  /** Heads of the upgrade requests received. */
  upgrades: IncomingMessage[];
  /** Upgraded sockets still open. */
  open: Set<Socket>;
  /** Client ports of the connections plain requests came on. */
  plainPorts: Set<number>;
  close(): Promise<void>;
}

/**
 * Echoes text and binary frames. Paths: /refuse answers 426 instead of 101;
 * /greet sends a text frame "hello" in the same write as its 101. Text
 * messages: "bye" makes it close (close frame, then FIN); "send:N" makes it
 * send N bytes of a known pattern as one binary frame. Plain requests get 200.
 */
export async function startWsBackend(): Promise<WsBackend> {
  const plainPorts = new Set<number>();
  const server = createServer((req, res) => {
    plainPorts.add(req.socket.remotePort!);
    req.resume();
    req.on('end', () => res.end(`plain ${req.method} ${req.url} upgrade=${req.headers.upgrade ?? '-'}\n`));
  });
  const b: WsBackend = { port: 0, server, upgrades: [], open: new Set(), plainPorts, close: async () => {} };
  server.on('upgrade', (req: IncomingMessage, socket: Socket, early: Buffer) => {
    b.upgrades.push(req);
    if (req.url === '/refuse') {
      socket.end('HTTP/1.1 426 Upgrade Required\r\nContent-Length: 7\r\nContent-Type: text/plain\r\n\r\nrefused');
      return;
    }
    b.open.add(socket);
    socket.on('close', () => b.open.delete(socket));
    socket.on('error', () => {});
    // node:http servers allow half-open sockets: close on the peer's FIN, as WebSocket servers do.
    socket.on('end', () => socket.end());
    const head =
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptFor(String(req.headers['sec-websocket-key']))}\r\n\r\n`;
    const greeting = req.url === '/greet' ? encodeFrame(OP_TEXT, 'hello', false) : Buffer.alloc(0);
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), greeting]));
    const reader = new FrameReader();
    const onFrames = (frames: Frame[]): void => {
      for (const f of frames) {
        if (f.opcode === OP_CLOSE) {
          socket.end(encodeFrame(OP_CLOSE, f.payload, false));
          return;
        }
        const text = f.opcode === OP_TEXT ? f.payload.toString() : '';
        if (text === 'bye') socket.end(encodeFrame(OP_CLOSE, Buffer.from([0x03, 0xe8]), false));
        else if (text.startsWith('send:')) socket.write(encodeFrame(OP_BINARY, pattern(Number(text.slice(5))), false));
        else socket.write(encodeFrame(f.opcode, f.payload, false));
      }
    };
    if (early.length > 0) onFrames(reader.push(early));
    socket.on('data', (c: Buffer) => onFrames(reader.push(c)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  b.port = (server.address() as AddressInfo).port;
  b.close = () =>
    new Promise((resolve) => {
      for (const s of b.open) s.destroy();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return b;
}

/** n bytes of a repeating, position-dependent pattern (so a lost or moved byte shows). */
export function pattern(n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + (i >>> 8)) & 0xff;
  return out;
}

export interface WsClient {
  socket: Socket;
  /** The 101 (or other) response head, as text. */
  head: string;
  status: number;
  /** The next frame (waits), or null once the connection closed. */
  next(timeoutMs?: number): Promise<Frame | null>;
  send(opcode: number, payload: Buffer | string): void;
  closed(): Promise<void>;
}

export const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** Connects, sends the handshake for `path` (plus `after`, in the same write), waits for the response head. */
export function wsConnect(port: number, path: string, o: { after?: Buffer; extraHeaders?: string } = {}): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const reader = new FrameReader();
    const frames: Frame[] = [];
    const waiters: (() => void)[] = [];
    let ended = false;
    let headBuf = Buffer.alloc(0);
    let client: WsClient | null = null;
    const wake = (): void => {
      for (const w of waiters.splice(0)) w();
    };
    socket.on('error', () => {});
    socket.on('close', () => {
      ended = true;
      wake();
      if (client === null) reject(new Error(`closed before a response head: ${JSON.stringify(headBuf.toString('latin1'))}`));
    });
    socket.on('data', (chunk: Buffer) => {
      if (client !== null) {
        frames.push(...reader.push(chunk));
        return wake();
      }
      headBuf = Buffer.concat([headBuf, chunk]);
      const end = headBuf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = headBuf.toString('latin1', 0, end + 4);
      client = {
        socket,
        head,
        status: Number(head.split(' ')[1]),
        next: async (timeoutMs = 10_000) => {
          const deadline = Date.now() + timeoutMs;
          while (frames.length === 0 && !ended) {
            if (Date.now() > deadline) throw new Error('timed out waiting for a frame');
            await new Promise<void>((r) => {
              waiters.push(r);
              setTimeout(r, 100);
            });
          }
          return frames.shift() ?? null;
        },
        send: (opcode, payload) => void socket.write(encodeFrame(opcode, payload, true)),
        closed: () => (ended ? Promise.resolve() : new Promise<void>((r) => socket.once('close', () => r()))),
      };
      const rest = headBuf.subarray(end + 4);
      if (client.status === 101 && rest.length > 0) frames.push(...reader.push(rest));
      resolve(client);
    });
    const req =
      `GET ${path} HTTP/1.1\r\nHost: ws.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${KEY}\r\n${o.extraHeaders ?? ''}\r\n`;
    socket.write(o.after ? Buffer.concat([Buffer.from(req, 'latin1'), o.after]) : req);
  });
}
