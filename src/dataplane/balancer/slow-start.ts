/**
 * Slow start (ALB's slow_start.duration_seconds): a target that just became
 * healthy gets a linearly growing share of new requests until its window ends.
 * The control plane decides who is in slow start and puts the window in the
 * snapshot; this file turns a window into a weight in (0, 1] and keeps the
 * per-target credit a weighted pick draws from.
 *
 * Weights move on the worker's once-a-second tick, never per request, so the
 * data plane needs no new snapshot while a ramp progresses.
 */
import type { SlowStartTarget, SlowStartWindow } from './balancer.js';

/**
 * The ramp starts as if one second had elapsed, so a new target gets a small
 * share at once instead of none (Envoy's slow start does the same:
 * max(time since start, 1 s) / window).
 */
const MIN_ELAPSED_MS = 1000;

/** The weight of a target in slow start at `now`: 1 is a full share. */
export function rampWeight(w: SlowStartWindow, now: number): number {
  const duration = w.endsAt - w.startedAt;
  if (duration <= 0 || now >= w.endsAt) return 1;
  return Math.min(1, Math.max(now - w.startedAt, MIN_ELAPSED_MS) / duration);
}

export interface Ramp {
  readonly window: SlowStartWindow;
  weight: number;
  /** Grows by `weight` each time the rotation reaches the target; a pick spends 1. */
  credit: number;
}

/** The targets of one group that are in slow start, keyed by target key. */
export class Ramps {
  private readonly byKey = new Map<string, Ramp>();

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): Ramp | undefined {
    return this.byKey.get(key);
  }

  /** Replaces the set from a snapshot; a target whose window did not change keeps its credit. */
  set(targets: readonly SlowStartTarget[], now: number): void {
    const old = new Map(this.byKey);
    this.byKey.clear();
    for (const t of targets) {
      const w = t.slowStart;
      if (w === undefined || now >= w.endsAt) continue;
      const prev = old.get(t.key);
      const same = prev !== undefined && prev.window.startedAt === w.startedAt && prev.window.endsAt === w.endsAt;
      this.byKey.set(t.key, { window: w, weight: rampWeight(w, now), credit: same ? prev.credit : 0 });
    }
  }

  /** Recomputes weights; a target whose window has ended leaves (it gets a full share from now on). */
  tick(now: number): void {
    for (const [key, r] of this.byKey) {
      if (now >= r.window.endsAt) this.byKey.delete(key);
      else r.weight = rampWeight(r.window, now);
    }
  }
}
