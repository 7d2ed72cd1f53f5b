import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/log.js';
import { seededRandom } from '../../core/random.js';
import { FakeProvider } from '../../providers/fake/index.js';
import { createMemoryStore } from '../../store/index.js';
import { StandaloneInstances, TERMINATED_RETENTION_MS } from './standalone.js';

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 10, 22));
  const store = createMemoryStore(clock);
  const provider = new FakeProvider({ clock });
  const m = new StandaloneInstances({ store, clock, random: seededRandom(3), log: silentLogger, provider: async () => provider, stopTimeoutMs: 0 });
  const req = (min: number, max: number) => ({
    minCount: min, maxCount: max, record: { imageId: 'ami-0123456789abcdef0', instanceType: 't3.micro', availabilityZone: 'zone-a', securityGroupIds: [] },
    spec: { imageDir: '/tmp', availabilityZone: 'zone-a', zoneIndex: 0, instanceType: 't3.micro', environment: {}, port: 8080, templateVersion: '', tags: {} },
  });
  return { clock, store, provider, m, req };
}

test('run, stop (freeze), start (thaw), terminate, and forgotten after the retention', async () => {
  const { clock, provider, m, req } = setup();
  const [r] = await m.run(req(1, 1));
  assert.equal(m.list().length, 1);
  await m.stop(r!.instanceId);
  assert.equal((await provider.describe(r!.instanceId))!.frozen, true);
  assert.match(m.get(r!.instanceId)!.stateTransitionReason!, /^User initiated \(2026-11-22 00:00:00 GMT\)$/);
  await m.start(r!.instanceId);
  assert.equal((await provider.describe(r!.instanceId))!.frozen, undefined);
  await m.terminate(r!.instanceId);
  await m.settle();
  assert.equal((await provider.describe(r!.instanceId))!.state, 'terminated');
  await assert.rejects(m.stop(r!.instanceId), { code: 'IncorrectInstanceState' });
  clock.advance(TERMINATED_RETENTION_MS + 1);
  assert.deepEqual(m.list(), []);
  await assert.rejects(m.terminate(r!.instanceId), { code: 'InvalidInstanceID.NotFound' });
});

test('MinCount is all or nothing; above it, launches stop at the first failure', async () => {
  const { provider, m, req } = setup();
  provider.failLaunch(2);
  await assert.rejects(m.run(req(2, 2)), { code: 'InsufficientInstanceCapacity' });
  assert.deepEqual(m.list(), [], 'the first one is terminated and forgotten');
  provider.failLaunch(4);
  const some = await m.run(req(1, 3));
  assert.equal(some.length, 1);
  assert.equal(m.list().length, 1);
});
