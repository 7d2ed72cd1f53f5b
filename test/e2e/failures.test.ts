/**
 * What the client sees when targets fail: 502, 503, 504, passive detection with
 * a retry on another target, failing open, and deregistration draining.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { ManualClock } from '../../src/core/clock.js';
import { closedPort, freePort, startBackend } from '../support/backends.js';
import { basicConfig, startDaemon, stateOf, waitForHealth } from '../support/daemon.js';
import { RawClient, rawExchange } from '../support/raw-http.js';

const GET = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`;

/** A raw TCP target that answers every connection with the given bytes (or nothing). */
async function rawTarget(reply: (sock: import('node:net').Socket) => void): Promise<{ port: number; close(): void }> {
  const server = createNetServer((sock) => {
    sock.on('error', () => {});
    sock.once('data', () => reply(sock));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

test('503 with a body saying why when the target group has no registered target', async () => {
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({ port, targets: [] }));
  try {
    const r = await rawExchange(port, GET('/'));
    assert.equal(r.status, 503);
    assert.match(r.body, /no registered target/);
    assert.equal(r.headers['x-shoal-reason'], 'target group app has no registered targets');
  } finally {
    await shoal.stop();
  }
});

test('502 when the target sends a malformed response', async () => {
  const bad = await rawTarget((s) => s.end('SMTP ready\r\n\r\n'));
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({ port, targets: [bad.port] }));
  try {
    const r = await rawExchange(port, GET('/'));
    assert.equal(r.status, 502);
    assert.match(r.body, /invalid response/);
  } finally {
    await shoal.stop();
    bad.close();
  }
});

test('the client connection is cut when the target closes mid-response', async () => {
  const half = await rawTarget((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part'));
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({ port, targets: [half.port] }));
  try {
    const c = new RawClient(port);
    c.send(GET('/'));
    assert.equal(await c.waitClosed(), true);
  } finally {
    await shoal.stop();
    half.close();
  }
});

test('a target that breaks chunked framing mid-response gets the client cut off, and the daemon keeps serving', async () => {
  const broken = await rawTarget((s) => s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n'));
  const good = await startBackend('good');
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({ port, targets: [broken.port] }));
  try {
    const c = new RawClient(port);
    c.send(GET('/'));
    assert.equal(await c.waitClosed(), true);
    shoal.daemon.control.registerTargets('app', [{ id: '127.0.0.1', port: good.port }]);
    shoal.daemon.control.deregisterTargets('app', [{ id: '127.0.0.1', port: broken.port }]);
    await shoal.daemon.control.publishNow();
    assert.equal((await rawExchange(port, GET('/after'))).status, 200);
  } finally {
    await shoal.stop();
    broken.close();
    await good.close();
  }
});

test('504 when the target does not answer within the target timeout (manual clock)', async () => {
  const silent = await rawTarget(() => {});
  const port = await freePort();
  const clock = new ManualClock();
  const shoal = await startDaemon(basicConfig({ port, targets: [silent.port], lbAttributes: 'targetTimeoutSeconds: 3' }), { clock });
  try {
    const c = new RawClient(port);
    c.send(GET('/slow'));
    // Let the request reach the target, then move time past the timeout.
    await waitUntil(() => shoal.daemon.control.host instanceof Object && inflightOf(shoal) > 0);
    clock.advance(4000);
    const r = await c.read();
    assert.equal(r.status, 504);
    assert.match(r.body, /did not respond in time/);
    c.close();
  } finally {
    await shoal.stop();
    silent.close();
  }
});

test('a refused connection marks a healthy target unhealthy at once and the GET is retried on another target', async () => {
  const good = await startBackend('good');
  const dying = await startBackend('dying');
  const port = await freePort();
  // Active checks every 30 s with 2 failures to go unhealthy: only passive detection can act within this test.
  const hc = 'path: /health, intervalSeconds: 30, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2';
  const shoal = await startDaemon(basicConfig({ port, targets: [dying.port, good.port], healthCheck: hc }));
  try {
    await waitForHealth(shoal.daemon, 'app', (l) => l.every((d) => d.targetHealth.state === 'healthy'));
    await shoal.daemon.control.publishNow(); // the data plane routes to both only once it has seen both healthy
    await dying.close();
    for (let i = 0; i < 6; i++) {
      const r = await rawExchange(port, GET(`/r${i}`));
      assert.equal(r.status, 200, `request ${i}`);
      assert.match(r.body, /^good /);
    }
    const list = await waitForHealth(shoal.daemon, 'app', (l) => stateOf(l, dying.port) === 'unhealthy', 3000);
    const d = list.find((x) => x.target.port === dying.port)!;
    assert.equal(d.targetHealth.reason, 'Target.FailedHealthChecks');
    assert.match(d.targetHealth.description ?? '', /ECONNREFUSED/);
  } finally {
    await shoal.stop();
    await good.close();
  }
});

test('a POST is not retried: the client gets 502 when its target refuses', async () => {
  const dead = await closedPort();
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({ port, targets: [dead] }), { clock: new ManualClock() });
  try {
    const r = await rawExchange(port, 'POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi');
    assert.equal(r.status, 502);
  } finally {
    await shoal.stop();
  }
});

test('fails open: with every target unhealthy, requests still reach them', async () => {
  const sick = await startBackend('sick', (req, res) => {
    res.writeHead(req.url === '/health' ? 500 : 200, { 'content-length': '3' });
    res.end('yes');
  });
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({ port, targets: [sick.port] }));
  try {
    await waitForHealth(shoal.daemon, 'app', (l) => stateOf(l, sick.port) === 'unhealthy', 20_000);
    const r = await rawExchange(port, GET('/app'));
    assert.equal(r.status, 200);
    assert.equal(r.body, 'yes');
  } finally {
    await shoal.stop();
    await sick.close();
  }
});

