/**
 * An Auto Scaling group of containers on two Docker Engines (issue 12's
 * "Done when", the group part): two private dockerd processes with their own
 * sockets and data roots stand in for two hosts, one per zone. The daemon
 * reads `zones:` and runs the group's instances as containers there: they
 * spread over both engines and serve through the load balancer; CPU comes
 * from the engine's stats; a `docker kill`ed container is replaced; when a
 * whole engine stops, its zone's instances fail their status checks and
 * the group replaces them in the other zone (a launch tried there before the
 * zone is known impaired fails with the engine's error and goes elsewhere).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../support/backends.js';
import { buildHelloImage, HELLO_IMAGE, startEngines, type TestEngine } from '../support/docker.js';
import { get, groupConfig, inService, startAsgDaemon, waitFor, type AsgDaemon } from './asg-support.js';
import { L } from '../../src/providers/docker/labels.js';

const { engines: [a, b], skip } = await startEngines([['za'], ['zb']]);

const boot = '#!/bin/sh\necho "booting $INSTANCE_ID in $AVAILABILITY_ZONE"\nexec node server.js\n';

describe('an Auto Scaling group of containers on two Docker engines', { skip }, () => {
  let s: AsgDaemon;
  let yaml = '';
  let lbPort = 0;
  let bStopped = false;

  before(async () => {
    await Promise.all([buildHelloImage(a!), buildHelloImage(b!)]);
    lbPort = await freePort();
    const zones = `zones:
  - name: zone-a
    docker: { host: "${a!.host}" }
  - name: zone-b
    docker: { host: "${b!.host}" }
`;
    yaml = zones + groupConfig({ lbPort, appPort: await freePort(), min: 2, max: 6, desired: 4, image: `docker:${HELLO_IMAGE}`, userData: boot, delay: 1 });
    s = await startAsgDaemon(yaml);
  });

  after(async () => {
    await s?.destroy().catch(() => undefined);
    await a?.stop();
    if (!bStopped) await b?.stop();
  });

  const running = async (e: TestEngine) =>
    (await e.docker.listContainers({ filters: { label: [`${L.group}=app`], status: ['running'] } })).map((c) => c.Labels[L.instanceId]!);
  const zonesAnswering = async (n: number) => {
    const zones = new Set<string>();
    for (let i = 0; i < n; i++) {
      const r = await get(lbPort, '/who');
      assert.equal(r.status, 200, r.body);
      zones.add(/zone (zone-[ab])/.exec(r.body)?.[1] ?? '?');
    }
    return [...zones].sort();
  };

  it('spreads over both engines and serves through the load balancer, with CPU from the engine\'s stats', async () => {
    await waitFor('4 healthy InService containers', () => inService(s.asg).length === 4, 120_000);
    await waitFor('4 healthy targets', () => s.daemon.control.describeTargetHealth('app')?.filter((t) => t.targetHealth.state === 'healthy').length === 4, 60_000);
    assert.deepEqual([(await running(a!)).length, (await running(b!)).length], [2, 2], 'two containers on each engine');
    assert.deepEqual(await zonesAnswering(20), ['zone-a', 'zone-b']);
    const id = inService(s.asg)[0]!;
    await waitFor('a CPU sample from the engine', async () => (await s.asg.provider.describe(id))?.cpuPercent !== undefined, 30_000);
    const obs = (await s.asg.provider.describe(id))!;
    assert.ok(obs.cpuPercent! >= 0 && obs.cpuPercent! <= 100, String(obs.cpuPercent));
    assert.ok((obs.memoryBytes ?? 0) > 1024 * 1024, `memory ${obs.memoryBytes}`);
    const log = await s.asg.provider.readLog(id, 'boot', { from: 0 });
    assert.match(log.text, new RegExp(`booting ${id} in zone-[ab]`));
  });

  it('a docker kill-ed container is replaced, and the activity says why', async () => {
    const victim = (await running(a!))[0]!;
    const [c] = await a!.docker.listContainers({ filters: { label: [`${L.instanceId}=${victim}`] } });
    await a!.docker.getContainer(c!.Id).kill();
    await waitFor('the replacement InService', () => inService(s.asg).length === 4 && !inService(s.asg).includes(victim), 120_000);
    const acts = s.asg.activities.list(s.asg.group('app')!.state, 50);
    assert.ok(acts.some((x) => x.Description === `Terminating EC2 instance: ${victim}` && /terminated or stopped/.test(x.Cause)), JSON.stringify(acts.slice(0, 5)));
    assert.deepEqual([(await running(a!)).length, (await running(b!)).length], [2, 2], 'the replacement went back to zone-a');
  });

  it('an engine that stops: its zone is impaired and the group moves its share to the other zone', async () => {
    const inB = await running(b!);
    assert.equal(inB.length, 2);
    await b!.stop(); // dockerd stops its containers as it goes, then stops answering
    bStopped = true;
    await waitFor('zone-b impaired', () => s.asg.provider.impairedZones().has('zone-b'), 30_000);
    await waitFor('4 healthy InService instances, all in zone-a', () => {
      const g = s.asg.group('app')!;
      const ok = inService(s.asg);
      return ok.length === 4 && ok.every((id) => g.find(id)?.availabilityZone === 'zone-a');
    }, 180_000);
    assert.equal((await running(a!)).length, 4);
    assert.deepEqual(await zonesAnswering(20), ['zone-a']);
    await waitFor('4 healthy targets', () => s.daemon.control.describeTargetHealth('app')?.filter((t) => t.targetHealth.state === 'healthy').length === 4, 60_000);
    const acts = s.asg.activities.list(s.asg.group('app')!.state, 50);
    for (const id of inB) assert.ok(acts.some((x) => x.Description === `Terminating EC2 instance: ${id}`), `${id} replaced: ${JSON.stringify(acts.slice(0, 6).map((x) => x.Description))}`);
  });

  it('a restarted daemon adopts its containers (labels) instead of launching new ones', async () => {
    const before = (await running(a!)).sort();
    const launches = () => s.asg.activities.list(s.asg.group('app')!.state, 200).filter((x) => x.Description.startsWith('Launching')).length;
    const launched = launches();
    await s.stop();
    s = await startAsgDaemon(yaml, s.dir);
    await waitFor('the 4 containers InService again', () => inService(s.asg).length === 4, 60_000);
    assert.deepEqual(inService(s.asg).sort(), before, 'the same instances');
    assert.deepEqual((await running(a!)).sort(), before, 'no new containers');
    assert.equal(launches(), launched, 'no launch activity after the restart');
  });
});
