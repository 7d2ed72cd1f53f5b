/**
 * Raw HTTP/2 frames over a TLS socket (ALPN h2), for the attack tests: what
 * node:http2's client will not send on purpose (a reset right after each
 * HEADERS, SETTINGS in bulk, a header block that never ends). Header blocks
 * are HPACK without Huffman or dynamic table: static-table indexes and
 * literals only (RFC 7541).
 *
 * API
 *   const c = await rawH2(port)     TLS + ALPN h2, the client preface and an empty SETTINGS sent
 *   c.send(...frames)               frames built with frame()/headersFrame()/...
 *   await c.closed                  resolves once the server closed the connection: { goaway: code | null }
 */
import { connect, type TLSSocket } from 'node:tls';

export const FRAME = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, CONTINUATION: 9 } as const;
export const FLAG = { END_STREAM: 1, ACK: 1, END_HEADERS: 4 } as const;
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export function frame(type: number, flags: number, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/** A literal header field without indexing, new name (RFC 7541 6.2.2); names and values under 127 bytes. */
function literal(name: string, value: string): Buffer {
  const n = Buffer.from(name, 'latin1');
  const v = Buffer.from(value, 'latin1');
  return Buffer.concat([Buffer.from([0x00, n.length]), n, Buffer.from([v.length]), v]);
}

/** GET `path` on https://`authority` (static table: :method GET 2, :scheme https 7). */
export function requestBlock(authority: string, path = '/'): Buffer {
  return Buffer.concat([Buffer.from([0x82, 0x87]), literal(':path', path), literal(':authority', authority)]);
}

/** A header field to pad a block with (CONTINUATION floods). */
export function filler(i: number): Buffer {
  return literal(`x-filler-${i}`, 'y'.repeat(40));
}

export function rstStream(stream: number, code = 8 /* CANCEL */): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(code);
  return frame(FRAME.RST_STREAM, 0, stream, p);
}

export interface RawH2 {
  socket: TLSSocket;
  send(...frames: Buffer[]): void;
  /** The server closed the connection; `goaway` is the error code of its last GOAWAY, null when none came. */
  closed: Promise<{ goaway: number | null }>;
}

export function rawH2(port: number, servername = 'web.localhost'): Promise<RawH2> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, ALPNProtocols: ['h2'], rejectUnauthorized: false }, () => {
      if (socket.alpnProtocol !== 'h2') return reject(new Error(`ALPN chose ${String(socket.alpnProtocol)}`));
      socket.write(Buffer.concat([PREFACE, frame(FRAME.SETTINGS, 0, 0)]));
      resolve({ socket, send: (...frames) => socket.write(Buffer.concat(frames)), closed });
    });
    let buf = Buffer.alloc(0);
    let goaway: number | null = null;
    const closed = new Promise<{ goaway: number | null }>((done) => {
      socket.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        while (buf.length >= 9) {
          const len = buf.readUIntBE(0, 3);
          if (buf.length < 9 + len) break;
          if (buf[3] === FRAME.GOAWAY) goaway = buf.readUInt32BE(9 + 4);
          else if (buf[3] === FRAME.SETTINGS && (buf[4]! & FLAG.ACK) === 0) socket.write(frame(FRAME.SETTINGS, FLAG.ACK, 0));
          buf = buf.subarray(9 + len);
        }
      });
      socket.on('close', () => done({ goaway }));
    });
    socket.once('error', reject);
    socket.on('error', () => {});
  });
}