test('deregistration: no new requests go to the target, its in-flight request completes, then it leaves', async () => {
  let release: (() => void) | null = null;
  const slow = await startBackend('slow', (req, res) => {
    const finish = (): void => {
      res.writeHead(200, { 'content-length': '4' });
      res.end('done');
    };
    if (req.url === '/slow') release = finish;
    else finish();
  });
  const other = await startBackend('other');
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({ port, targets: [], tgAttributes: 'deregistrationDelaySeconds: 60' }));
  try {
    shoal.daemon.control.registerTargets('app', [{ id: '127.0.0.1', port: slow.port }]);
    await shoal.daemon.control.publishNow();
    const c = new RawClient(port);
    c.send(GET('/slow'));
    await waitUntil(() => release !== null);
    shoal.daemon.control.registerTargets('app', [{ id: '127.0.0.1', port: other.port }]);
    shoal.daemon.control.deregisterTargets('app', [{ id: '127.0.0.1', port: slow.port }]);
    await shoal.daemon.control.publishNow();
    assert.equal(stateOf(shoal.daemon.control.describeTargetHealth('app')!, slow.port), 'draining');
    for (let i = 0; i < 4; i++) {
      const r = await rawExchange(port, GET('/new'));
      assert.match(r.body, /^other /, 'new requests avoid the draining target');
    }
    release!();
    const r = await c.read();
    assert.equal(r.body, 'done');
    // With nothing in flight it leaves well before the 60 s delay.
    await waitForHealth(shoal.daemon, 'app', (l) => stateOf(l, slow.port) === undefined, 5000);
    c.close();
  } finally {
    await shoal.stop();
    await slow.close();
    await other.close();
  }
});

function inflightOf(shoal: { daemon: { control: { host: unknown } } }): number {
  const host = shoal.daemon.control.host as { dataPlane?: { inflight(): Record<string, number> } };
  return Object.values(host.dataPlane?.inflight() ?? {}).reduce((a, b) => a + b, 0);
}

async function waitUntil(pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('targets of a target group no load balancer forwards to are unused (Target.NotInUse)', async () => {
  const backend = await startBackend('spare');
  const port = await freePort();
  const extra = `
  - name: spare
    port: ${backend.port}
    healthCheck: { path: /, intervalSeconds: 30 }
    targets: [{ id: 127.0.0.1 }]`;
  const shoal = await startDaemon(basicConfig({ port, targets: [backend.port] }).replace(/\n$/, '') + extra + '\n');
  try {
    const spare = shoal.daemon.control.describeTargetHealth('spare')!;
    assert.equal(spare.length, 1);
    assert.deepEqual(spare[0]!.targetHealth, {
      state: 'unused',
      reason: 'Target.NotInUse',
      description: 'Target group is not configured to receive traffic from the load balancer',
    });
    assert.notEqual(shoal.daemon.control.describeTargetHealth('app')![0]!.targetHealth.state, 'unused');
  } finally {
    await shoal.stop();
    await backend.close();
  }
});
