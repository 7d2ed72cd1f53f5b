/**
 * portMode: dynamic, for apps that cannot bind a given address: each instance
 * gets HOST=127.0.0.1 and a port of its own, and is registered in the target
 * group with that port (as ECS dynamic port mapping).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../support/backends.js';
import { get, groupConfig, startAsgDaemon, waitFor } from './asg-support.js';

test('dynamic port mode: instances on 127.0.0.1 with ports of their own, registered with those ports, serve through the LB', async () => {
  const lbPort = await freePort();
  const appPort = await freePort();
  const yaml = groupConfig({ lbPort, appPort, min: 2, max: 2 }).replace('        instanceType: t3.micro', '        instanceType: t3.micro\n        portMode: dynamic');
  assert.match(yaml, /portMode: dynamic/);
  const s = await startAsgDaemon(yaml);
  try {
    const targets = await waitFor('2 healthy targets', () => {
      const list = s.daemon.control.describeTargetHealth('app') ?? [];
      return list.length === 2 && list.every((d) => d.targetHealth.state === 'healthy') ? list : undefined;
    }, 30_000);
    // The control plane saw both healthy; the data plane balances over both once it has that snapshot.
    await s.daemon.control.publishNow();
    for (const t of targets) {
      assert.equal(t.target.id, '127.0.0.1');
      assert.notEqual(t.target.port, appPort, 'each instance has a port of its own');
    }
    assert.notEqual(targets[0]!.target.port, targets[1]!.target.port);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = await get(lbPort, '/');
      assert.equal(r.status, 200);
      seen.add(/hello from (i-0[0-9a-f]+)/.exec(r.body)![1]!);
    }
    assert.equal(seen.size, 2, 'both instances take traffic');
  } finally {
    await s.destroy();
  }
});
