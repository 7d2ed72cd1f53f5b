/**
 * Warm pools on real processes: a pool member is booted then frozen (SIGSTOP:
 * its processes show state T in /proc), a scale-out takes it from the pool
 * (thawed, registered, serving through the load balancer) and the pool refills.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { freePort } from '../support/backends.js';
import * as ops from '../../src/controlplane/asg/ops.js';
import { get, groupConfig, startAsgDaemon, waitFor } from './asg-support.js';

const procState = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];

test('warm pool: a frozen member serves a scale-out within seconds, and the pool refills', async () => {
  const lbPort = await freePort();
  const appPort = await freePort();
  const extra = '    warmPool: { minSize: 1, maxGroupPreparedCapacity: 2, poolState: Stopped }\n';
  const s = await startAsgDaemon(groupConfig({ lbPort, appPort, min: 1, max: 3, desired: 1, delay: 2, extra }));
  try {
    const g = s.asg.group('app')!;
    const warm = await waitFor('a Warmed:Stopped member', () => g.state.instances.find((r) => r.lifecycleState === 'Warmed:Stopped'), 30_000);
    await waitFor('the first instance healthy', () => (s.daemon.control.describeTargetHealth('app') ?? []).some((h) => h.targetHealth.state === 'healthy') || undefined, 30_000);
    const obs = await s.asg.provider.describe(warm.instanceId);
    assert.equal(obs?.frozen, true);
    assert.equal(procState(obs!.pid!), 'T', 'the process group is stopped (SIGSTOP)');
    assert.equal((s.daemon.control.describeTargetHealth('app') ?? []).length, 1, 'pool members are not registered');

    const t0 = Date.now();
    ops.setDesiredCapacity(s.asg, 'app', 2);
    await waitFor('the pool member healthy in the target group', () => {
      const h = (s.daemon.control.describeTargetHealth('app') ?? []).find((x) => x.target.id === warm.target!.id);
      return h?.targetHealth.state === 'healthy' || undefined;
    }, 30_000);
    const ms = Date.now() - t0;
    assert.notEqual(procState(obs!.pid!), 'T', 'thawed');
    const served = await waitFor('a response from the former pool member', async () => {
      const r = await get(lbPort, '/');
      return r.body.includes(warm.instanceId) ? r : undefined;
    }, 10_000);
    assert.equal(served.status, 200);
    const refill = await waitFor('the pool refilled', () => g.state.instances.find((r) => r.lifecycleState === 'Warmed:Stopped' && r.instanceId !== warm.instanceId), 30_000);
    assert.ok(refill);
    const act = s.asg.activities.list(g.state).find((a) => a.Description === `Launching a new EC2 instance from warm pool: ${warm.instanceId}`);
    assert.ok(act, 'activity recorded');
    assert.ok(ms < 30_000, `took ${ms} ms`);
  } finally {
    await s.destroy();
  }
});
