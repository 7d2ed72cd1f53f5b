/**
 * `shoal top` as a user runs it, against a daemon with an Auto Scaling group
 * behind a load balancer: the snapshot (--once --output json, and the text
 * a non-terminal gets) counts the requests just sent, the group's capacity
 * and the target health.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '../support/backends.js';
import { get, groupConfig, startAsgDaemon, waitFor } from './asg-support.js';
import { WINDOW_SECONDS, type TopSnapshot } from '../../src/cli/top.js';

const CLI = resolve('dist/src/cli/main.js');

test('shoal top --once: requests per second, p99, capacity and health per load balancer and group', async (t) => {
  const lbPort = await freePort();
  const s = await startAsgDaemon(groupConfig({ lbPort, appPort: await freePort(), min: 2, max: 3 }));
  t.after(() => s.destroy());
  await waitFor('2 healthy targets', () => (s.daemon.control.describeTargetHealth('app') ?? []).filter((d) => d.targetHealth.state === 'healthy').length === 2, 30_000);
  await s.daemon.control.publishNow();
  for (let i = 0; i < 30; i++) assert.equal((await get(lbPort, '/')).status, 200);

  // Not spawnSync: the daemon answering the CLI runs in this process.
  const top = (...args: string[]) => new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [CLI, 'top', '--once', '--endpoint', s.daemon.apiAddress(), '--api-token', s.daemon.apiToken, ...args], { timeout: 10_000 }, (err, stdout, stderr) => {
      done({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
  // Workers report once a second: wait until the 30 requests are in the store.
  const snap = await waitFor('30 requests counted', async () => {
    const r = await top('--output', 'json');
    assert.equal(r.status, 0, r.stderr);
    const x = JSON.parse(r.stdout) as TopSnapshot;
    return Math.round((x.loadBalancers[0]?.requestsPerSecond ?? 0) * WINDOW_SECONDS) === 30 ? x : undefined;
  }, 8000);
  const lb = snap.loadBalancers[0]!;
  assert.equal(lb.name, 'web');
  assert.deepEqual([lb.healthyTargets, lb.targets, lb.errorsPerSecond], [2, 2, 0]);
  assert.ok(lb.p99Ms !== null && lb.p99Ms > 0, `p99 ${lb.p99Ms}`);
  const g = snap.groups[0]!;
  assert.deepEqual([g.name, g.inService, g.desired, g.min, g.max], ['app', 2, 2, 2, 3]);
  assert.equal(Math.round(g.requestsPerSecond! * WINDOW_SECONDS), 30, 'the group is read through its target group');

  const text = await top();
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^web\s+application\s+\d+\.\d\s+\d+\.\d\s+0\.0\s+\S+\s+2\/2 healthy$/m);
  assert.match(text.stdout, /^app\s+2\s+2\s+2-3\s/m);
});
