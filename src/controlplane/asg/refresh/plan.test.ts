/** Instance refresh plans as tables (style.md rule 2): batch sizes, waits, checkpoints, endings. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { plan } from '../plan.js';
import type { Action, AlarmState } from '../plan-types.js';
import { inst, T0, world, type World } from '../testing.js';
import type { InstanceRecord } from '../types.js';
import { bounds } from './batch.js';
import type { InstanceRefresh } from './types.js';

describe('refresh batch bounds', () => {
  const table: { d: number; min: number; max: number; floor: number; ceiling: number; why: string }[] = [
    { d: 4, min: 90, max: 100, floor: 3, ceiling: 4, why: 'ceil(3.6) = 4 leaves no room; at least one at a time' },
    { d: 10, min: 90, max: 100, floor: 9, ceiling: 10, why: 'one at a time' },
    { d: 4, min: 50, max: 100, floor: 2, ceiling: 4, why: 'half at a time' },
    { d: 1, min: 90, max: 100, floor: 0, ceiling: 1, why: 'a single instance is replaced with a gap (use max > 100)' },
    { d: 2, min: 100, max: 200, floor: 2, ceiling: 4, why: 'launch a full new set first' },
    { d: 4, min: 90, max: 110, floor: 4, ceiling: 5, why: 'floor(4.4) = 4, but above 100 % allows at least one extra' },
    { d: 3, min: 100, max: 150, floor: 3, ceiling: 4, why: 'floor(4.5)' },
  ];
  for (const c of table) {
    it(`D=${c.d} min ${c.min}% max ${c.max}%: ${c.why}`, () => {
      assert.deepEqual(bounds(c.d, { minHealthyPercentage: c.min, maxHealthyPercentage: c.max }), { floor: c.floor, ceiling: c.ceiling });
    });
  }
});

const V2 = { templateVersion: 2 };
const old = (n: number, o: Partial<InstanceRecord> = {}) => Array.from({ length: n }, (_, i) => inst({ availabilityZone: i % 2 ? 'b' : 'a', ...o }));
const fresh = (n: number, o: Partial<InstanceRecord> = {}) => old(n, { ...V2, ...o });

function refresh(o: Partial<InstanceRefresh> & { prefs?: Partial<InstanceRefresh['preferences']> } = {}): InstanceRefresh {
  const { prefs, ...rest } = o;
  return {
    instanceRefreshId: 'r-1', status: 'InProgress', startTime: T0 - 60_000, percentageComplete: 0, instancesToUpdate: 0,
    preferences: { minHealthyPercentage: 90, maxHealthyPercentage: 100, instanceWarmup: 0, checkpointPercentages: [], checkpointDelay: 3600, skipMatching: false, autoRollback: false, alarms: [], ...prefs },
    desiredConfiguration: { name: 'lt', version: 2 }, target: { name: 'lt', version: 2 }, previous: { name: 'lt', version: 1 },
    toReplace: [], total: 0, checkpointsDone: [], ...rest,
  };
}

interface Case {
  name: string;
  instances: InstanceRecord[];
  /** Ids of instances (by index) the refresh replaces; default: every instance on version 1. */
  r: Partial<InstanceRefresh> & { prefs?: Partial<InstanceRefresh['preferences']> };
  desired: number;
  w?: Partial<World>;
  alarms?: Record<string, AlarmState>;
  now?: number;
  expect: (acts: Action[], ids: string[]) => void;
}

const refreshUpdates = (acts: Action[]) => acts.flatMap((a) => (a.kind === 'refresh' ? [a.update] : []));
const terminated = (acts: Action[]) => acts.flatMap((a) => (a.kind === 'startTerminate' ? [a.instanceId] : []));
const launches = (acts: Action[]) => acts.filter((a) => a.kind === 'launch').length;

