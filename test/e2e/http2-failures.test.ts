/**
 * What an HTTP/2 client sees when targets fail, as an HTTP/1.1 client does
 * (failures.test.ts): 502 for a bad response or a refused POST, a GET retried
 * on another target, 504 past the target timeout and GOAWAY past the idle
 * timeout (manual clock), and a target that dies mid-response resets that
 * stream only: the connection and its other streams carry on. A target's
 * 100 Continue reaches a client that waits for it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.js';
import { closedPort, freePort, startBackend, type Backend } from '../support/backends.js';
import { startDaemon, type TestDaemon } from '../support/daemon.js';
import { testCa, type TestCa } from '../support/certs.js';
import { h2Connect, h2Request } from '../support/h2-client.js';

/** A raw TCP target that answers every request with what `reply` writes. */
async function rawTarget(reply: (sock: Socket) => void): Promise<{ port: number; close(): void }> {
  const server = createNetServer((sock) => {
    sock.on('error', () => {});
    sock.once('data', () => reply(sock));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

function inflightOf(d: TestDaemon): number {
  const host = d.daemon.control.host as { dataPlane?: { inflight(): Record<string, number> } };
  return Object.values(host.dataPlane?.inflight() ?? {}).reduce((a, b) => a + b, 0);
}

async function waitUntil(pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('HTTP/2 clients when targets fail', () => {
  let dir = '';
  let ca: TestCa;
  let good: Backend;
  let dead = 0;
  let bad: { port: number; close(): void };
  let half: { port: number; close(): void };
  let silent: { port: number; close(): void };
  let port = 0;
  let d: TestDaemon;
  const clock = new ManualClock();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-h2-fail-'));
    ca = await testCa();
    await ca.write(dir, 'web', ['web.localhost']);
    good = await startBackend('good');
    dead = await closedPort();
    bad = await rawTarget((s) => s.end('SMTP ready\r\n\r\n'));
    half = await rawTarget((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part'));
    silent = await rawTarget(() => {});
    port = await freePort();
    const rule = (priority: number, path: string, group: string) =>
      `          - { priority: ${priority}, conditions: [{ field: path-pattern, values: ["${path}*"] }], actions: [{ type: forward, targetGroup: ${group} }] }`;
    const group = (name: string, ports: number[]) => `
  - name: ${name}
    port: ${ports[0]}
    attributes: { algorithm: round_robin }
    targets: [${ports.map((p) => `{ id: 127.0.0.1, port: ${p} }`).join(', ')}]`;
    // A manual clock: no health check runs, every target stays initial and takes requests (fail open).
    d = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: web
    attributes: { targetTimeoutSeconds: 3, idleTimeoutSeconds: 20 }
    listeners:
      - port: ${port}
        protocol: HTTPS
        alpnPolicy: HTTP2Only
        certificates: [{ certificateFile: web.pem, privateKeyFile: web.key }]
        defaultActions: [{ type: forward, targetGroup: mixed }]
        rules:
${rule(1, '/bad', 'bad')}
${rule(2, '/half', 'half')}
${rule(3, '/silent', 'silent')}
${rule(4, '/dead', 'dead')}
${rule(5, '/good', 'good')}
targetGroups:${group('mixed', [dead, good.port])}${group('bad', [bad.port])}${group('half', [half.port])}${group('silent', [silent.port])}${group('dead', [dead])}${group('good', [good.port])}
`, { dir, clock });
  });

  after(async () => {
    await d?.stop();
    await good?.close();
    for (const t of [bad, half, silent]) t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('502 when the target sends a malformed response', async () => {
    const c = await h2Connect(port, ca.cert);
    try {
      const r = await h2Request(c, { ':path': '/bad' });
      assert.equal(r.status, 502);
      assert.match(r.body.toString(), /invalid response/);
    } finally {
      c.close();
    }
  });

  it('a target that closes mid-response resets that stream; the connection and its other streams carry on', async () => {
    const c = await h2Connect(port, ca.cert);
    try {
      const cut = h2Request(c, { ':path': '/half' });
      await assert.rejects(cut, (err: NodeJS.ErrnoException) => err.code === 'ERR_HTTP2_STREAM_ERROR');
      const after = await h2Request(c, { ':path': '/good/after' });
      assert.equal(after.status, 200);
      assert.equal(c.closed, false);
    } finally {
      c.close();
    }
  });

  it('a GET whose target refuses is retried on another target; a POST is not (502)', async () => {
    const c = await h2Connect(port, ca.cert);
    try {
      for (let i = 0; i < 4; i++) {
        const r = await h2Request(c, { ':path': `/r${i}` });
        assert.equal(r.status, 200, `GET ${i}`);
        assert.match(r.body.toString(), /^good GET/);
      }
      const post = await h2Request(c, { ':method': 'POST', ':path': '/dead/x', 'content-length': '2' }, Buffer.from('hi'));
      assert.equal(post.status, 502);
    } finally {
      c.close();
    }
  });

  it('504 once the target timeout passes without a response head (manual clock)', async () => {
    const c = await h2Connect(port, ca.cert);
    try {
      const slow = h2Request(c, { ':path': '/silent' });
      await waitUntil(() => inflightOf(d) > 0);
      clock.advance(4000);
      const r = await slow;
      assert.equal(r.status, 504);
      assert.match(r.body.toString(), /did not respond in time/);
    } finally {
      c.close();
    }
  });

  it('GOAWAY once the connection has had no open stream for the idle timeout (manual clock)', async () => {
    const c = await h2Connect(port, ca.cert);
    const goaway = new Promise<number>((resolve) => c.once('goaway', (code: number) => resolve(code)));
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    assert.equal((await h2Request(c, { ':path': '/good/idle' })).status, 200);
    clock.advance(21_000);
    assert.equal(await goaway, constants.NGHTTP2_NO_ERROR);
    await closed;
  });

  it('passes on the target\'s 100 Continue to a client that waits for it before its body', async () => {
    const c = await h2Connect(port, ca.cert);
    try {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const s = c.request({ ':method': 'POST', ':path': '/good/upload', expect: '100-continue', 'content-length': '5' });
        let body = '';
        let status = 0;
        s.on('continue', () => s.end('hello'));
        s.on('response', (h) => (status = Number(h[':status'])));
        s.setEncoding('utf8');
        s.on('data', (t: string) => (body += t));
        s.on('end', () => resolve({ status, body }));
        s.on('error', reject);
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.body, 'good POST /good/upload 5\n');
    } finally {
      c.close();
    }
  });
});
