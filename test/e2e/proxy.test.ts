/**
 * The HTTP proxy end to end: real sockets, real backends, an in-process daemon.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startBackend, freePort, type Backend } from '../support/backends.js';
import { startDaemon, basicConfig, waitForHealth, type TestDaemon } from '../support/daemon.js';
import { RawClient, rawExchange } from '../support/raw-http.js';

let a: Backend;
let b: Backend;
let shoal: TestDaemon;
let port: number;

before(async () => {
  a = await startBackend('a');
  b = await startBackend('b');
  port = await freePort();
  shoal = await startDaemon(
    basicConfig({
      port,
      targets: [a.port, b.port],
      healthCheck: 'path: /, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2',
    }),
  );
});

after(async () => {
  await shoal.stop();
  await a.close();
  await b.close();
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('forwards to both targets in turn (round robin, failing open while health is initial)', async () => {
  const names = new Set<string>();
  for (let i = 0; i < 4; i++) {
    const r = await get(`/hello?i=${i}`);
    assert.equal(r.status, 200);
    names.add(r.body.split(' ')[0]!);
  }
  assert.deepEqual([...names].sort(), ['a', 'b']);
});

test('adds X-Forwarded-For (appended), -Proto, -Port and a trace id; drops hop-by-hop headers', async () => {
  // Health checks (GET /) reach the same backends meanwhile; count only this request's path.
  await get('/xff', { 'x-forwarded-for': '203.0.113.7', 'keep-alive': 'timeout=5', 'x-forwarded-port': '1' });
  const all = [...a.received, ...b.received].filter((r) => r.url === '/xff');
  assert.equal(all.length, 1);
  const seen = all[0]!;
  assert.equal(seen.headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
  assert.equal(seen.headers['x-forwarded-proto'], 'http');
  assert.equal(seen.headers['x-forwarded-port'], String(port));
  assert.match(String(seen.headers['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  assert.equal(seen.headers['keep-alive'], undefined);
});

test('keeps the client connection alive across requests, and answers pipelined requests in order', async () => {
  const c = new RawClient(port);
  c.send(`GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n`);
  const r1 = await c.read();
  const r2 = await c.read();
  assert.match(r1.body, / GET \/one /);
  assert.match(r2.body, / GET \/two /);
  c.send(`GET /three HTTP/1.1\r\nHost: x\r\n\r\n`);
  assert.match((await c.read()).body, / GET \/three /);
  assert.equal(c.closed, false);
  c.close();
});

test('Connection: close from the client closes after the response', async () => {
  const r = await rawExchange(port, 'GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(r.status, 200);
  assert.equal(r.closed, true);
});

test('forwards a POST body with Content-Length and a chunked one', async () => {
  const body = 'x'.repeat(100_000);
  const r1 = await rawExchange(port, `POST /cl HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  assert.match(r1.body, / POST \/cl 100000/);
  const chunked = `5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`;
  const r2 = await rawExchange(port, `POST /te HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunked}`);
  assert.match(r2.body, / POST \/te 11/);
});

test('HTTP/1.0 requests are answered and closed', async () => {
  const r = await rawExchange(port, 'GET /old HTTP/1.0\r\n\r\n');
  assert.equal(r.status, 200);
  assert.equal(r.closed, true);
});

test('health checks mark both targets healthy', async () => {
  // intervalSeconds 5 with thresholds 2: the first check runs at once, the second 5 s later.
  const list = await waitForHealth(shoal.daemon, 'app', (l) => l.length === 2 && l.every((d) => d.targetHealth.state === 'healthy'), 15_000);
  assert.equal(list.length, 2);
});
