import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShoalError } from '../core/errors.js';
import { INSTANCE_NOT_FOUND, type InstanceObservation, type LaunchSpec, type Provider } from './provider.js';

/**
 * The contract every instance provider passes (style.md rule 5). Run it from a
 * test file with a factory that builds a fresh harness per test:
 *
 *   providerContract('fake', async () => ({ provider, reopen, spec, close }));
 */
export interface ContractHarness {
  provider: Provider;
  /** A new provider on the same backing state (the old one closed), as after a daemon restart. */
  reopen(): Promise<Provider>;
  /** A launchable spec for this provider (an image that boots and keeps running). */
  spec(instanceId: string, overrides?: Partial<LaunchSpec>): LaunchSpec;
  /** Terminates what is left and removes the backing state. */
  close(): Promise<void>;
}

const stop = { stopTimeoutMs: 5000 };

function id(n: number): string {
  return `i-0${n.toString(16).padStart(16, '0')}`;
}

async function rejectsWithCode(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof ShoalError, `expected a ShoalError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.ok(err.message.length > 10, 'the message should say what is wrong');
    return true;
  });
}

function assertAlive(obs: InstanceObservation | undefined, what: string): asserts obs is InstanceObservation {
  assert.ok(obs, `${what}: not found`);
  assert.ok(obs.state === 'pending' || obs.state === 'running', `${what}: state ${obs.state} (${obs.impairedReason ?? ''})`);
}

/** Waits (on real time, at most 10 s) until a pending instance runs; a fake one runs at once. */
async function waitRunning(p: Provider, instanceId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await p.describe(instanceId))?.state === 'running') return;
    await new Promise((r) => setImmediate(r));
  }
  assert.fail(`${instanceId} never reached running`);
}

export function providerContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`provider contract: ${name}`, () => {
    let h: ContractHarness;
    beforeEach(async () => { h = await makeHarness(); });
    afterEach(async () => { await h.close(); });

    it('launch returns a pending or running instance with an address in its zone\'s subnet', async () => {
      const obs = await h.provider.launch(h.spec(id(1), { availabilityZone: 'zone-b', zoneIndex: 1, tags: { team: 'web' } }));
      assertAlive(obs, 'launched');
      assert.equal(obs.instanceId, id(1));
      assert.match(obs.privateIp, /^127\.0\.2\.\d+$/);
      assert.equal(obs.availabilityZone, 'zone-b');
      assert.deepEqual(obs.tags, { team: 'web' });
      assert.equal(typeof obs.launchedAt, 'number');
      assert.ok(obs.port > 0);
    });

    it('list and describe show a launched instance', async () => {
      await h.provider.launch(h.spec(id(1)));
      const listed = await h.provider.list();
      assert.deepEqual(listed.map((o) => o.instanceId), [id(1)]);
      assertAlive(await h.provider.describe(id(1)), 'described');
      assert.equal(await h.provider.describe(id(2)), undefined);
    });

    it('gives instances of one zone distinct addresses, and reuses an address after terminate', async () => {
      const a = await h.provider.launch(h.spec(id(1)));
      const b = await h.provider.launch(h.spec(id(2)));
      assert.notEqual(a.privateIp, b.privateIp);
      assert.match(a.privateIp, /^127\.0\.1\.\d+$/);
      await h.provider.terminate(id(1), stop);
      const c = await h.provider.launch(h.spec(id(3)));
      assert.equal(c.privateIp, a.privateIp);
    });

    it('gives instances launched at the same time distinct addresses (issue 4: an ASG launches in batches)', async () => {
      for (const [n, portMode] of [[1, 'host'], [4, 'dynamic']] as const) {
        const launched = await Promise.all([n, n + 1, n + 2].map((k) => h.provider.launch(h.spec(id(k), { portMode }))));
        const where = launched.map((o) => `${o.host}:${o.port}`);
        assert.equal(new Set(where).size, 3, `${portMode}: ${where.join(', ')}`);
        if (portMode === 'host') assert.equal(new Set(launched.map((o) => o.privateIp)).size, 3, `${portMode}: ${where.join(', ')}`);
      }
    });

    it('terminate makes it terminated, and is idempotent', async () => {
      await h.provider.launch(h.spec(id(1)));
      await h.provider.terminate(id(1), stop);
      assert.equal((await h.provider.describe(id(1)))?.state, 'terminated');
      await h.provider.terminate(id(1), stop);
      assert.equal((await h.provider.list()).find((o) => o.instanceId === id(1))?.state, 'terminated');
    });

    it('rejects unknown ids with InvalidInstanceID.NotFound', async () => {
      await rejectsWithCode(h.provider.terminate(id(9), stop), INSTANCE_NOT_FOUND);
      await rejectsWithCode(h.provider.readLog(id(9), 'boot'), INSTANCE_NOT_FOUND);
    });

    it('rejects a duplicate instance id, an unknown instance type and a malformed id', async () => {
      await h.provider.launch(h.spec(id(1)));
      await rejectsWithCode(h.provider.launch(h.spec(id(1))), 'ValidationError');
      await rejectsWithCode(h.provider.launch(h.spec(id(2), { instanceType: 'x9.huge' })), 'InvalidParameterValue');
      await rejectsWithCode(h.provider.launch(h.spec('i-123')), 'ValidationError');
      assert.equal((await h.provider.list()).length, 1);
    });

    it('adopts running instances when re-created on the same state', async () => {
      const a = await h.provider.launch(h.spec(id(1)));
      await h.provider.launch(h.spec(id(2)));
      await h.provider.terminate(id(2), stop);
      const again = await h.reopen();
      const seen = await again.list();
      const adopted = seen.find((o) => o.instanceId === id(1));
      assertAlive(adopted, 'adopted');
      assert.equal(adopted.privateIp, a.privateIp);
      assert.equal(seen.find((o) => o.instanceId === id(2))?.state, 'terminated');
      await again.terminate(id(1), stop);
      assert.equal((await again.describe(id(1)))?.state, 'terminated');
    });

    it('reads the boot log as offsets that continue', async () => {
      await h.provider.launch(h.spec(id(1)));
      const first = await h.provider.readLog(id(1), 'boot', { from: 0 });
      assert.equal(first.from, 0);
      assert.equal(first.end, Buffer.byteLength(first.text));
      const next = await h.provider.readLog(id(1), 'boot', { from: first.end });
      assert.ok(next.from >= first.end);
    });

    it('freeze and thaw: observations say frozen until thawed; both idempotent; a frozen instance terminates', async () => {
      await h.provider.launch(h.spec(id(1)));
      await waitRunning(h.provider, id(1));
      await h.provider.freeze(id(1));
      await h.provider.freeze(id(1));
      const frozen = await h.provider.describe(id(1));
      assert.equal(frozen?.frozen, true);
      assert.equal(frozen?.state, 'running');
      await h.provider.thaw(id(1));
      await h.provider.thaw(id(1));
      assert.equal((await h.provider.describe(id(1)))?.frozen, undefined);
      await h.provider.freeze(id(1));
      await h.provider.terminate(id(1), stop);
      const ended = await h.provider.describe(id(1));
      assert.equal(ended?.state, 'terminated');
      assert.equal(ended?.frozen, undefined);
      await rejectsWithCode(h.provider.thaw(id(1)), 'IncorrectInstanceState');
      await rejectsWithCode(h.provider.freeze(id(9)), INSTANCE_NOT_FOUND);
    });

    it('lists no impaired zone while every zone answers', async () => {
      await h.provider.launch(h.spec(id(1)));
      await h.provider.list();
      assert.deepEqual([...h.provider.impairedZones()], []);
    });

    it('sample returns observations of every instance', async () => {
      await h.provider.launch(h.spec(id(1)));
      const obs = await h.provider.sample(Date.parse('2030-01-01T00:00:00Z'));
      assert.deepEqual(obs.map((o) => o.instanceId), [id(1)]);
    });
  });
}
