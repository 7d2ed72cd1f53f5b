import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { systemClock } from '../../src/core/clock.js';
import { providerContract } from '../../src/providers/contract.js';
import { DockerProvider } from '../../src/providers/docker/docker-provider.js';
import { L } from '../../src/providers/docker/labels.js';
import type { LaunchSpec } from '../../src/providers/provider.js';
import { buildHelloImage, HELLO_IMAGE, startEngine, type TestEngine } from '../support/docker.js';

// A real dockerd of the test's own (test/support/docker.ts), a locally built
// image, real containers on host networking. Skipped, saying why, only when
// no dockerd can be installed or started here.
const started = await startEngine('contract');
const engine: TestEngine | undefined = 'skip' in started ? undefined : started;
if (!engine) console.log(`# ${(started as { skip: string }).skip}`);
const PORT = 20000 + ((process.pid + 7919) % 20000);
const helloBoot = '#!/bin/sh\necho "booting $INSTANCE_ID in $AVAILABILITY_ZONE"\nexec node server.js\n';
let runs = 0;

function spec(instanceId: string, overrides: Partial<LaunchSpec> = {}): LaunchSpec {
  return {
    instanceId, imageDir: `docker:${HELLO_IMAGE}`, availabilityZone: 'zone-a', zoneIndex: 0, instanceType: 't3.micro',
    userData: helloBoot, environment: {}, port: PORT, templateVersion: '1', tags: {}, ...overrides,
  };
}

describe('docker provider', { skip: engine ? false : 'no Docker engine (see the log line above)' }, () => {
  before(async () => { if (engine) await buildHelloImage(engine); });
  after(async () => { await engine?.stop(); });
  if (!engine) return;
  const engines = new Map([['zone-a', engine.docker], ['zone-b', engine.docker]]);
  providerContract('docker', async () => {
    const scope = `t${process.pid}-${++runs}`;
    const open = () => DockerProvider.open({ engines, clock: systemClock, scope });
    const h = {
      provider: await open(),
      async reopen() {
        await h.provider.close();
        h.provider = await open();
        return h.provider;
      },
      spec,
      async close() {
        await h.provider.close();
        const left = await engine.docker.listContainers({ all: true, filters: { label: [`${L.scope}=${scope}`] } });
        await Promise.all(left.map((c) => engine.docker.getContainer(c.Id).remove({ force: true })));
      },
    };
    return h;
  });

  async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const v = await fn().catch(() => undefined);
      if (v !== undefined) return v;
      await delay(50);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('the container app answers on its own loopback address and port; docker kill makes it stopped with the cause', async () => {
    const scope = `t${process.pid}-app`;
    const p = await DockerProvider.open({ engines, clock: systemClock, scope });
    try {
      const obs = await p.launch(spec('i-0000000000000000a1', { tags: { 'aws:autoscaling:groupName': 'web' } }));
      const body = await until('the app to answer', async () => {
        const res = await fetch(`http://${obs.host}:${obs.port}/who`);
        return res.ok ? res.text() : undefined;
      });
      assert.match(body, /hello from i-0000000000000000a1 \(127\.0\.1\.\d+:\d+, zone zone-a, template version 1/);
      const [c] = await engine.docker.listContainers({ filters: { label: [`${L.instanceId}=i-0000000000000000a1`, `${L.scope}=${scope}`] } });
      assert.equal(c?.Labels[L.group], 'web');
      const ins = await engine.docker.getContainer(c!.Id).inspect();
      assert.equal(ins.HostConfig.RestartPolicy?.Name, 'no');
      assert.equal(ins.HostConfig.Memory, 1024 * 1024 * 1024);
      assert.match((await p.readLog('i-0000000000000000a1', 'boot', { from: 0 })).text, /booting i-0000000000000000a1 in zone-a/);
      await engine.docker.getContainer(c!.Id).kill();
      const stopped = await until('stopped', async () => {
        const o = await p.describe('i-0000000000000000a1');
        return o?.state === 'stopped' ? o : undefined;
      });
      assert.match(stopped.impairedReason ?? '', /exited with status 137/);
    } finally {
      const left = await engine.docker.listContainers({ all: true, filters: { label: [`${L.scope}=${scope}`] } });
      await Promise.all(left.map((c) => engine.docker.getContainer(c.Id).remove({ force: true })));
    }
  });
});
