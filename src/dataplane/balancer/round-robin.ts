import { isAvoided, wrap, type Balancer, type SlowStartTarget, type Upstream } from './balancer.js';
import { Ramps } from './slow-start.js';

/**
 * round_robin: each pick takes the next candidate in list order. When the list
 * changes size the position is reduced modulo the new size, so rotation carries
 * on without a reset (a reload does not send the next request to target 0).
 *
 * Slow start: a target in its ramp window has a weight w < 1. When the rotation
 * reaches it, it earns w credit and is picked only once its credit reaches 1;
 * otherwise the rotation moves on to the next candidate. Over a round it so
 * gets w picks where a full target gets 1: a share of w / (n - 1 + w) among n
 * targets. With no target in slow start, pick() is the plain rotation.
 */
export class RoundRobin implements Balancer {
  private next: number;
  private readonly ramps = new Ramps();

  /** `start` offsets the rotation so several workers do not move in lockstep. */
  constructor(start = 0) {
    this.next = Math.max(0, Math.floor(start));
  }

  pick(candidates: readonly Upstream[], avoid?: Upstream): Upstream | undefined {
    const n = candidates.length;
    let i = n === 0 ? 0 : wrap(this.next, n);
    if (this.ramps.size > 0) return this.pickWeighted(candidates, avoid, i);
    for (let k = 0; k < n; k++) {
      const c = candidates[i]!;
      if (!isAvoided(c, avoid)) {
        this.next = i + 1;
        return c;
      }
      i = i + 1 === n ? 0 : i + 1;
    }
    return undefined;
  }

  setSlowStart(targets: readonly SlowStartTarget[], now: number): void {
    this.ramps.set(targets, now);
  }

  tick(now: number): void {
    if (this.ramps.size > 0) this.ramps.tick(now);
  }

  /**
   * One pass over the candidates from `i`. A full-share target is taken at
   * once; a ramping one when its credit reaches 1. When every candidate is
   * ramping and none got there this pass, the one with the most credit is
   * taken and pays the weights earned this pass (smooth weighted round robin),
   * so credits stay bounded and shares stay proportional to the weights.
   * Called on every request: no allocation.
   */
  private pickWeighted(candidates: readonly Upstream[], avoid: Upstream | undefined, i: number): Upstream | undefined {
    const n = candidates.length;
    let best = -1;
    let bestCredit = -Infinity;
    let earned = 0;
    for (let k = 0; k < n; k++) {
      const c = candidates[i]!;
      if (!isAvoided(c, avoid)) {
        const r = this.ramps.get(c.key);
        if (r === undefined) {
          this.next = i + 1;
          return c;
        }
        r.credit += r.weight;
        earned += r.weight;
        if (r.credit >= 1) {
          r.credit -= 1;
          this.next = i + 1;
          return c;
        }
        if (r.credit > bestCredit) {
          best = i;
          bestCredit = r.credit;
        }
      }
      i = i + 1 === n ? 0 : i + 1;
    }
    if (best < 0) return undefined;
    const chosen = candidates[best]!;
    this.ramps.get(chosen.key)!.credit -= earned;
    this.next = best + 1;
    return chosen;
  }
}
