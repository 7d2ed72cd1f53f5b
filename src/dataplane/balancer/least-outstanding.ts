import { isAvoided, wrap, type Balancer, type SlowStartTarget, type Upstream } from './balancer.js';

/**
 * least_outstanding_requests: the candidate with the fewest in-flight requests.
 * Ties are broken by rotation: the scan starts just after the previous pick, and
 * the first candidate with the lowest count wins, so equal load spreads evenly
 * instead of piling onto the first target in the list.
 */
export class LeastOutstanding implements Balancer {
  private next: number;

  /** `start` offsets the rotation so several workers do not move in lockstep. */
  constructor(start = 0) {
    this.next = Math.max(0, Math.floor(start));
  }

  pick(candidates: readonly Upstream[], avoid?: Upstream): Upstream | undefined {
    const n = candidates.length;
    if (n === 0) return undefined;
    const start = wrap(this.next, n);
    let best = -1;
    let bestLoad = Infinity;
    for (let k = 0; k < n; k++) {
      const i = wrap(start + k, n);
      const c = candidates[i]!;
      if (c.inflight < bestLoad && !isAvoided(c, avoid)) {
        best = i;
        bestLoad = c.inflight;
      }
    }
    if (best < 0) return undefined;
    this.next = best + 1;
    return candidates[best];
  }

  /** No slow start: ALB does not allow it with least outstanding requests, and the config rejects the pair. */
  setSlowStart(_targets: readonly SlowStartTarget[], _now: number): void {}

  tick(_now: number): void {}
}
