/**
 * Which targets of a group are in slow start, as ALB decides it
 * (elasticloadbalancing/latest/application, target group attributes, "Slow
 * start mode"):
 *
 * - a target enters slow start when it is considered healthy by the target
 *   group: a new target passing its checks, or an unhealthy one recovering;
 * - it leaves when the duration elapses, when it becomes unhealthy, or when it
 *   is deregistered (re-registered, it enters again once healthy);
 * - targets already healthy when slow start is enabled do not enter it;
 * - targets registered in one operation into a group with no healthy target do
 *   not enter it: a target enters "only when there is at least one healthy
 *   target that is not in slow start mode". So the static targets of a freshly
 *   loaded config (one registration) start with full shares.
 *
 * Level-triggered: plan() takes the targets as they are now plus what the last
 * plan saw, and returns the new memory. A healthy episode is identified by the
 * time the target became healthy, so a flap between two plans is still seen.
 */

/** One registered target as the planner needs it. */
export interface SlowStartInput {
  key: string;
  /** When the target became healthy, if it is healthy now; undefined otherwise. */
  healthySince?: number;
  /** The registration operation that added it (targets registered together share one). */
  batch: number;
}

export interface SlowStartMemory {
  /** key -> healthySince of the healthy episode last seen. */
  readonly seen: ReadonlyMap<string, number>;
  /** key -> start of its slow-start window (its healthySince). */
  readonly ramping: ReadonlyMap<string, number>;
  /** key -> the registration batch in which the target has been healthy at least once. */
  readonly everHealthy: ReadonlyMap<string, number>;
}

export const EMPTY_SLOW_START: SlowStartMemory = { seen: new Map(), ramping: new Map(), everHealthy: new Map() };

/**
 * The slow-start memory after looking at `targets` at `now`. `durationMs` is the
 * group's slowStartSeconds in ms (0: off, nobody ramps, but episodes are still
 * remembered so that turning it on later leaves healthy targets alone).
 */
export function planSlowStart(memory: SlowStartMemory, targets: readonly SlowStartInput[], durationMs: number, now: number): SlowStartMemory {
  const seen = new Map<string, number>();
  const ramping = new Map<string, number>();
  const everHealthy = new Map<string, number>();
  const fresh: SlowStartInput[] = [];
  for (const t of targets) {
    const batch = memory.everHealthy.get(t.key);
    if (batch === t.batch) everHealthy.set(t.key, batch);
    if (t.healthySince === undefined) continue; // unhealthy, initial, unavailable: not (or no longer) ramping
    if (memory.seen.get(t.key) !== t.healthySince) {
      fresh.push(t);
      continue;
    }
    seen.set(t.key, t.healthySince);
    const start = memory.ramping.get(t.key);
    if (start !== undefined && durationMs > 0 && now < start + durationMs) ramping.set(t.key, start);
  }
  // Healthy targets known from before and not ramping: those give a newcomer a reason to ramp.
  const established = targets.filter((t) => seen.has(t.key) && !ramping.has(t.key));
  for (const t of fresh) {
    const since = t.healthySince!;
    const firstEpisode = everHealthy.get(t.key) !== t.batch;
    const hasPeer = established.some((o) => !(firstEpisode && o.batch === t.batch));
    if (durationMs > 0 && now < since + durationMs && hasPeer) ramping.set(t.key, since);
    seen.set(t.key, since);
    everHealthy.set(t.key, t.batch);
  }
  return { seen, ramping, everHealthy };
}
