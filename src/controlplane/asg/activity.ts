/**
 * Scaling activities in AWS's form (DescribeScalingActivities). Activities in
 * progress live in the group's state (`open`); when they end they are appended
 * to the history stream activity:asg:NAME in the store.
 */
import type { Clock } from '../../core/clock.js';
import type { Random } from '../../core/random.js';
import type { Store } from '../../store/index.js';
import { iso } from './causes.js';
import { activityStream, type Activity, type GroupState } from './types.js';

export interface ActivityStart {
  description: string;
  cause: string;
  statusMessage?: string;
  details?: Record<string, string>;
}

function uuid(random: Random): string {
  const h = (n: number) => Array.from({ length: n }, () => Math.floor(random.next() * 16).toString(16)).join('');
  return `${h(8)}-${h(4)}-4${h(3)}-${(8 + Math.floor(random.next() * 4)).toString(16)}${h(3)}-${h(12)}`;
}

export class ActivityLog {
  constructor(private readonly o: { store: Store; clock: Clock; random: Random }) {}

  /** Opens an InProgress activity; returns its id. */
  start(g: GroupState, a: ActivityStart): string {
    // The reason stays in Details while progress notes pass through StatusMessage; it is the final StatusMessage.
    const act = this.make(g, a.statusMessage ? { ...a, details: { ...a.details, Reason: a.statusMessage } } : a, 'InProgress');
    g.open.push(act);
    return act.ActivityId;
  }

  /** Ends an open activity (unknown ids are ignored: it ended before a restart). */
  finish(g: GroupState, id: string, status: Activity['StatusCode'], message?: string): void {
    const i = g.open.findIndex((a) => a.ActivityId === id);
    if (i < 0) return;
    const [act] = g.open.splice(i, 1);
    const final = message ?? act!.Details?.Reason;
    const { StatusMessage: _progress, ...rest } = act!;
    this.append({ ...rest, StatusCode: status, Progress: 100, EndTime: iso(this.o.clock.now()), ...(final ? { StatusMessage: final } : {}) });
  }

  /** Updates an open activity's status message (e.g. "draining"). */
  note(g: GroupState, id: string, status: Activity['StatusCode'], message: string, progress: number): void {
    const act = g.open.find((a) => a.ActivityId === id);
    if (!act) return;
    act.StatusCode = status;
    act.StatusMessage = message;
    act.Progress = progress;
  }

  /** Records an activity that starts and ends now. */
  record(g: GroupState, a: ActivityStart, status: Activity['StatusCode']): string {
    const act = this.make(g, a, status);
    this.append({ ...act, Progress: 100, EndTime: act.StartTime });
    return act.ActivityId;
  }

  /** Open activities first, then finished ones; newest first within each. */
  list(g: GroupState, limit = 100): Activity[] {
    const done = this.o.store.history<Activity>(activityStream(g.name), limit).map(({ id: _id, at: _at, ...a }) => a as Activity);
    return [...[...g.open].reverse(), ...done].slice(0, limit);
  }

  private make(g: GroupState, a: ActivityStart, status: Activity['StatusCode']): Activity {
    return {
      ActivityId: uuid(this.o.random),
      AutoScalingGroupName: g.name,
      Description: a.description,
      Cause: a.cause,
      StartTime: iso(this.o.clock.now()),
      StatusCode: status,
      Progress: status === 'InProgress' ? 0 : 100,
      ...(a.statusMessage ? { StatusMessage: a.statusMessage } : {}),
      ...(a.details ? { Details: a.details } : {}),
    };
  }

  private append(act: Activity): void {
    this.o.store.appendHistory(activityStream(act.AutoScalingGroupName), act);
  }
}
