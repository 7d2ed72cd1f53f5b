/**
 * Instance refresh on real processes under a steady load through the load
 * balancer (issue 4, "Instance refresh"): every instance is replaced with a
 * new launch template version and not one request fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../support/backends.js';
import { describeInstanceRefreshes, startInstanceRefresh } from '../../src/controlplane/asg/refresh/ops.js';
import { get, groupConfig, inService, requestLoop, startAsgDaemon, waitFor } from './asg-support.js';

for (const prefs of [
  { name: 'terminate first (min 90 %, max 100 %)', p: { instanceWarmup: 1 } },
  { name: 'launch first (min 100 %, max 200 %)', p: { instanceWarmup: 1, minHealthyPercentage: 100, maxHealthyPercentage: 200 } },
]) {
  test(`a refresh that replaces every instance under load costs zero failed requests: ${prefs.name}`, async () => {
    const lbPort = await freePort();
    const appPort = await freePort();
    const s = await startAsgDaemon(groupConfig({ lbPort, appPort, min: 2, max: 4, delay: 3 }));
    try {
      const before = await waitFor('2 healthy InService instances', () => healthy(s, 2), 30_000);
      s.asg.templates.createVersion('app', { data: { environment: { RELEASE: 'two' } } });
      const loop = requestLoop(lbPort);
      const r = startInstanceRefresh(s.asg, 'app', { desiredConfiguration: { version: '$Latest' }, preferences: prefs.p });
      assert.equal(r.instancesToUpdate, 2);
      const done = await waitFor('the refresh to end', () => {
        const d = describeInstanceRefreshes(s.asg, 'app')[0]!;
        return ['Successful', 'Failed', 'Cancelled'].includes(d.Status as string) ? d : undefined;
      }, 90_000);
      await waitFor('2 healthy again', () => healthy(s, 2), 30_000);
      // A quick refresh can be over in fewer requests: keep the load on the new instances until it has served enough.
      await waitFor('more than 50 requests served', () => loop.ok() > 50, 30_000);
      const result = await loop.stop();
      assert.equal(done.Status, 'Successful', JSON.stringify(done));
      assert.deepEqual(result.failed, [], `failed requests: ${result.failed.join('; ')}`);
      assert.ok(result.ok > 50, `only ${result.ok} requests`);
      const after = inService(s.asg);
      assert.equal(after.filter((id) => before.includes(id)).length, 0, 'every instance replaced');
      assert.ok(s.asg.group('app')!.state.instances.filter((x) => !x.terminating).every((x) => x.templateVersion === 2));
      const res = await get(lbPort, '/');
      assert.match(res.body, /template version 2/);
    } finally {
      await s.destroy();
    }
  });
}

function healthy(s: Awaited<ReturnType<typeof startAsgDaemon>>, n: number): string[] | undefined {
  const h = (s.daemon.control.describeTargetHealth('app') ?? []).filter((x) => x.targetHealth.state === 'healthy').length;
  const ids = inService(s.asg);
  return h === n && ids.length === n ? ids : undefined;
}
