/**
 * The contract every Store passes (style.md rule 5). memory.test.ts and
 * sqlite.test.ts run it; a new store (PostgreSQL) runs it too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { lb, tg } from './fixtures.js';
import { DEFAULT_HISTORY_LIMIT, statusKind, type Store } from './store.js';

/** Opens a fresh, empty store on the given clock. */
export type OpenStore = (clock: ManualClock) => Store;

const code = (c: string) => (err: unknown) => (err as { code?: string }).code === c;

export function storeContract(name: string, openStore: OpenStore): void {
  describe(`Store contract: ${name}`, () => {
    const fresh = () => {
      const clock = new ManualClock();
      return { clock, store: openStore(clock) };
    };

    it('starts empty at version 0', () => {
      const { store } = fresh();
      assert.equal(store.version(), 0);
      assert.deepEqual(store.loadBalancers(), []);
      assert.deepEqual(store.targetGroups(), []);
      assert.deepEqual(store.registeredTargets('app'), []);
      assert.deepEqual(store.listDocs('asg'), []);
      assert.deepEqual(store.history('activity:asg:app'), []);
      store.close();
    });

    describe('applyConfig', () => {
      const cases: { desc: string; second: { lbs: string[]; tgs: string[] }; bumps: boolean }[] = [
        { desc: 'an identical config keeps the version', second: { lbs: ['web', 'api'], tgs: ['app', 'b'] }, bumps: false },
        { desc: 'a reordered config is a change (order is kept)', second: { lbs: ['api', 'web'], tgs: ['app', 'b'] }, bumps: true },
        { desc: 'a removed load balancer is a change', second: { lbs: ['web'], tgs: ['app', 'b'] }, bumps: true },
        { desc: 'an added target group is a change', second: { lbs: ['web', 'api'], tgs: ['app', 'b', 'c'] }, bumps: true },
      ];
      for (const c of cases) {
        it(c.desc, () => {
          const { store } = fresh();
          const first = store.applyConfig({ loadBalancers: [lb('web'), lb('api')], targetGroups: [tg('app'), tg('b')] });
          assert.equal(first.version, 1);
          const second = store.applyConfig({ loadBalancers: c.second.lbs.map((n) => lb(n)), targetGroups: c.second.tgs.map((n) => tg(n)) });
          assert.equal(second.version, c.bumps ? 2 : 1);
          assert.equal(store.version(), second.version);
          assert.deepEqual(store.loadBalancers().map((l) => l.name), c.second.lbs);
          assert.deepEqual(store.targetGroups().map((g) => g.name), c.second.tgs);
          store.close();
        });
      }

      it('stores the specs as given and hands out copies', () => {
        const { store } = fresh();
        store.applyConfig({ loadBalancers: [lb('web')], targetGroups: [tg('app')] });
        assert.deepEqual(store.loadBalancers(), [lb('web')]);
        store.targetGroups()[0]!.targets.push({ id: '10.0.0.1', port: 1 });
        assert.deepEqual(store.targetGroups(), [tg('app')]);
        store.close();
      });

      for (const c of [
        { desc: 'duplicate load balancer names', input: { loadBalancers: [lb('x'), lb('x')], targetGroups: [] } },
        { desc: 'duplicate target group names', input: { loadBalancers: [], targetGroups: [tg('x'), tg('x')] } },
      ]) {
        it(`rejects ${c.desc} and writes nothing`, () => {
          const { store } = fresh();
          store.applyConfig({ loadBalancers: [lb('web')], targetGroups: [tg('app')] });
          assert.throws(() => store.applyConfig(c.input), code('ValidationError'));
          assert.equal(store.version(), 1);
          assert.deepEqual(store.loadBalancers().map((l) => l.name), ['web']);
          store.close();
        });
      }

      it('keeps runtime registrations of remaining groups and returns those of removed groups', () => {
        const { store, clock } = fresh();
        store.applyConfig({ loadBalancers: [], targetGroups: [tg('app'), tg('old')] });
        store.registerTargets('app', [{ id: '127.0.1.1', port: 80 }], 'asg:app');
        clock.advance(1000);
        store.registerTargets('old', [{ id: '127.0.2.1', port: 81, availabilityZone: 'zone-a' }], 'api');
        const result = store.applyConfig({ loadBalancers: [], targetGroups: [tg('app', 5000)] });
        assert.deepEqual(result.droppedRegistrations, [
          { group: 'old', targets: [{ id: '127.0.2.1', port: 81, availabilityZone: 'zone-a', source: 'api', registeredAt: clock.now() }] },
        ]);
        assert.deepEqual(store.registeredTargets('app').map((t) => t.id), ['127.0.1.1']);
        // Declaring the group again does not bring old registrations back.
        const again = store.applyConfig({ loadBalancers: [], targetGroups: [tg('app', 5000), tg('old')] });
        assert.deepEqual(again.droppedRegistrations, []);
        assert.deepEqual(store.registeredTargets('old'), []);
        store.close();
      });
    });

    describe('runtime targets', () => {
      const setup = () => {
        const s = fresh();
        s.store.applyConfig({ loadBalancers: [], targetGroups: [tg('app')] });
        return s;
      };

      it('registers idempotently, keeping the first source and time', () => {
        const { store, clock } = setup();
        const t0 = clock.now();
        store.registerTargets('app', [{ id: '127.0.1.1', port: 80 }, { id: '127.0.1.1', port: 80 }], 'asg:app');
        assert.equal(store.version(), 2);
        clock.advance(5000);
        store.registerTargets('app', [{ id: '127.0.1.1', port: 80 }], 'api');
        assert.equal(store.version(), 2, 'an all-known registration changes nothing');
        store.registerTargets('app', [{ id: '127.0.1.1', port: 81, availabilityZone: 'zone-b' }], 'api');
        assert.deepEqual(store.registeredTargets('app'), [
          { id: '127.0.1.1', port: 80, source: 'asg:app', registeredAt: t0 },
          { id: '127.0.1.1', port: 81, availabilityZone: 'zone-b', source: 'api', registeredAt: t0 + 5000 },
        ]);
        assert.equal(store.version(), 3);
        store.close();
      });

      const deregCases = [
        { desc: 'returns the ones that existed, in request order', remove: [['b', 2], ['x', 9], ['a', 1]], removed: ['b', 'a'], left: [] as string[] },
        { desc: 'ignores unknown targets and keeps the version', remove: [['x', 9], ['a', 2]], removed: [], left: ['a', 'b'] },
        { desc: 'matches on id and port together', remove: [['a', 2], ['b', 2]], removed: ['b'], left: ['a'] },
      ] as const;
      for (const c of deregCases) {
        it(`deregister ${c.desc}`, () => {
          const { store } = setup();
          store.registerTargets('app', [{ id: 'a', port: 1 }, { id: 'b', port: 2, availabilityZone: 'zone-a' }], 'api');
          const before = store.version();
          const removed = store.deregisterTargets('app', c.remove.map(([id, port]) => ({ id, port })));
          assert.deepEqual(removed.map((t) => t.id), c.removed);
          assert.ok(removed.every((t) => !('source' in t)), 'returns plain targets');
          assert.deepEqual(store.registeredTargets('app').map((t) => t.id), c.left);
          assert.equal(store.version(), before + (c.removed.length > 0 ? 1 : 0));
          store.close();
        });
      }

      for (const op of ['registerTargets', 'deregisterTargets'] as const) {
        it(`${op} on an undeclared group throws TargetGroupNotFound`, () => {
          const { store } = setup();
          assert.throws(() => store[op]('nope', [{ id: 'a', port: 1 }], 'api'), code('TargetGroupNotFound'));
          assert.equal(store.version(), 1);
          store.close();
        });
      }
    });

    describe('documents', () => {
      const putCases: { desc: string; existing: boolean; expected: (v: number) => number | undefined; ok: boolean }[] = [
        { desc: 'unconditional create', existing: false, expected: () => undefined, ok: true },
        { desc: 'create-only (0) when absent', existing: false, expected: () => 0, ok: true },
        { desc: 'create-only (0) when present', existing: true, expected: () => 0, ok: false },
        { desc: 'matching version', existing: true, expected: (v) => v, ok: true },
        { desc: 'stale version', existing: true, expected: (v) => v - 1, ok: false },
        { desc: 'a version for a missing document', existing: false, expected: () => 7, ok: false },
        { desc: 'unconditional overwrite', existing: true, expected: () => undefined, ok: true },
      ];
      for (const c of putCases) {
        it(`putDoc: ${c.desc} ${c.ok ? 'writes' : 'throws ConflictException'}`, () => {
          const { store } = fresh();
          store.putDoc('asg', 'other', { n: 0 });
          const v = c.existing ? store.putDoc('asg', 'web', { n: 1 }) : 0;
          const before = store.version();
          const attempt = () => store.putDoc('asg', 'web', { n: 2 }, c.expected(v));
          if (c.ok) {
            const written = attempt();
            assert.equal(written, before + 1, 'a document version is the store version it was written at');
            assert.deepEqual(store.getDoc('asg', 'web'), { value: { n: 2 }, version: written });
          } else {
            assert.throws(attempt, (err: unknown) => code('ConflictException')(err) && (err as { status: number }).status === 409);
            assert.equal(store.version(), before);
            assert.deepEqual(store.getDoc('asg', 'web'), c.existing ? { value: { n: 1 }, version: v } : undefined);
          }
          store.close();
        });
      }

      it('deletes, reports whether it existed, and never reuses a version', () => {
        const { store } = fresh();
        const v1 = store.putDoc('launch-template', 'app', { versions: [1] });
        assert.equal(store.deleteDoc('launch-template', 'app'), true);
        assert.equal(store.version(), v1 + 1);
        assert.equal(store.deleteDoc('launch-template', 'app'), false);
        assert.equal(store.version(), v1 + 1);
        const v2 = store.putDoc('launch-template', 'app', { versions: [1] }, 0);
        assert.ok(v2 > v1);
        assert.throws(() => store.putDoc('launch-template', 'app', {}, v1), code('ConflictException'));
        store.close();
      });

      it('lists by kind ordered by id; spec and status kinds stay apart', () => {
        const { store } = fresh();
        store.putDoc('asg', 'web', { desiredCapacity: 2 });
        store.putDoc('asg', 'api', { desiredCapacity: 1 });
        store.putDoc(statusKind('asg'), 'web', { inService: 1 });
        assert.deepEqual(store.listDocs('asg').map((d) => [d.id, d.value]), [['api', { desiredCapacity: 1 }], ['web', { desiredCapacity: 2 }]]);
        assert.deepEqual(store.listDocs(statusKind('asg')).map((d) => d.value), [{ inService: 1 }]);
        store.close();
      });

      it('stores JSON: copies out, undefined fields dropped, undefined values refused', () => {
        const { store } = fresh();
        const value = { a: [1], b: undefined as number | undefined };
        store.putDoc('x', '1', value);
        value.a.push(2);
        const got = store.getDoc<{ a: number[] }>('x', '1')!;
        assert.deepEqual(got.value, { a: [1] });
        got.value.a.push(3);
        assert.deepEqual(store.listDocs('x')[0]!.value, { a: [1] });
        assert.throws(() => store.putDoc('x', '2', undefined), code('ValidationError'));
        store.close();
      });
    });

    describe('history', () => {
      it('reads newest first, per stream, stamped by the clock, without moving the version', () => {
        const { store, clock } = fresh();
        const t0 = clock.now();
        const a = store.appendHistory('activity:asg:web', { description: 'Launching i-1', id: 'ignored' });
        clock.advance(10);
        const b = store.appendHistory('alarm:cpu', { state: 'ALARM' });
        const c = store.appendHistory('activity:asg:web', { description: 'Launching i-2' });
        assert.ok(a < b && b < c, 'ids grow across streams');
        assert.deepEqual(store.history('activity:asg:web'), [
          { description: 'Launching i-2', id: c, at: t0 + 10 },
          { description: 'Launching i-1', id: a, at: t0 },
        ]);
        assert.deepEqual(store.history('activity:asg:web', 1).map((e) => e.id), [c]);
        assert.deepEqual(store.history('none'), []);
        assert.equal(store.version(), 0);
        store.close();
      });

      it(`returns at most ${DEFAULT_HISTORY_LIMIT} entries by default`, () => {
        const { store } = fresh();
        for (let i = 0; i < DEFAULT_HISTORY_LIMIT + 5; i++) store.appendHistory('s', { i });
        const entries = store.history<{ i: number }>('s');
        assert.equal(entries.length, DEFAULT_HISTORY_LIMIT);
        assert.equal(entries[0]!.i, DEFAULT_HISTORY_LIMIT + 4);
        assert.throws(() => store.history('s', -1), code('ValidationError'));
        store.close();
      });
    });

    it('refuses calls after close, and closing twice is fine', () => {
      const { store } = fresh();
      store.close();
      store.close();
      assert.throws(() => store.version(), code('StoreClosed'));
      assert.throws(() => store.putDoc('x', '1', {}), code('StoreClosed'));
    });
  });
}
