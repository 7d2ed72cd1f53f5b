/**
 * Auto Scaling on real processes, as a new user tries it (issue 3, "Done when"):
 * kill -9 an instance and see it replaced with no failed request; a broken
 * boot script explained by the activity history and the boot log; scale-in
 * while a slow request is in flight; a daemon restart that adopts the fleet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../support/backends.js';
import { get, groupConfig, inService, requestLoop, startAsgDaemon, waitFor } from './asg-support.js';

test('a group of 2 comes up in two zones, serves through the LB, and a kill -9 is replaced with no failed request', async () => {
  const lbPort = await freePort();
  const appPort = await freePort();
  const s = await startAsgDaemon(groupConfig({ lbPort, appPort, min: 2, max: 4 }));
  try {
    const ids = await waitFor('2 healthy InService instances', () => {
      const health = s.daemon.describeTargetHealth('app') ?? [];
      const healthy = health.filter((h) => h.targetHealth.state === 'healthy').length;
      return healthy === 2 && inService(s.asg).length === 2 ? inService(s.asg) : undefined;
    });
    const zones = s.asg.group('app')!.state.instances.map((r) => r.availabilityZone).sort();
    assert.deepEqual(zones, ['zone-a', 'zone-b']);
    const r = await get(lbPort, '/');
    assert.equal(r.status, 200);
    assert.match(r.body, /hello from i-0/);

    const loop = requestLoop(lbPort);
    const victim = ids[0]!;
    const obs = await s.asg.provider.describe(victim);
    process.kill(-obs!.pid!, 'SIGKILL');
    const fresh = await waitFor('a replacement InService and healthy', () => {
      const now = inService(s.asg);
      const healthy = (s.daemon.describeTargetHealth('app') ?? []).filter((h) => h.targetHealth.state === 'healthy').length;
      return now.length === 2 && !now.includes(victim) && healthy === 2 ? now : undefined;
    }, 30_000);
    const result = await loop.stop();
    assert.deepEqual(result.failed, [], `failed requests: ${result.failed.join('; ')}`);
    assert.ok(result.ok > 10);
    assert.ok(fresh.includes(ids[1]!));
    const acts = s.asg.activities.list(s.asg.group('app')!.state);
    const term = acts.find((a) => a.Description === `Terminating EC2 instance: ${victim}`);
    assert.ok(term, JSON.stringify(acts, null, 1));
    assert.match(term!.Cause, /EC2 health check indicating it has been terminated or stopped/);
    assert.match(term!.StatusMessage ?? '', /SIGKILL/);
  } finally {
    await s.destroy();
  }
});
