/**
 * Deregistration delay, as a pure plan: a deregistered target gets no new
 * requests (it is `draining` in the snapshot), finishes its in-flight ones,
 * and leaves as soon as every worker reports none for it (or when the delay
 * runs out). Counts are only trusted from reports made after the worker had
 * already applied the snapshot that started the drain, so a stale report
 * can't end a drain early.
 */
export interface DrainEntry {
  group: string;
  key: string;
  /** Snapshot version that first showed the target as draining. */
  sinceVersion: number;
  startedAt: number;
  deadline: number;
}

export interface WorkerReport {
  /** Snapshot version the worker had applied when it counted. */
  version: number;
  inflight: Record<string, number>;
}

export interface DrainAction {
  type: 'remove';
  group: string;
  key: string;
  reason: string;
}

export function planDrain(entries: readonly DrainEntry[], reports: readonly WorkerReport[], now: number): DrainAction[] {
  const actions: DrainAction[] = [];
  for (const e of entries) {
    if (now >= e.deadline) {
      const secs = Math.round((e.deadline - e.startedAt) / 1000);
      actions.push({ type: 'remove', group: e.group, key: e.key, reason: `deregistration delay of ${secs}s expired` });
      continue;
    }
    if (reports.length === 0) continue;
    const fresh = reports.every((r) => r.version >= e.sinceVersion);
    const busy = reports.some((r) => (r.inflight[e.key] ?? 0) > 0);
    if (fresh && !busy) {
      actions.push({ type: 'remove', group: e.group, key: e.key, reason: 'no in-flight requests remain' });
    }
  }
  return actions;
}
