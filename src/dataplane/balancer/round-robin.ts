import { isAvoided, wrap, type Balancer, type Upstream } from './balancer.js';

/**
 * round_robin: each pick takes the next candidate in list order. When the list
 * changes size the position is reduced modulo the new size, so rotation carries
 * on without a reset (a reload does not send the next request to target 0).
 */
export class RoundRobin implements Balancer {
  private next: number;

  /** `start` offsets the rotation so several workers do not move in lockstep. */
  constructor(start = 0) {
    this.next = Math.max(0, Math.floor(start));
  }

  pick(candidates: readonly Upstream[], avoid?: Upstream): Upstream | undefined {
    const n = candidates.length;
    let i = n === 0 ? 0 : wrap(this.next, n);
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
}
