import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.js';
import { ShoalError } from '../../core/errors.js';
import { providerContract } from '../contract.js';
import type { LaunchSpec } from '../provider.js';
import { FakeProvider } from './fake-provider.js';
import { FakeWorld } from './world.js';

function spec(instanceId: string, overrides: Partial<LaunchSpec> = {}): LaunchSpec {
  return {
    instanceId, imageDir: '/images/hello', availabilityZone: 'zone-a', zoneIndex: 0, instanceType: 't3.micro',
    environment: {}, port: 8080, templateVersion: '1', tags: {}, ...overrides,
  };
}

providerContract('fake', async () => {
  const clock = new ManualClock();
  const world = new FakeWorld();
  const h = {
    provider: new FakeProvider({ clock, world }),
    async reopen() {
      await h.provider.close();
      h.provider = new FakeProvider({ clock, world });
      return h.provider;
    },
    spec,
    async close() {},
  };
  return h;
});

const ids = ['i-00000000000000000a', 'i-00000000000000000b', 'i-00000000000000000c'] as const;

test('fake: the scripted Nth launch fails, the others do not', async () => {
  const p = new FakeProvider({ clock: new ManualClock() });
  p.failLaunch(2, 'scripted: no capacity');
  await p.launch(spec(ids[0]));
  await assert.rejects(p.launch(spec(ids[1])), (e: unknown) => e instanceof ShoalError && e.code === 'InsufficientInstanceCapacity');
  await p.launch(spec(ids[2]));
  assert.deepEqual(p.world.calls.map((c) => c.op), ['launch', 'launch', 'launch']);
  assert.equal((await p.list()).length, 2);
});

test('fake: pending, then booting, then booted, on the manual clock', async () => {
  const clock = new ManualClock();
  const p = new FakeProvider({ clock, defaults: { pendingMs: 1000, bootMs: 4000 } });
  const launched = await p.launch(spec(ids[0]));
  assert.equal(launched.state, 'pending');
  const steps: Array<[number, string, string]> = [[999, 'pending', 'running'], [1, 'running', 'running'], [4000, 'running', 'succeeded']];
  for (const [ms, state, boot] of steps) {
    clock.advance(ms);
    const o = await p.describe(ids[0]);
    assert.deepEqual([o?.state, o?.bootStatus], [state, boot], `after +${ms} ms`);
  }
});

test('fake: a failed boot stops the instance with the cause and a boot log line', async () => {
  const clock = new ManualClock();
  const p = new FakeProvider({ clock });
  p.scriptLaunch(1, { bootMs: 2000, bootExitStatus: 3 });
  await p.launch(spec(ids[0]));
  clock.advance(2000);
  const o = await p.describe(ids[0]);
  assert.equal(o?.state, 'stopped');
  assert.equal(o?.bootStatus, 'failed');
  assert.match(o?.impairedReason ?? '', /status 3/);
  const log = await p.readLog(ids[0], 'boot', { from: 0 });
  assert.match(log.text, /status 3/);
  assert.equal(log.complete, true);
});

test('fake: an instance dies at a scripted time, also while "shoal was down"', async () => {
  const clock = new ManualClock();
  const world = new FakeWorld();
  const p = new FakeProvider({ clock, world });
  await p.launch(spec(ids[0]));
  p.dieAt(ids[0], clock.now() + 5000, 'Instance process exited while shoal was down');
  clock.advance(4999);
  assert.equal((await p.describe(ids[0]))?.state, 'running');
  clock.advance(10_000);
  const again = new FakeProvider({ clock, world });
  const o = await again.describe(ids[0]);
  assert.deepEqual([o?.state, o?.impairedReason, o?.endedAt], ['stopped', 'Instance process exited while shoal was down', clock.now() - 9999]);
});

test('fake: scripted usage shows while running; terminated instances are forgotten after an hour', async () => {
  const clock = new ManualClock();
  const p = new FakeProvider({ clock });
  await p.launch(spec(ids[0]));
  p.setUsage(ids[0], { cpuPercent: 83, memoryBytes: 1 << 20 });
  const [o] = await p.sample(clock.now());
  assert.deepEqual([o?.cpuPercent, o?.memoryBytes], [83, 1 << 20]);
  await p.terminate(ids[0], { stopTimeoutMs: 0 });
  clock.advance(3_600_001);
  assert.deepEqual(await p.list(), []);
});
