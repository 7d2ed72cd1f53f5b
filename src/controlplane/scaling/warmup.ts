/**
 * Which of a group's instances are still warming up. AWS counts the warmup
 * from when an instance enters InService; shoal notes that moment the first
 * time a scaling tick sees it InService (kept in the store, so a restart does
 * not start warmups over; an instance already InService when first seen
 * counts from its launch).
 */
import { counts, type GroupState } from '../asg/types.js';
import type { GroupView } from './types.js';

export interface WarmupBook {
  /** instanceId -> ms it was first seen InService. */
  inServiceSince: Record<string, number>;
}

/** Notes newly InService instances and forgets gone ones; returns whether anything changed. */
export function noteInService(book: WarmupBook, state: GroupState, now: number, firstPass: boolean): boolean {
  let changed = false;
  const present = new Set<string>();
  for (const r of state.instances) {
    present.add(r.instanceId);
    if (r.lifecycleState === 'InService' && book.inServiceSince[r.instanceId] === undefined) {
      book.inServiceSince[r.instanceId] = firstPass ? r.launchedAt : now;
      changed = true;
    }
  }
  for (const id of Object.keys(book.inServiceSince)) {
    if (!present.has(id)) {
      delete book.inServiceSince[id];
      changed = true;
    }
  }
  return changed;
}

/** Counted instances in service, with the end of each one's warmup (ms). */
export function warmEnds(book: WarmupBook, state: GroupState, warmupSeconds: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of state.instances) {
    if (!counts(r) || r.lifecycleState !== 'InService') continue;
    out.set(r.instanceId, (book.inServiceSince[r.instanceId] ?? r.launchedAt) + warmupSeconds * 1000);
  }
  return out;
}

export function groupView(book: WarmupBook, state: GroupState, warmupSeconds: number, now: number): GroupView {
  const live = state.instances.filter(counts).length;
  const warmed = [...warmEnds(book, state, warmupSeconds).values()].filter((end) => end <= now).length;
  return {
    name: state.name, minSize: state.minSize, maxSize: state.maxSize, desiredCapacity: state.desiredCapacity,
    warmed, warming: Math.max(0, live - warmed), alarmsSuspended: state.suspended.includes('AlarmNotification'),
  };
}
