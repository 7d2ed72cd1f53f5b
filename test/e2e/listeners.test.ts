/**
 * The data plane's listener seam (issue 10): listeners open per protocol, a
 * listener that cannot open is reported (never silently dropped),
 * and a snapshot that only changes targets or health keeps the compiled
 * routers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { DataPlane } from '../../src/dataplane/data-plane.js';
import type { ListenerSnapshot, Snapshot } from '../../src/dataplane/snapshot.js';
import type { ListenerProtocol } from '../../src/model/load-balancer.js';
import { freePort } from '../support/backends.js';
import { rawExchange } from '../support/raw-http.js';

const ATTRS = { idleTimeoutSeconds: 60, desyncMitigationMode: 'defensive' as const, headerTimeoutSeconds: 10, targetTimeoutSeconds: 60 };

function listener(port: number, protocol: ListenerProtocol = 'HTTP'): ListenerSnapshot {
  return {
    loadBalancer: 'web', bindAddress: '127.0.0.1', port, protocol, rules: [], attributes: ATTRS,
    defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '200', contentType: 'text/plain', messageBody: 'hi' } }],
  };
}

function snapshot(version: number, listeners: ListenerSnapshot[], state: 'healthy' | 'unhealthy' = 'healthy'): Snapshot {
  return { version, stickySecret: '00', listeners, targetGroups: { app: { name: 'app', algorithm: 'round_robin', targets: [{ key: '127.0.0.1:1', host: '127.0.0.1', port: 1, state }] } } };
}

function start(errors: string[]): DataPlane {
  return new DataPlane({
    clock: new ManualClock(), random: seededRandom(3),
    events: { targetFailed: () => {}, listenError: (a, m) => errors.push(`${a}: ${m}`), stats: () => {}, accessLog: () => {} },
  });
}

test('a health-only snapshot keeps the compiled router; a rule change compiles a new one', async () => {
  const port = await freePort();
  const dp = start([]);
  try {
    await dp.apply(snapshot(1, [listener(port)]));
    assert.equal((await rawExchange(port, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n')).body, 'hi');
    const routerOf = () => (dp as unknown as { listeners: Map<string, { handle: { current: { router: unknown } } }> })
      .listeners.get(`127.0.0.1:${port}`)!.handle.current.router;
    const first = routerOf();
    await dp.apply(snapshot(2, [listener(port)], 'unhealthy'));
    assert.equal(routerOf(), first, 'same router after a health change');
    const changed = listener(port);
    changed.defaultActions = [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '200', contentType: 'text/plain', messageBody: 'new' } }];
    await dp.apply(snapshot(3, [changed]));
    assert.notEqual(routerOf(), first);
    assert.equal((await rawExchange(port, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n')).body, 'new');
  } finally {
    await dp.close(100);
  }
});

test('a listener that cannot open is reported, and the others open', async () => {
  const [a, b] = [await freePort(), await freePort()];
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(b, '127.0.0.1', r));
  const errors: string[] = [];
  const dp = start(errors);
  try {
    await dp.apply(snapshot(1, [listener(a), listener(b, 'TCP')]));
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, new RegExp(`^127\\.0\\.0\\.1:${b}: .*EADDRINUSE`));
    assert.equal((await rawExchange(a, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n')).status, 200);
  } finally {
    await dp.close(100);
    taken.close();
  }
});
