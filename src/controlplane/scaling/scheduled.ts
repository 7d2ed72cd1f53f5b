/**
 * Scheduled actions (pure): which are due now and what each does to the
 * group's min/max/desired. A one-off action runs once at (or, if shoal was
 * down then, first thing after) its startTime. A recurring one runs at each
 * cron time in its zone within [startTime, endTime]; times missed while
 * shoal was down or the ScheduledActions process was suspended are skipped,
 * as AWS skips them, and a missed run is never replayed twice.
 */
import type { ScheduledAction } from '../../model/scaling.js';
import { iso } from '../asg/causes.js';
import { nextFire, parseCron } from './cron.js';
import type { Decision, GroupView } from './types.js';

export interface ScheduleBook {
  /** actionName -> ms of its last run (or of when it was first seen, for recurring ones). */
  lastRun: Record<string, number>;
}

export interface ScheduledPlan {
  decisions: Decision[];
  /** New lastRun entries. */
  ran: Record<string, number>;
}

/** When a recurring action fires next after `from` (within its end time), if ever. */
export function nextRun(a: ScheduledAction, from: number): number | undefined {
  if (!a.recurrence) return a.startTime !== undefined && a.startTime > from ? a.startTime : undefined;
  const after = a.startTime !== undefined ? Math.max(from, a.startTime - 1) : from;
  const t = nextFire(parseCron(a.recurrence), after, a.timeZone);
  return t !== undefined && (a.endTime === undefined || t <= a.endTime) ? t : undefined;
}

export function planScheduled(actions: readonly ScheduledAction[], book: ScheduleBook, g: GroupView & { suspended: boolean }, now: number): ScheduledPlan {
  const out: ScheduledPlan = { decisions: [], ran: {} };
  let sizes = { minSize: g.minSize, maxSize: g.maxSize, desiredCapacity: g.desiredCapacity };
  for (const a of actions) {
    const last = book.lastRun[a.scheduledActionName];
    let due: boolean;
    if (!a.recurrence) {
      due = last === undefined && a.startTime !== undefined && a.startTime <= now;
    } else if (last === undefined) {
      out.ran[a.scheduledActionName] = now; // first seen: recurring actions start from now
      continue;
    } else {
      const t = nextRun(a, last);
      due = t !== undefined && t <= now;
    }
    if (!due) continue;
    out.ran[a.scheduledActionName] = now;
    const d = apply(a, sizes, g, now);
    out.decisions.push(d);
    if (d.kind === 'scale') sizes = { minSize: d.sizes?.minSize ?? sizes.minSize, maxSize: d.sizes?.maxSize ?? sizes.maxSize, desiredCapacity: d.to };
  }
  return out;
}

function apply(a: ScheduledAction, s: { minSize: number; maxSize: number; desiredCapacity: number }, g: GroupView & { suspended: boolean }, now: number): Decision {
  const min = a.minSize ?? s.minSize;
  const max = a.maxSize ?? s.maxSize;
  const desired = a.desiredCapacity ?? Math.min(max, Math.max(min, s.desiredCapacity));
  const base = { group: g.name, scheduledAction: a.scheduledActionName, at: now, from: s.desiredCapacity, trigger: 'schedule' };
  if (g.suspended) {
    const held = 'the ScheduledActions process is suspended; this run is skipped';
    return { ...base, kind: 'held', to: s.desiredCapacity, cause: `At ${iso(now)} the scheduled action ${a.scheduledActionName} was due: ${held}.`, summary: `held: ${held}` };
  }
  if (min > max || desired < min || desired > max) {
    const why = `min ${min}, max ${max}, desired ${desired} are not consistent (min ≤ desired ≤ max)`;
    return { ...base, kind: 'none', to: s.desiredCapacity, cause: `At ${iso(now)} the scheduled action ${a.scheduledActionName} failed: ${why}.`, summary: `failed: ${why}` };
  }
  const notes = [
    min !== s.minSize ? `Setting min size from ${s.minSize} to ${min}.` : '',
    max !== s.maxSize ? `Setting max size from ${s.maxSize} to ${max}.` : '',
    desired !== s.desiredCapacity ? `Setting desired capacity from ${s.desiredCapacity} to ${desired}.` : '',
  ].filter(Boolean);
  const cause = `At ${iso(now)} a scheduled action update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${desired} changing the desired capacity from ${s.desiredCapacity} to ${desired}. `
    + `At ${iso(now)} the scheduled action ${a.scheduledActionName} executed.${notes.length ? ' ' + notes.join(' ') : ''}`;
  const changed = notes.length > 0;
  return {
    ...base, kind: changed ? 'scale' : 'none', to: desired, sizes: { minSize: min, maxSize: max }, cause,
    summary: changed ? `${notes.join(' ')}` : `min ${min}, max ${max}, desired ${desired}: already so`,
  };
}
