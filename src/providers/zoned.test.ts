/** ZonedProvider over two fake providers: launches by zone, the rest by owner, images checked against the zone's kind. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import { FakeProvider } from './fake/fake-provider.js';
import type { LaunchSpec } from './provider.js';
import { ZonedProvider } from './zoned.js';

const spec = (instanceId: string, zone: string, imageDir: string): LaunchSpec => ({
  instanceId, imageDir, availabilityZone: zone, zoneIndex: zone === 'zone-a' ? 0 : 1, instanceType: 't3.micro',
  environment: {}, port: 8080, templateVersion: '1', tags: {},
});

function setup() {
  const clock = new ManualClock();
  const local = new FakeProvider({ clock });
  const containers = new FakeProvider({ clock });
  return { local, containers, p: new ZonedProvider(local, new Map([['zone-b', containers]])) };
}

test('launches go to the zone\'s provider; terminate, logs and describe go to the owner; list has both', async () => {
  const { local, containers, p } = setup();
  await p.launch(spec('i-0000000000000000a1', 'zone-a', '/images/hello'));
  await p.launch(spec('i-0000000000000000b1', 'zone-b', 'docker:shoal-test/hello:1'));
  assert.deepEqual((await local.list()).map((o) => o.instanceId), ['i-0000000000000000a1']);
  assert.deepEqual((await containers.list()).map((o) => o.instanceId), ['i-0000000000000000b1']);
  assert.deepEqual((await p.list()).map((o) => o.instanceId).sort(), ['i-0000000000000000a1', 'i-0000000000000000b1']);
  await p.terminate('i-0000000000000000b1', { stopTimeoutMs: 0 });
  assert.equal((await containers.describe('i-0000000000000000b1'))?.state, 'terminated');
  assert.equal((await local.describe('i-0000000000000000a1'))?.state !== 'terminated', true);
  // A fresh ZonedProvider (a daemon restart) finds owners by asking each provider.
  const again = new ZonedProvider(local, new Map([['zone-b', containers]]));
  assert.equal((await again.describe('i-0000000000000000a1'))?.instanceId, 'i-0000000000000000a1');
  await again.terminate('i-0000000000000000a1', { stopTimeoutMs: 0 });
  assert.equal((await local.describe('i-0000000000000000a1'))?.state, 'terminated');
  await assert.rejects(again.terminate('i-0000000000000000ff', { stopTimeoutMs: 0 }), /does not exist/);
});

test('an image of the wrong kind for the zone is a clear launch error; impaired zones are merged', async () => {
  const { containers, p } = setup();
  await assert.rejects(p.launch(spec('i-0000000000000000a2', 'zone-b', '/images/hello')), /zone-b runs containers on a Docker engine: .*docker:repo\/name:tag/);
  await assert.rejects(p.launch(spec('i-0000000000000000a3', 'zone-a', 'docker:shoal-test/hello:1')), /zone-a runs processes: .*needs a zone with a Docker engine/);
  containers.impairZone('zone-b', 'engine down');
  assert.deepEqual([...p.impairedZones()], [['zone-b', 'engine down']]);
});
