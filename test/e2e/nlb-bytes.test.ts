/**
 * The TCP byte path of network load balancers (the native relay where it is
 * built, tcp/flow.ts otherwise; nlb-js.test.ts runs this file on the
 * JavaScript path): large transfers both ways at once with a slow reader
 * (backpressure, every byte in order), half-close in both directions, a
 * target's reset reaching the client, and the counters reaching the
 * metrics store (NewConnectionCount, ProcessedBytes, ActiveConnectionCount,
 * the target's bytes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '../support/backends.js';
import { startDaemon, waitForHealth } from '../support/daemon.js';
import { loadBalancerDimension } from '../../src/model/ids.js';

const MiB = 1024 * 1024;

/** A pattern stream: `size` bytes from a seed, in 64 KiB chunks, and its digest. */
function pattern(size: number): { chunks: Buffer[]; digest: string } {
  const block = randomBytes(64 * 1024);
  const chunks: Buffer[] = [];
  const h = createHash('sha256');
  for (let sent = 0; sent < size; sent += block.length) {
    const c = block.subarray(0, Math.min(block.length, size - sent));
    chunks.push(c);
    h.update(c);
  }
  return { chunks, digest: h.digest('hex') };
}

/** Writes every chunk with the socket's backpressure, then ends (half-close). */
async function send(s: Socket, chunks: Buffer[]): Promise<void> {
  for (const c of chunks) if (!s.write(c)) await new Promise((r) => s.once('drain', r));
  s.end();
}

/** Reads until the peer's FIN, pausing every 4 MiB for 20 ms (a slow reader); the digest of what came. */
function receive(s: Socket): Promise<{ bytes: number; digest: string }> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    let bytes = 0;
    let nextPause = 4 * MiB;
    s.on('data', (d: Buffer) => {
      h.update(d);
      bytes += d.length;
      if (bytes >= nextPause) {
        nextPause += 4 * MiB;
        s.pause();
        setTimeout(() => s.resume(), 20);
      }
    });
    s.on('end', () => resolve({ bytes, digest: h.digest('hex') }));
    s.on('error', reject);
  });
}

interface Target {
  port: number;
  server: Server;
  /** What the target does with each connection. */
  handler: (s: Socket) => void;
}

async function target(): Promise<Target> {
  const t: Target = { port: 0, server: createServer({ allowHalfOpen: true }, (s) => t.handler(s)), handler: (s) => s.destroy() };
  await new Promise<void>((r) => t.server.listen(0, '127.0.0.1', r));
  t.port = (t.server.address() as { port: number }).port;
  return t;
}

test('TCP listener: bytes both ways with backpressure, half-close, resets, and the counters in the metrics', async (t) => {
  const tgt = await target();
  const port = await freePort();
  const shoal = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: bulk
    type: network
    listeners: [{ port: ${port}, protocol: TCP, defaultActions: [{ type: forward, targetGroup: one }] }]
targetGroups:
  - name: one
    protocol: TCP
    port: ${tgt.port}
    healthCheck: { intervalSeconds: 30, timeoutSeconds: 5, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
    targets: [{ id: 127.0.0.1, port: ${tgt.port} }]
`);
  t.after(async () => {
    await shoal.stop();
    tgt.server.close();
  });
  await waitForHealth(shoal.daemon, 'one', (l) => l[0]?.targetHealth.state === 'healthy', 15_000);
  const start = Date.now() - 1000;

  // 48 MiB up and 48 MiB down at the same time, each side a slow reader: every byte arrives, in order.
  const up = pattern(48 * MiB);
  const down = pattern(48 * MiB);
  let atTarget: Promise<{ bytes: number; digest: string }> | undefined;
  tgt.handler = (s) => {
    atTarget = receive(s);
    void send(s, down.chunks);
  };
  const client = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  await new Promise((r) => client.once('connect', r));
  const [atClient] = await Promise.all([receive(client), send(client, up.chunks)]);
  assert.deepEqual(atClient, { bytes: 48 * MiB, digest: down.digest }, 'what the target sent reached the client');
  assert.deepEqual(await atTarget, { bytes: 48 * MiB, digest: up.digest }, 'what the client sent reached the target');
  client.destroy();

  // Half-close: the client ends its side first; the target answers after seeing the end, and the answer arrives.
  tgt.handler = (s) => {
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (got += d));
    s.on('end', () => setTimeout(() => s.end(`after end: ${got}`), 50));
  };
  const half = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  half.end('question');
  let answer = '';
  half.setEncoding('utf8');
  half.on('data', (d: string) => (answer += d));
  await new Promise((r) => half.once('end', r));
  assert.equal(answer, 'after end: question');
  half.destroy();

  // A target that resets its connection: the client's connection is reset too.
  tgt.handler = (s) => s.once('data', () => s.resetAndDestroy());
  const reset = connect({ host: '127.0.0.1', port });
  reset.write('boom');
  const outcome = await new Promise<string>((resolve) => {
    reset.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    reset.on('close', () => resolve('closed without a reset'));
  });
  assert.equal(outcome, 'ECONNRESET');

  // The counters: 3 connections, every byte the client moved, the target's bytes; one connection open while it lasts.
  tgt.handler = () => {};
  const idle = connect({ host: '127.0.0.1', port });
  await new Promise((r) => idle.once('connect', r));
  const metrics = shoal.daemon.control.metrics!;
  const LB = { name: 'LoadBalancer', value: loadBalancerDimension('bulk') };
  const total = (metricName: string, statistic: 'Sum' | 'Maximum' = 'Sum') => {
    const points = metrics.query({
      namespace: 'AWS/ApplicationELB', metricName, dimensions: [LB], statistic, periodSeconds: 3600,
      start: Math.floor(start / 3_600_000) * 3_600_000, end: Date.now() + 3_600_000,
    });
    return points.reduce((a, p) => (statistic === 'Sum' ? a + p.value : Math.max(a, p.value)), 0);
  };
  const moved = 2 * 48 * MiB + 'question'.length + 'after end: question'.length + 'boom'.length;
  const deadline = Date.now() + 5000;
  while ((total('NewConnectionCount') < 4 || total('ProcessedBytes') < moved || total('ActiveConnectionCount', 'Maximum') < 1) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(total('NewConnectionCount'), 4);
  assert.equal(total('ProcessedBytes'), moved);
  assert.ok(total('ActiveConnectionCount', 'Maximum') >= 1, 'the open connection is counted as active');
  idle.destroy();
});
