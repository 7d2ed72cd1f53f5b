import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TerminationPolicy } from '../../model/auto-scaling.js';
import { pickForTermination, rankInZone, type Candidate } from './termination.js';

const HOUR = 3_600_000;
const NOW = 1_700_000_000_000;
const c = (id: string, o: Partial<Candidate> = {}): Candidate => ({
  instanceId: id, availabilityZone: 'a', launchedAt: NOW - 10 * HOUR, templateName: 'lt', templateVersion: 2, protectedFromScaleIn: false, ...o,
});
const ctx = (policies: TerminationPolicy[], zones = ['a', 'b']) => ({ policies, zones, current: { templateName: 'lt', templateVersion: 2 }, now: NOW });

describe('termination ranking within a zone', () => {
  const cases: { name: string; policies: TerminationPolicy[]; candidates: Candidate[]; first: string }[] = [
    { name: 'OldestInstance picks the earliest launch', policies: ['OldestInstance'],
      candidates: [c('i-new', { launchedAt: NOW - 1000 }), c('i-old', { launchedAt: NOW - 5 * HOUR })], first: 'i-old' },
    { name: 'NewestInstance picks the latest launch', policies: ['NewestInstance'],
      candidates: [c('i-new', { launchedAt: NOW - 1000 }), c('i-old', { launchedAt: NOW - 5 * HOUR })], first: 'i-new' },
    { name: 'OldestLaunchTemplate picks an instance of an older version', policies: ['OldestLaunchTemplate'],
      candidates: [c('i-v2', { launchedAt: NOW - 9 * HOUR }), c('i-v1', { templateVersion: 1, launchedAt: NOW - 1000 })], first: 'i-v1' },
    { name: 'OldestLaunchTemplate: another template counts as outdated', policies: ['OldestLaunchTemplate'],
      candidates: [c('i-cur'), c('i-other', { templateName: 'legacy', templateVersion: 9 })], first: 'i-other' },
    { name: 'Default: outdated template first', policies: ['Default'],
      candidates: [c('i-cur', { launchedAt: NOW - 59 * 60_000 }), c('i-v1', { templateVersion: 1 })], first: 'i-v1' },
    { name: 'Default: then closest to the next instance hour', policies: ['Default'],
      candidates: [c('i-10min', { launchedAt: NOW - 10 * 60_000 }), c('i-55min', { launchedAt: NOW - 55 * 60_000 })], first: 'i-55min' },
    { name: 'Default: then the oldest launch (shoal tiebreak)', policies: ['Default'],
      candidates: [c('i-1h', { launchedAt: NOW - HOUR - 60_000 }), c('i-2h', { launchedAt: NOW - 2 * HOUR - 60_000 })], first: 'i-2h' },
    { name: 'ClosestToNextInstanceHour', policies: ['ClosestToNextInstanceHour'],
      candidates: [c('i-a', { launchedAt: NOW - 30 * 60_000 }), c('i-b', { launchedAt: NOW - 119 * 60_000 })], first: 'i-b' },
    { name: 'AllocationStrategy passes to Default', policies: ['AllocationStrategy'],
      candidates: [c('i-cur'), c('i-v1', { templateVersion: 1 })], first: 'i-v1' },
    { name: 'policies apply in order: NewestInstance before OldestLaunchTemplate', policies: ['NewestInstance', 'OldestLaunchTemplate'],
      candidates: [c('i-v1', { templateVersion: 1, launchedAt: NOW - HOUR }), c('i-new', { launchedAt: NOW - 1000 })], first: 'i-new' },
    { name: 'a full tie falls to the instance id', policies: ['OldestInstance'],
      candidates: [c('i-b'), c('i-a')], first: 'i-a' },
  ];
  for (const t of cases) {
    it(t.name, () => assert.equal(rankInZone(t.candidates, ctx(t.policies))[0]!.instanceId, t.first));
  }
});

describe('picking instances for scale-in', () => {
  const cases: { name: string; candidates: Candidate[]; count: number; policies?: TerminationPolicy[]; picks: string[] }[] = [
    { name: 'the zone with the most instances goes first, whatever the policy', policies: ['NewestInstance'], count: 1,
      candidates: [c('a1', { launchedAt: NOW - 1 }), c('b1', { availabilityZone: 'b' }), c('b2', { availabilityZone: 'b', launchedAt: NOW - 5 })], picks: ['b2'] },
    { name: 'zones are recounted after each pick', count: 2, policies: ['OldestInstance'],
      candidates: [c('a1', { launchedAt: NOW - 3 }), c('a2', { launchedAt: NOW - 2 }), c('b1', { availabilityZone: 'b', launchedAt: NOW - 9 })], picks: ['a1', 'b1'] },
    { name: 'a zone the group no longer lists goes first', count: 1,
      candidates: [c('a1'), c('a2'), c('z1', { availabilityZone: 'z' })], picks: ['z1'] },
    { name: 'protected instances are never picked', count: 2,
      candidates: [c('a1', { protectedFromScaleIn: true }), c('a2', { protectedFromScaleIn: true }), c('b1', { availabilityZone: 'b' })], picks: ['b1'] },
    { name: 'protected instances still count for the zone choice', count: 1,
      candidates: [c('a1', { protectedFromScaleIn: true }), c('a2'), c('b1', { availabilityZone: 'b' })], picks: ['a2'] },
    { name: 'ties between zones: the later zone in the list', count: 1, candidates: [c('a1'), c('b1', { availabilityZone: 'b' })], picks: ['b1'] },
    { name: 'nothing to pick when all are protected', count: 1, candidates: [c('a1', { protectedFromScaleIn: true })], picks: [] },
  ];
  for (const t of cases) {
    it(t.name, () => assert.deepEqual(pickForTermination(t.candidates, t.count, ctx(t.policies ?? ['Default'])).map((x) => x.instanceId), t.picks));
  }
});
