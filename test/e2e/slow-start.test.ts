/**
 * Slow start end to end: real backends and sockets, an in-process daemon on a
 * manual clock. A target registered beside a healthy one ramps from a small
 * share to an even one over slowStartSeconds; counts, not timings, are asserted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/clock.js';
import { freePort, startBackend } from '../support/backends.js';
import { basicConfig, startDaemon, stateOf, waitForHealth } from '../support/daemon.js';
import { rawExchange } from '../support/raw-http.js';

const GET = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`;

test('a target registered later gets few requests at first and an even share once slow start ends (manual clock)', async () => {
  const a = await startBackend('a');
  const b = await startBackend('b');
  const port = await freePort();
  const clock = new ManualClock();
  // One check right after registration, then none within the test (300 s interval): the manual clock
  // jumps, and a real probe in flight would otherwise see its timeout pass before its answer.
  const healthCheck = 'path: /, intervalSeconds: 300, timeoutSeconds: 120, healthyThresholdCount: 2, unhealthyThresholdCount: 2';
  const shoal = await startDaemon(
    basicConfig({ port, targets: [a.port], healthCheck, tgAttributes: 'deregistrationDelaySeconds: 0, slowStartSeconds: 30' }),
    { clock },
  );
  /** Sends n requests one after another; returns how many each backend answered. */
  const spread = async (n: number): Promise<{ a: number; b: number }> => {
    const seen = { a: 0, b: 0 };
    for (let i = 0; i < n; i++) {
      const r = await rawExchange(port, GET(`/r${i}`));
      assert.equal(r.status, 200);
      seen[r.body.startsWith('a ') ? 'a' : 'b']++;
    }
    return seen;
  };
  try {
    clock.advance(1000); // the first check of a new target waits up to 1 s
    await waitForHealth(shoal.daemon, 'app', (l) => stateOf(l, a.port) === 'healthy');
    shoal.daemon.control.registerTargets('app', [{ id: '127.0.0.1', port: b.port }]);
    clock.advance(1000);
    await waitForHealth(shoal.daemon, 'app', (l) => stateOf(l, b.port) === 'healthy');
    await shoal.daemon.control.publishNow();
    const snap = shoal.daemon.control.snapshot().targetGroups.app!.targets;
    assert.ok(snap.find((t) => t.port === b.port)?.slowStart, 'b is in slow start');
    assert.equal(snap.find((t) => t.port === a.port)?.slowStart, undefined, 'a, the first target, is not');

    // Start of the window: weight 1/30, so about 1 in 31 requests.
    const start = await spread(62);
    assert.ok(start.b <= 4 && start.a >= 58, `start of slow start: ${JSON.stringify(start)}`);
    // DescribeTargetHealth shows a target in slow start as plain healthy, as ALB does.
    const health = shoal.daemon.control.describeTargetHealth('app')!;
    assert.deepEqual(health.map((d) => d.targetHealth), [{ state: 'healthy' }, { state: 'healthy' }]);

    // Half way: weight 1/2, so b gets 1/3.
    clock.advance(15_000);
    const half = await spread(60);
    assert.ok(half.b >= 16 && half.b <= 24, `half way: ${JSON.stringify(half)}`);

    // After the window: an even share.
    clock.advance(16_000);
    const done = await spread(60);
    assert.ok(Math.abs(done.a - done.b) <= 2, `after slow start: ${JSON.stringify(done)}`);
  } finally {
    await shoal.stop();
    await a.close();
    await b.close();
  }
});
