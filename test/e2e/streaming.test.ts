/**
 * Bodies are streamed both ways, never buffered whole: the target sees the
 * start of an upload before the client has sent the rest, and the client sees
 * the start of a download before the target has sent the rest. Also the idle
 * timeout of client connections, on a manual clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { ManualClock } from '../../src/core/clock.js';
import { freePort, startBackend } from '../support/backends.js';
import { basicConfig, startDaemon } from '../support/daemon.js';
import { RawClient } from '../support/raw-http.js';

const MiB = 1024 * 1024;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('an upload streams through: the target reads the first MiB before the client sends the rest', async () => {
  const total = 256 * MiB;
  const firstBytes = deferred();
  let received = 0;
  const backend = await startBackend('up', (req, res) => {
    req.on('data', (c: Buffer) => {
      received += c.length;
      if (received >= MiB) firstBytes.resolve();
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-length': String(String(received).length) });
      res.end(String(received));
    });
  });
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({ port, targets: [backend.port] }));
  try {
    const c = new RawClient(port);
    c.send(`PUT /upload HTTP/1.1\r\nHost: t\r\nContent-Length: ${total}\r\n\r\n`);
    const chunk = Buffer.alloc(MiB, 7);
    c.send(chunk);
    await firstBytes.promise; // would hang if the proxy waited for the whole body
    for (let sent = MiB; sent < total; sent += MiB) {
      if (!c.socket.write(chunk)) await new Promise((r) => c.socket.once('drain', r));
    }
    const r = await c.read(30_000);
    assert.equal(r.status, 200);
    assert.equal(r.body, String(total));
    c.close();
  } finally {
    await shoal.stop();
    await backend.close();
  }
});

test('a download streams through: the client reads the first MiB before the target sends the rest', async () => {
  const total = 256 * MiB;
  const clientGotFirst = deferred();
  const backend = await startBackend('down', async (_req, res) => {
    res.writeHead(200, { 'content-length': String(total) });
    const chunk = Buffer.alloc(MiB, 3);
    res.write(chunk);
    await clientGotFirst.promise; // would deadlock if the proxy waited for the whole body
    for (let sent = MiB; sent < total; sent += MiB) {
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  });
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({ port, targets: [backend.port] }));
  try {
    const received = await new Promise<number>((resolve, reject) => {
      const sock = connect({ host: '127.0.0.1', port });
      let bytes = 0;
      let headDone = false;
      sock.on('data', (c: Buffer) => {
        bytes += c.length;
        if (!headDone && bytes > MiB) {
          headDone = true;
          clientGotFirst.resolve();
        }
      });
      sock.on('end', () => resolve(bytes));
      sock.on('error', reject);
      sock.write('GET /big HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    });
    // Head plus the whole body arrived, in order of arrival, through a stream that never held it all.
    assert.ok(received > total && received < total + 1024, `received ${received}`);
  } finally {
    await shoal.stop();
    await backend.close();
  }
});

test('an idle keep-alive client connection is closed after idleTimeoutSeconds (manual clock)', async () => {
  const backend = await startBackend('b');
  const port = await freePort();
  const clock = new ManualClock();
  const shoal = await startDaemon(basicConfig({ port, targets: [backend.port], lbAttributes: 'idleTimeoutSeconds: 5' }), { clock });
  try {
    const c = new RawClient(port);
    c.send('GET / HTTP/1.1\r\nHost: t\r\n\r\n');
    assert.equal((await c.read()).status, 200);
    clock.advance(4000);
    c.send('GET /again HTTP/1.1\r\nHost: t\r\n\r\n');
    assert.equal((await c.read()).status, 200, 'still open within the timeout');
    clock.advance(6000);
    assert.equal(await c.waitClosed(2000), true, 'closed once idle past the timeout');
  } finally {
    await shoal.stop();
    await backend.close();
  }
});
