import type { Random } from '../../core/random.js';
import { AnomalyWeights } from './anomaly.js';
import { isAvoided, type Balancer, type SlowStartTarget, type Upstream } from './balancer.js';

/**
 * weighted_random: each pick draws a candidate at random, every candidate with
 * weight 1, unless anomaly mitigation (anomaly.ts) lowered a misbehaving
 * target's weight. The draw is one pass to sum the weights and one to find
 * the drawn candidate; no allocation.
 */
export class WeightedRandom implements Balancer {
  private readonly random: Random;
  private readonly anomaly: AnomalyWeights | null;

  constructor(random: Random, anomalyMitigation: boolean) {
    this.random = random;
    this.anomaly = anomalyMitigation ? new AnomalyWeights() : null;
  }

  pick(candidates: readonly Upstream[], avoid?: Upstream): Upstream | undefined {
    let total = 0;
    for (const c of candidates) if (!isAvoided(c, avoid)) total += this.weight(c);
    if (total === 0) return undefined;
    let r = this.random.next() * total;
    let last: Upstream | undefined;
    for (const c of candidates) {
      if (isAvoided(c, avoid)) continue;
      last = c;
      r -= this.weight(c);
      if (r < 0) return c;
    }
    return last; // rounding: the draw fell on the very end
  }

  observe(u: Upstream, failed: boolean): void {
    this.anomaly?.observe(u.key, failed);
  }

  /** Slow start is for round_robin only (the config refuses it here); the snapshot's targets bound the anomaly table. */
  setSlowStart(targets: readonly SlowStartTarget[], _now: number): void {
    this.anomaly?.retain(new Set(targets.map((t) => t.key)));
  }

  tick(_now: number): void {
    this.anomaly?.tick();
  }

  /** Targets anomaly mitigation currently sends less traffic. */
  mitigated(): number {
    return this.anomaly?.mitigated() ?? 0;
  }

  private weight(c: Upstream): number {
    return this.anomaly === null ? 1 : this.anomaly.weight(c.key);
  }
}
