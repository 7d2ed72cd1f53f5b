import { after, before, describe } from 'node:test';
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
});
