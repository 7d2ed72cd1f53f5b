/**
 * WebSockets through the load balancer (HTTP/1.1 Upgrade, as ALB): real
 * sockets, a raw-frame echo backend, an in-process daemon.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { freePort } from '../support/backends.js';
import { startDaemon, basicConfig, type TestDaemon } from '../support/daemon.js';
import { RawClient, rawExchange } from '../support/raw-http.js';
import { KEY, OP_BINARY, OP_CLOSE, OP_TEXT, acceptFor, encodeFrame, pattern, startWsBackend, wsConnect, type WsBackend } from '../support/websocket.js';

let ws: WsBackend;
let shoal: TestDaemon;
let port: number;

before(async () => {
  ws = await startWsBackend();
  port = await freePort();
  shoal = await startDaemon(basicConfig({ port, targets: [ws.port], healthCheck: 'path: /, intervalSeconds: 5, timeoutSeconds: 2' }));
});

after(async () => {
  await shoal.stop();
  await ws.close();
});

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

test('the handshake reaches the target with Connection/Upgrade kept and the forwarding headers added', async () => {
  const c = await wsConnect(port, '/chat', { extraHeaders: 'Keep-Alive: timeout=5\r\nX-Forwarded-For: 203.0.113.7\r\n' });
  assert.equal(c.status, 101);
  assert.match(c.head, new RegExp(`\r\nSec-WebSocket-Accept: ${acceptFor(KEY).replace(/[+/]/g, '\\$&')}\r\n`));
  assert.match(c.head, /\r\nConnection: upgrade\r\n/i);
  assert.match(c.head, /\r\nUpgrade: websocket\r\n/i);
  const seen = ws.upgrades.at(-1)!;
  assert.equal(seen.url, '/chat');
  assert.equal(seen.headers.connection, 'upgrade');
  assert.equal(seen.headers.upgrade, 'websocket');
  assert.equal(seen.headers['sec-websocket-key'], KEY);
  assert.equal(seen.headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
  assert.equal(seen.headers['x-forwarded-port'], String(port));
  assert.match(String(seen.headers['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  assert.equal(seen.headers['keep-alive'], undefined);
  c.socket.destroy();
});

test('text frames are echoed both ways, including one the target sends with its 101', async () => {
  const c = await wsConnect(port, '/greet');
  assert.equal((await c.next())!.payload.toString(), 'hello');
  for (const text of ['one', 'two', 'x'.repeat(300)]) {
    c.send(OP_TEXT, text);
    const f = (await c.next())!;
    assert.equal(f.opcode, OP_TEXT);
    assert.equal(f.payload.toString(), text);
  }
  c.socket.destroy();
});

test('a frame sent in the same write as the handshake is not lost', async () => {
  const c = await wsConnect(port, '/eager', { after: Buffer.concat([encodeFrame(OP_TEXT, 'early', true), encodeFrame(OP_TEXT, 'bird', true)]) });
  assert.equal(c.status, 101);
  assert.equal((await c.next())!.payload.toString(), 'early');
  assert.equal((await c.next())!.payload.toString(), 'bird');
  c.socket.destroy();
});

test('a close from the client closes the target side, and one from the target closes the client', async () => {
  const c = await wsConnect(port, '/a');
  await waitFor(() => ws.open.size > 0);
  const before = ws.open.size;
  c.send(OP_CLOSE, Buffer.from([0x03, 0xe8]));
  assert.equal((await c.next())!.opcode, OP_CLOSE);
  c.socket.end();
  await c.closed();
  await waitFor(() => ws.open.size < before);

  const d = await wsConnect(port, '/b');
  d.send(OP_TEXT, 'bye');
  assert.equal((await d.next())!.opcode, OP_CLOSE);
  await d.closed();
  assert.equal(await d.next(), null);
});

test('a client that vanishes (reset) takes its target connection with it', async () => {
  const c = await wsConnect(port, '/c');
  c.send(OP_TEXT, 'ping');
  await c.next();
  const before = ws.open.size;
  c.socket.resetAndDestroy();
  await waitFor(() => ws.open.size < before);
});

test('a large binary message passes intact both ways', async () => {
  const c = await wsConnect(port, '/big');
  const up = pattern(4 * 1024 * 1024 + 17);
  c.send(OP_BINARY, up);
  const echoed = (await c.next(30_000))!;
  assert.equal(echoed.opcode, OP_BINARY);
  assert.equal(sha(echoed.payload), sha(up));
  c.send(OP_TEXT, `send:${3 * 1024 * 1024 + 5}`);
  const down = (await c.next(30_000))!;
  assert.equal(sha(down.payload), sha(pattern(3 * 1024 * 1024 + 5)));
  c.socket.destroy();
});

test('a target that does not answer 101 is proxied as a normal response, and the connection closes after it', async () => {
  const r = await rawExchange(port, `GET /refuse HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: ${KEY}\r\n\r\n`);
  assert.equal(r.status, 426);
  assert.equal(r.body, 'refused');
  assert.equal(r.closed, true);
});

test('Upgrade: h2c, or Upgrade on HTTP/1.0, is forwarded as a plain request without it', async () => {
  const h2c = await rawExchange(port, 'GET /h2c HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\n\r\n');
  assert.equal(h2c.status, 200);
  assert.equal(h2c.body, 'plain GET /h2c upgrade=-\n');
  const old = await rawExchange(port, 'GET /old HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
  assert.equal(old.status, 200);
  assert.match(old.raw, /plain GET \/old upgrade=-/);
});

test('desync mitigation applies to the handshake: Severe is blocked, Ambiguous goes as a plain request and closes', async () => {
  const hs = `Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: ${KEY}\r\n`;
  const before = ws.upgrades.length;
  const severe = await rawExchange(port, `GET /severe HTTP/1.1\r\nHost: x\r\n${hs}X-Bad: a\x01b\r\n\r\n`);
  assert.equal(severe.status, 400);
  assert.equal(severe.closed, true);
  const ambiguous = await rawExchange(port, `GET /ambiguous HTTP/1.1\r\nHost: x\r\n${hs}Content_Length: 0\r\n\r\n`);
  assert.equal(ambiguous.status, 200);
  assert.equal(ambiguous.body, 'plain GET /ambiguous upgrade=-\n');
  assert.equal(ambiguous.closed, true);
  assert.equal(ws.upgrades.length, before);
});

test('a 101 to a request that did not ask for it, or one not naming websocket, is a 502', async () => {
  const rogue = createNetServer((sock) => {
    sock.on('error', () => {});
    sock.once('data', () => sock.write('HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\n\r\n'));
  });
  await new Promise<void>((r) => rogue.listen(0, '127.0.0.1', () => r()));
  const roguePort = await freePort();
  const d = await startDaemon(basicConfig({ port: roguePort, targets: [(rogue.address() as AddressInfo).port] }));
  try {
    assert.equal((await rawExchange(roguePort, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')).status, 502);
    const hs = `GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: ${KEY}\r\n\r\n`;
    const r = await rawExchange(roguePort, hs);
    assert.equal(r.status, 502);
    assert.equal(r.closed, true);
  } finally {
    await d.stop();
    rogue.close();
  }
});

test('keep-alive requests on other connections keep working while a tunnel is open; handshakes never use pooled connections', async () => {
  const h = new RawClient(port);
  h.send('GET /warm HTTP/1.1\r\nHost: x\r\n\r\n');
  await h.read(); // leaves an idle pooled connection to the target
  const t = await wsConnect(port, '/open');
  assert.equal(ws.plainPorts.has(ws.upgrades.at(-1)!.socket.remotePort!), false);
  for (const path of ['/k1', '/k2', '/k3']) {
    h.send(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.equal((await h.read()).body, `plain GET ${path} upgrade=-\n`);
  }
  assert.equal(h.closed, false);
  h.close();
  t.send(OP_TEXT, 'still here');
  assert.equal((await t.next())!.payload.toString(), 'still here');
  t.socket.destroy();
});

test('the idle timeout closes a quiet tunnel', async () => {
  const idlePort = await freePort();
  const d = await startDaemon(basicConfig({ port: idlePort, targets: [ws.port], lbAttributes: 'idleTimeoutSeconds: 1' }));
  try {
    const quiet = await wsConnect(idlePort, '/quiet');
    const before = ws.open.size;
    await quiet.closed(); // a second or two after the last byte
    await waitFor(() => ws.open.size < before);
  } finally {
    await d.stop();
  }
});

test('a daemon stop closes an open tunnel (at the drain deadline at the latest)', async () => {
  const stopPort = await freePort();
  const d = await startDaemon(basicConfig({ port: stopPort, targets: [ws.port] }));
  const c = await wsConnect(stopPort, '/until-stop');
  c.send(OP_TEXT, 'hi');
  assert.equal((await c.next())!.payload.toString(), 'hi');
  const before = ws.open.size;
  await d.stop();
  await c.closed();
  await waitFor(() => ws.open.size < before);
});

async function waitFor(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 20));
  }
}
