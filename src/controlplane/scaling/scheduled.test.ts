import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScheduledAction } from '../../model/scaling.js';
import { planScheduled, type ScheduleBook } from './scheduled.js';

const t = (s: string) => Date.parse(s);
const group = (o = {}) => ({ name: 'app', minSize: 1, maxSize: 4, desiredCapacity: 2, warmed: 2, warming: 0, alarmsSuspended: false, suspended: false, ...o });
const oneOff: ScheduledAction = { scheduledActionName: 'launch-day', startTime: t('2026-11-22T09:00:00Z'), timeZone: 'UTC', minSize: 3, maxSize: 6, desiredCapacity: 4 };
const nightly: ScheduledAction = { scheduledActionName: 'night', recurrence: '0 22 * * *', timeZone: 'Europe/Berlin', desiredCapacity: 1 };

describe('scheduled actions', () => {
  it('a one-off action runs once when its time comes, saying what it set', () => {
    const book: ScheduleBook = { lastRun: {} };
    assert.equal(planScheduled([oneOff], book, group(), t('2026-11-22T08:59:59Z')).decisions.length, 0);
    const p = planScheduled([oneOff], book, group(), t('2026-11-22T09:00:01Z'));
    assert.equal(p.decisions.length, 1);
    const d = p.decisions[0]!;
    assert.deepEqual([d.kind, d.from, d.to, d.sizes], ['scale', 2, 4, { minSize: 3, maxSize: 6 }]);
    assert.equal(d.cause, 'At 2026-11-22T09:00:01Z a scheduled action update of AutoScalingGroup constraints to min: 3, max: 6, desired: 4 changing the desired capacity from 2 to 4. '
      + 'At 2026-11-22T09:00:01Z the scheduled action launch-day executed. Setting min size from 1 to 3. Setting max size from 4 to 6. Setting desired capacity from 2 to 4.');
    book.lastRun = { ...book.lastRun, ...p.ran };
    assert.equal(planScheduled([oneOff], book, group(), t('2026-11-22T10:00:00Z')).decisions.length, 0);
  });

  it('a recurring action runs at its cron time in its zone (22:00 Berlin = 21:00Z in winter), once per occurrence', () => {
    const book: ScheduleBook = { lastRun: {} };
    const first = planScheduled([nightly], book, group(), t('2026-11-22T12:00:00Z'));
    assert.equal(first.decisions.length, 0, 'first seen: starts counting from now');
    book.lastRun = first.ran;
    assert.equal(planScheduled([nightly], book, group(), t('2026-11-22T20:59:59Z')).decisions.length, 0);
    const run = planScheduled([nightly], book, group(), t('2026-11-22T21:00:00Z'));
    assert.deepEqual(run.decisions.map((d) => [d.kind, d.to]), [['scale', 1]]);
    book.lastRun = run.ran;
    assert.equal(planScheduled([nightly], book, group(), t('2026-11-22T21:30:00Z')).decisions.length, 0);
  });

  it('respects startTime and endTime of a recurrence', () => {
    const windowed: ScheduledAction = { ...nightly, startTime: t('2026-11-25T00:00:00Z'), endTime: t('2026-11-26T00:00:00Z') };
    const book: ScheduleBook = { lastRun: { night: t('2026-11-22T12:00:00Z') } };
    assert.equal(planScheduled([windowed], book, group(), t('2026-11-23T21:00:00Z')).decisions.length, 0, 'before the start');
    assert.equal(planScheduled([windowed], { lastRun: { night: t('2026-11-25T12:00:00Z') } }, group(), t('2026-11-25T21:00:00Z')).decisions.length, 1);
    assert.equal(planScheduled([windowed], { lastRun: { night: t('2026-11-26T12:00:00Z') } }, group(), t('2026-11-26T21:00:00Z')).decisions.length, 0, 'after the end');
  });

  it('a suspended ScheduledActions process skips the run (it is not replayed on resume)', () => {
    const p = planScheduled([oneOff], { lastRun: {} }, group({ suspended: true }), t('2026-11-22T09:00:01Z'));
    assert.equal(p.decisions[0]!.kind, 'held');
    assert.ok(p.ran['launch-day']);
  });

  it('desired follows new bounds when not given; inconsistent sizes fail with a reason', () => {
    const cap: ScheduledAction = { scheduledActionName: 'cap', startTime: 0, timeZone: 'UTC', maxSize: 0 }; // below min 1
    assert.deepEqual(planScheduled([cap], { lastRun: {} }, group(), 1).decisions.map((d) => [d.kind, d.to]), [['none', 2]]);
    const shrink: ScheduledAction = { scheduledActionName: 'shrink', startTime: 0, timeZone: 'UTC', minSize: 0, maxSize: 1 };
    assert.deepEqual(planScheduled([shrink], { lastRun: {} }, group(), 1).decisions.map((d) => [d.kind, d.to]), [['scale', 1]]);
  });
});
