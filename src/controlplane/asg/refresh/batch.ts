/**
 * Batch sizing of an instance refresh (pure). With desired capacity D:
 *
 * - floor = ceil(D x minHealthyPercentage / 100) instances stay InService,
 *   healthy and warm at all times. With maxHealthyPercentage 100 the floor is
 *   at most D - 1, so at least one instance is replaced at a time (as AWS does).
 * - ceiling = floor(D x maxHealthyPercentage / 100) instances at most, counting
 *   the ones launching; above 100 % at least D + 1. The room above D is the
 *   surge: new instances launched before old ones are terminated.
 * - A batch terminates ready - floor old instances (never more than are left),
 *   and launches the surge (never more than old instances are left).
 */
import type { RefreshPreferences } from './types.js';

export interface Bounds {
  floor: number;
  ceiling: number;
}

export function bounds(desired: number, p: Pick<RefreshPreferences, 'minHealthyPercentage' | 'maxHealthyPercentage'>): Bounds {
  let floor = Math.ceil((desired * p.minHealthyPercentage) / 100);
  const launchFirst = p.maxHealthyPercentage > 100;
  if (!launchFirst) floor = Math.min(floor, Math.max(0, desired - 1));
  const ceiling = launchFirst ? Math.max(desired + 1, Math.floor((desired * p.maxHealthyPercentage) / 100)) : desired;
  return { floor, ceiling };
}

/** Extra instances above desired the refresh may run now. */
export function surge(desired: number, b: Bounds, oldLeft: number): number {
  return Math.max(0, Math.min(b.ceiling - desired, oldLeft));
}

/** Old instances a batch may terminate now. */
export function batchSize(ready: number, b: Bounds, oldLeft: number): number {
  return Math.max(0, Math.min(oldLeft, ready - b.floor));
}
