/**
 * Malformed, oversized, slow and unusual requests against one daemon (default
 * desync mode, defensive) whose clock is a ManualClock, so the header timeout
 * is driven without sleeping. Each case is a description plus a script; after
 * every case the daemon must still answer a normal request (the data plane
 * never crashed and nothing was left stuck).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ManualClock } from '../../src/core/clock.js';
import { freePort, startBackend, type Backend } from '../support/backends.js';
import { basicConfig, startDaemon, type TestDaemon } from '../support/daemon.js';
import { RawClient, rawExchange } from '../support/raw-http.js';

const HEADER_TIMEOUT_SECONDS = 5;

/** What the backend saw, by URL: heads that arrived, requests completed, requests cut off. */
const seen = { started: new Set<string>(), complete: new Set<string>(), aborted: new Set<string>() };

/** 200 "<method> <url> <body bytes>" once the body is in; records everything in `seen`. */
function recording(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url!;
  seen.started.add(url);
  let bytes = 0;
  req.on('data', (c: Buffer) => (bytes += c.length));
  req.on('end', () => {
    seen.complete.add(url);
    const body = `${req.method} ${url} ${bytes}\n`;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  res.on('close', () => {
    if (!res.writableFinished) seen.aborted.add(url);
  });
}

let backend: Backend;
let shoal: TestDaemon;
let port: number;
const clock = new ManualClock();

before(async () => {
  backend = await startBackend('b', recording);
  port = await freePort();
  shoal = await startDaemon(
    basicConfig({ port, targets: [backend.port], lbAttributes: `headerTimeoutSeconds: ${HEADER_TIMEOUT_SECONDS}` }),
    { clock },
  );
});

after(async () => {
  await shoal.stop();
  await backend.close();
});

interface Case {
  description: string;
  run(): Promise<void>;
  /** Set while a known proxy bug makes the case fail: the case still runs and reports. */
}


const CASES: Case[] = [
  {
    description: 'a chunk size that is not hex is 400, the connection closes, the target never gets a complete request',
    run: () => rejectsBody('/bad-hex', 'zz\r\nhello\r\n0\r\n\r\n'),
  },
  {
    description: 'chunk data not followed by CRLF is 400, the connection closes, the target never gets a complete request',
    run: () => rejectsBody('/no-crlf', '5\r\nhelloXX0\r\n\r\n'),
  },
  {
    description: 'a bad chunk arriving after the head was forwarded is 400 (or a cut), never a complete request upstream',
    run: async () => {
      const c = new RawClient(port);
      c.send(post('/late-bad-chunk', 'Transfer-Encoding: chunked'));
      await waitUntil(() => seen.started.has('/late-bad-chunk'));
      c.send('5\r\nhello\r\nnot-hex\r\n');
      await expectStatusAndClose(c, 400);
      await settle();
      assert.equal(seen.complete.has('/late-bad-chunk'), false);
    },
  },
  {
    description: 'a request line over 8 KiB is 414 and the connection closes',
    run: async () => {
      await expectReject(`GET /${'a'.repeat(8300)} HTTP/1.1\r\nHost: t\r\n\r\n`, 414);
      assert.equal([...seen.started].some((u) => u.startsWith('/aaaa')), false);
    },
  },
  {
    description: 'a request line over 8 KiB is 414 even before its line ends (no unbounded buffering)',
    run: () => expectReject(`GET /${'a'.repeat(9000)}`, 414),
  },
  {
    description: 'a header section over 64 KiB is 431 and the connection closes',
    run: () => expectReject(`GET /big HTTP/1.1\r\nHost: t\r\nX-Big: ${'b'.repeat(70 * 1024)}\r\n\r\n`, 431),
  },
  {
    description: 'headers over 64 KiB are 431 even before the blank line arrives',
    run: () => expectReject(`GET /big2 HTTP/1.1\r\nHost: t\r\n${'X-Many: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\r\n'.repeat(1100)}`, 431),
  },
  {
    description: 'more than 100 header fields is 431 and the connection closes',
    run: () => expectReject(`GET /many HTTP/1.1\r\nHost: t\r\n${Array.from({ length: 101 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`, 431),
  },
  {
    description: 'slowloris: a head still incomplete after headerTimeoutSeconds is 408 and the connection closes',
    run: async () => {
      const c = new RawClient(port);
      c.send('GET /slowloris HTTP/1.1\r\nHost: t\r\nX-Trickle: ');
      await waitUntil(() => headsPending() > 0);
      clock.advance((HEADER_TIMEOUT_SECONDS - 1) * 1000);
      c.send('a');
      await assert.rejects(c.read(100), /timed out/, 'no answer before the header timeout');
      clock.advance(2000);
      await expectStatusAndClose(c, 408);
      assert.equal(seen.started.has('/slowloris'), false);
    },
  },
  {
    description: 'garbage bytes with a line end are 400 and the connection closes',
    run: () => expectReject(Buffer.from([0x00, 0x01, 0x02, 0xff, 0x20, 0x7f, 0x0d, 0x0a, 0x0d, 0x0a]), 400),
  },
  {
    description: 'a request line without a target is 400',
    run: () => expectReject('HELLO\r\n\r\n', 400),
  },
  {
    description: 'a header line without a colon is 400',
    run: () => expectReject('GET /nocolon HTTP/1.1\r\nHost: t\r\nthis line has no colon\r\n\r\n', 400),
  },
  {
    description: 'a body shorter than its Content-Length then the client closing: the target connection is cut, nothing completes',
    run: async () => {
      const c = new RawClient(port);
      c.send(post('/short', 'Content-Length: 100', '0123456789'));
      await waitUntil(() => seen.started.has('/short'));
      c.socket.end();
      await waitUntil(() => seen.aborted.has('/short'));
      assert.equal(seen.complete.has('/short'), false);
      await waitUntil(() => inflight() === 0);
    },
  },
  {
    description: 'a valid request sent one byte at a time is served',
    run: async () => {
      const c = new RawClient(port);
      c.socket.setNoDelay(true);
      for (const byte of Buffer.from(post('/trickle', 'Content-Length: 5', 'hello'))) {
        c.send(Buffer.from([byte]));
        await delay(1);
      }
      const r = await c.read();
      assert.equal(r.status, 200);
      assert.equal(r.body, 'POST /trickle 5\n');
      c.close();
    },
  },
  {
    description: 'Expect: 100-continue: the interim 100 reaches the client, then the upload is served',
    run: async () => {
      const c = new RawClient(port);
      c.send('POST /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n');
      const interim = await c.read();
      assert.equal(interim.status, 100);
      c.send('hello');
      const r = await c.read();
      assert.equal(r.status, 200);
      assert.equal(r.body, 'POST /upload 5\n');
      c.close();
    },
  },
  {
    description: 'HEAD gets the head only (Content-Length as for GET, no body), and the connection stays in sync',
    run: async () => {
      const s = await Collector.open(port);
      s.send('HEAD /head HTTP/1.1\r\nHost: t\r\n\r\n');
      await waitUntil(() => s.text.includes('\r\n\r\n'));
      await delay(100);
      const [head, rest] = splitHead(s.text);
      assert.match(head, /^HTTP\/1\.1 200 /);
      assert.match(head, /\r\ncontent-length: 13\r\n/i, 'the length of the body a GET would get ("HEAD /head 0\\n")');
      assert.equal(rest, '', 'no body bytes after a HEAD response');
      s.text = '';
      s.send('GET /after-head HTTP/1.1\r\nHost: t\r\n\r\n');
      await waitUntil(() => s.text.endsWith('GET /after-head 0\n'));
      assert.match(s.text, /^HTTP\/1\.1 200 /);
      s.close();
    },
  },
];

for (const c of CASES) {
  test(c.description, async () => {
    await c.run();
    await assertServes();
  });
}

test('monitor mode never forwards a CR, LF or NUL inside the method', async () => {
  // A raw target: node's parser would refuse the request itself and hide what the proxy forwarded.
  const received: Buffer[] = [];
  const target = createNetServer((sock) => {
    sock.on('error', () => {});
    sock.on('data', (d: Buffer) => {
      received.push(d);
      sock.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
  const lbPort = await freePort();
  const targetPort = (target.address() as AddressInfo).port;
  const mon = await startDaemon(basicConfig({ port: lbPort, targets: [targetPort], lbAttributes: 'desyncMitigationMode: monitor' }));
  try {
    // A target reading a bare LF as a line end would see "GET" and then a header "X-Smuggled: 1".
    const r = await rawExchange(lbPort, 'GET\nX-Smuggled:1\nX: /method-lf HTTP/1.1\r\nHost: t\r\n\r\n', { timeoutMs: 2000 });
    assert.equal(r.status, 400);
    assert.equal(r.headers.server, 'shoal', 'the load balancer answered');
    assert.equal(Buffer.concat(received).length, 0, 'nothing reached the target');
  } finally {
    await mon.stop();
    target.close();
  }
});

function post(path: string, framing: string, body = ''): string {
  return `POST ${path} HTTP/1.1\r\nHost: t\r\n${framing}\r\n\r\n${body}`;
}

/** A chunked POST whose body is bad: 400 and close, and the target never gets the whole request. */
async function rejectsBody(path: string, body: string): Promise<void> {
  await expectReject(post(path, 'Transfer-Encoding: chunked', body), 400);
  await settle();
  assert.equal(seen.complete.has(path), false, 'the target got a complete request');
}

async function expectReject(bytes: string | Buffer, status: number): Promise<void> {
  const c = new RawClient(port);
  c.send(bytes);
  await expectStatusAndClose(c, status);
}

async function expectStatusAndClose(c: RawClient, status: number): Promise<void> {
  try {
    const r = await c.read(2000);
    assert.equal(r.status, status, r.body);
    assert.equal(await c.waitClosed(2000), true, 'the connection is closed after the error');
  } finally {
    c.close();
  }
}

/** A normal request still works: the data plane survived the previous case. */
async function assertServes(): Promise<void> {
  const r = await rawExchange(port, 'GET /alive HTTP/1.1\r\nHost: t\r\n\r\n', { timeoutMs: 2000 });
  assert.equal(r.status, 200, 'the daemon still serves a normal request');
  assert.equal(r.body, 'GET /alive 0\n');
}

interface DataPlaneView {
  inflight(): Record<string, number>;
  connections: Set<{ headSince: number }>;
}

function dataPlane(): DataPlaneView {
  return (shoal.daemon.control.host as unknown as { dataPlane: DataPlaneView }).dataPlane;
}

/** Client connections holding a partial request head (reaches into the in-process data plane). */
function headsPending(): number {
  return [...dataPlane().connections].filter((c) => c.headSince !== 0).length;
}

function inflight(): number {
  return Object.values(dataPlane().inflight()).reduce((a, b) => a + b, 0);
}

function splitHead(text: string): [string, string] {
  const end = text.indexOf('\r\n\r\n');
  return [text.slice(0, end + 4), text.slice(end + 4)];
}

/** A raw connection that just accumulates what it receives (for responses without a parseable body). */
class Collector {
  text = '';
  private constructor(private readonly sock: Socket) {
    sock.setEncoding('latin1');
    sock.on('data', (s: string) => (this.text += s));
    sock.on('error', () => {});
  }

  static open(p: number): Promise<Collector> {
    return new Promise((resolve) => {
      const sock = connect({ host: '127.0.0.1', port: p }, () => resolve(new Collector(sock)));
    });
  }

  send(bytes: string): void {
    this.sock.write(bytes);
  }

  close(): void {
    this.sock.destroy();
  }
}

/** Give a wrongly forwarded request time to complete upstream before asserting it did not. */
function settle(): Promise<void> {
  return delay(100);
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitUntil(pred: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await delay(5);
  }
}
