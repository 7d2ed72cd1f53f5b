/**
 * Crash-loop back-off (pure). AWS relaunches failing instances silently and
 * forever; shoal counts consecutive new instances that failed (boot or health
 * checks) before ever passing their health checks, and from the second one
 * pauses launches: 10 s, 20 s, 40 s ... capped at 5 minutes. An instance that
 * passes its health checks resets the count.
 */
import type { Backoff } from './types.js';
import { clockTime } from './causes.js';

export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_CAP_MS = 300_000;

export function backoffDelay(failures: number): number {
  if (failures < 2) return 0;
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 2, 30));
}

export interface Failure {
  instanceId: string;
  reason: string;
  bootFailure: boolean;
}

/** The back-off after this pass's failures (in order) and whether an instance proved itself. */
export function nextBackoff(prev: Backoff, failures: readonly Failure[], proven: boolean, now: number): Backoff {
  let b: Backoff = proven ? { failures: 0 } : { ...prev };
  for (const f of failures) {
    const n = b.failures + 1;
    const delay = backoffDelay(n);
    b = { failures: n, lastReason: f.reason, lastInstanceId: f.instanceId, bootFailure: f.bootFailure, ...(delay > 0 ? { until: now + delay } : {}) };
  }
  return b;
}

export function paused(b: Backoff, now: number): boolean {
  return b.until !== undefined && now < b.until;
}

/** "Launches paused until 12:00:40Z: the last 3 instances failed to boot (...); see shoal logs i-... --boot". */
export function pauseMessage(b: Backoff): string {
  const what = b.bootFailure ? 'failed to boot' : 'failed their health checks before ever passing them';
  const logs = b.bootFailure ? `shoal logs ${b.lastInstanceId} --boot` : `shoal logs ${b.lastInstanceId}`;
  return `Launches paused until ${clockTime(b.until ?? 0)}: the last ${b.failures} instances ${what} (${b.lastReason}); see ${logs}`;
}