const cases: Case[] = [
  {
    name: 'terminate first (max 100 %): 4 old, min 90 % -> one old terminated, one launched in the same pass',
    instances: old(4), r: {}, desired: 4,
    expect: (acts) => { assert.equal(terminated(acts).length, 1); assert.equal(launches(acts), 1); },
  },
  {
    name: 'min 50 %: half of 4 at once',
    instances: old(4), r: { prefs: { minHealthyPercentage: 50 } }, desired: 4,
    expect: (acts) => { assert.equal(terminated(acts).length, 2); assert.equal(launches(acts), 2); },
  },
  {
    name: 'launch first (min 100 %, max 200 %): nothing terminated, a full new set launched',
    instances: old(2), r: { prefs: { minHealthyPercentage: 100, maxHealthyPercentage: 200 } }, desired: 2,
    expect: (acts) => { assert.deepEqual(terminated(acts), []); assert.equal(launches(acts), 2); },
  },
  {
    name: 'launch first: once the new set is ready, the old set is terminated and nothing more launches',
    instances: [...old(2), ...fresh(2)], r: { prefs: { minHealthyPercentage: 100, maxHealthyPercentage: 200 } }, desired: 2,
    expect: (acts, ids) => { assert.deepEqual(terminated(acts).sort(), ids.slice(0, 2).sort()); assert.equal(launches(acts), 0); },
  },
  {
    name: 'a new instance not yet healthy holds the next batch (and says so)',
    instances: [...old(3), ...fresh(1, { proven: false, launchedAt: T0 - 5000 })], r: {}, desired: 4,
    expect: (acts) => {
      assert.deepEqual(terminated(acts), []);
      assert.match(refreshUpdates(acts)[0]?.statusReason ?? '', /Waiting for new instance\(s\) i-0.* to pass health checks and warm up/);
    },
  },
  {
    name: 'warmup: healthy but launched 5 s ago with a 30 s warmup -> wait',
    instances: [...old(3), ...fresh(1, { launchedAt: T0 - 5000 })], r: { prefs: { instanceWarmup: 30 } }, desired: 4,
    expect: (acts) => assert.deepEqual(terminated(acts), []),
  },
  {
    name: 'warmup over: the next old instance goes',
    instances: [...old(3), ...fresh(1, { launchedAt: T0 - 31_000 })], r: { prefs: { instanceWarmup: 30 } }, desired: 4,
    expect: (acts) => assert.equal(terminated(acts).length, 1),
  },
  {
    name: 'checkpoint 50 %: reached after half are replaced -> waits there',
    instances: [...old(2), ...fresh(2)], r: { total: 4, prefs: { checkpointPercentages: [50] } }, desired: 4,
    expect: (acts) => {
      assert.deepEqual(terminated(acts), []);
      const u = refreshUpdates(acts)[0]!;
      assert.deepEqual(u.checkpointsDone, [50]);
      assert.equal(u.checkpointAt, T0);
      assert.equal(u.percentageComplete, 50);
    },
  },
  {
    name: 'checkpoint delay not over: still waiting',
    instances: [...old(2), ...fresh(2)], r: { total: 4, percentageComplete: 50, checkpointsDone: [50], checkpointAt: T0 - 10_000, prefs: { checkpointPercentages: [50], checkpointDelay: 60 } }, desired: 4,
    expect: (acts) => { assert.deepEqual(terminated(acts), []); assert.match(refreshUpdates(acts)[0]?.statusReason ?? '', /Waiting at checkpoint 50% until/); },
  },
  {
    name: 'checkpoint delay over: replacing again',
    instances: [...old(2), ...fresh(2)], r: { total: 4, percentageComplete: 50, checkpointsDone: [50], checkpointAt: T0 - 61_000, prefs: { checkpointPercentages: [50], checkpointDelay: 60 } }, desired: 4,
    expect: (acts) => assert.equal(terminated(acts).length, 1),
  },
  {
    name: 'no old instance left and capacity met: Successful at 100 %',
    instances: fresh(2), r: { total: 2 }, desired: 2,
    expect: (acts) => assert.deepEqual(refreshUpdates(acts).at(-1), { percentageComplete: 100, status: 'Successful', statusReason: 'All instances replaced' }),
  },
  {
    name: 'Pending becomes InProgress and the first batch starts in the same pass',
    instances: old(2), r: { status: 'Pending' }, desired: 2,
    expect: (acts) => { assert.equal(refreshUpdates(acts)[0]?.status, 'InProgress'); assert.equal(terminated(acts).length, 1); },
  },
  {
    name: 'an alarm in ALARM fails the refresh',
    instances: old(2), r: { prefs: { alarms: ['5xx'] } }, desired: 2, alarms: { '5xx': 'ALARM' },
    expect: (acts) => { assert.equal(refreshUpdates(acts)[0]?.status, 'Failed'); assert.match(refreshUpdates(acts)[0]?.statusReason ?? '', /alarm 5xx is in ALARM/); assert.deepEqual(terminated(acts), []); },
  },
  {
    name: 'an alarm in ALARM with autoRollback rolls back',
    instances: old(2), r: { prefs: { alarms: ['5xx'], autoRollback: true } }, desired: 2, alarms: { '5xx': 'ALARM' },
    expect: (acts) => assert.equal(refreshUpdates(acts)[0]?.status, 'RollbackInProgress'),
  },
  {
    name: 'alarm OK or INSUFFICIENT_DATA: carry on',
    instances: old(2), r: { prefs: { alarms: ['a', 'b'] } }, desired: 2, alarms: { a: 'OK', b: 'INSUFFICIENT_DATA' },
    expect: (acts) => assert.equal(terminated(acts).length, 1),
  },
  {
    name: 'rolling back: instances on the new version go, old-version launches refill',
    instances: [...old(1), ...fresh(1)], r: { status: 'RollbackInProgress', total: 1 }, desired: 2,
    expect: (acts, ids) => { assert.deepEqual(terminated(acts), [ids[1]]); assert.equal(launches(acts), 1); },
  },
  {
    name: 'cancelling with a new instance in flight: waits for it',
    instances: [...old(1), ...fresh(1, { proven: false })], r: { status: 'Cancelling' }, desired: 2,
    expect: (acts) => { assert.deepEqual(terminated(acts), []); assert.equal(refreshUpdates(acts).some((u) => u.status === 'Cancelled'), false); },
  },
  {
    name: 'cancelling, nothing in flight: Cancelled, the remaining old instances stay',
    instances: [...old(1), ...fresh(1)], r: { status: 'Cancelling', total: 2 }, desired: 2,
    expect: (acts) => { assert.equal(refreshUpdates(acts).at(-1)?.status, 'Cancelled'); assert.deepEqual(terminated(acts), []); },
  },
  {
    name: 'InstanceRefresh suspended: nothing happens',
    instances: old(2), r: {}, desired: 2, w: { state: { suspended: ['InstanceRefresh'] } },
    expect: (acts) => { assert.deepEqual(terminated(acts), []); assert.match(refreshUpdates(acts)[0]?.statusReason ?? '', /suspended/); },
  },
  {
    name: 'launches paused by failing new instances: Failed',
    instances: old(2), r: {}, desired: 2, w: { state: { backoff: { failures: 3, until: T0 + 60_000, lastReason: 'Boot script exited with status 1' } } },
    expect: (acts) => assert.match(refreshUpdates(acts)[0]?.statusReason ?? '', /Failed: new instances fail their health checks \(Boot script exited with status 1\)/),
  },
];

describe('refresh plan', () => {
  for (const c of cases) {
    it(c.name, () => {
      const ids = c.instances.map((r) => r.instanceId);
      const toReplace = c.r.toReplace ?? c.instances.filter((r) => r.templateVersion === (c.r.status === 'RollbackInProgress' ? 2 : 1)).map((r) => r.instanceId);
      const r = refresh({ total: toReplace.length, ...c.r, toReplace });
      const { d, o } = world({ ...c.w, instances: c.instances, spec: { templateVersion: c.r.status === 'RollbackInProgress' ? 1 : 2 }, state: { desiredCapacity: c.desired, refreshes: [r], ...c.w?.state } });
      const alarms = new Map(Object.entries(c.alarms ?? {}));
      const acts = plan(d, { ...o, alarms }, c.now ?? T0);
      c.expect(acts, ids);
    });
  }
});
