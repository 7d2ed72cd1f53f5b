/**
 * Anomaly mitigation for weighted_random (ALB's automatic target weights,
 * load_balancing.algorithm.anomaly_mitigation): a target whose responses fail
 * (5xx, connection errors, timeouts) markedly more often than its peers' gets
 * a smaller weight, and earns it back step by step once it behaves.
 *
 * Each second (tick): every target's failure rate in that second is folded
 * into a moving average; with at least two targets that saw traffic, a target
 * is anomalous when its average is above both MIN_RATE and twice the median
 * plus a margin. Anomalous targets' weights halve (down to FLOOR, never 0, so
 * recovery can be seen); the others' grow by STEP back to 1. The bar is
 * relative to the (lower) median, so a failure shared by most of the group is
 * no anomaly: mitigation never starves the larger part of a group.
 *
 * observe() runs per response: a map lookup and two increments.
 */
const MIN_RATE = 0.1;
const MARGIN = 0.05;
const FLOOR = 0.05;
const STEP = 0.1;

interface TargetStats {
  requests: number;
  failures: number;
  /** Moving average of the per-second failure rate. */
  rate: number;
  weight: number;
}

export class AnomalyWeights {
  private readonly byKey = new Map<string, TargetStats>();

  observe(key: string, failed: boolean): void {
    let s = this.byKey.get(key);
    if (s === undefined) this.byKey.set(key, (s = { requests: 0, failures: 0, rate: 0, weight: 1 }));
    s.requests++;
    if (failed) s.failures++;
  }

  /** 1 for a target with nothing against it. */
  weight(key: string): number {
    return this.byKey.get(key)?.weight ?? 1;
  }

  /** Targets whose weight is below 1 (MitigatedHostCount). */
  mitigated(): number {
    let n = 0;
    for (const s of this.byKey.values()) if (s.weight < 1) n++;
    return n;
  }

  tick(): void {
    const seen: TargetStats[] = [];
    for (const s of this.byKey.values()) {
      if (s.requests > 0) {
        s.rate = 0.5 * s.rate + 0.5 * (s.failures / s.requests);
        seen.push(s);
      }
      s.requests = 0;
      s.failures = 0;
    }
    const all = [...this.byKey.values()];
    if (seen.length < 2) return this.recover(all);
    const rates = seen.map((s) => s.rate).sort((a, b) => a - b);
    const median = rates[Math.floor((rates.length - 1) / 2)]!;
    const bar = Math.max(MIN_RATE, 2 * median + MARGIN);
    for (const s of all) s.weight = s.rate > bar ? Math.max(FLOOR, s.weight / 2) : Math.min(1, s.weight + STEP);
  }

  /** Drops targets no longer in the group. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.byKey.keys()) if (!keys.has(key)) this.byKey.delete(key);
  }

  private recover(all: TargetStats[]): void {
    for (const s of all) s.weight = Math.min(1, s.weight + STEP);
  }
}
