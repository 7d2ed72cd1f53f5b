/**
 * Load-balancing algorithms: pick one upstream among the candidates of a target
 * group (already filtered to the routable ones by the caller). One algorithm per
 * file; every implementation passes contract.test.ts.
 *
 * Called on every request: implementations must not allocate in pick().
 */

/** A target as the proxy sees it. `inflight` is maintained by the proxy, never by a balancer. */
export interface Upstream {
  /** targetKey(): "ip:port". Identity across snapshot swaps (objects may be rebuilt). */
  readonly key: string;
  readonly host: string;
  readonly port: number;
  inflight: number;
}

export interface Balancer {
  /**
   * Picks an upstream from `candidates`, or undefined when there is none.
   * `avoid` is the upstream that just failed (the retry must go elsewhere): it is
   * never returned, not even as the sole candidate. It is matched by key, so a
   * rebuilt Upstream object for the same target is avoided too.
   * `candidates` may differ from one call to the next (targets come and go).
   */
  pick(candidates: readonly Upstream[], avoid?: Upstream): Upstream | undefined;
  /**
   * Slow start: the targets of the group (from the latest snapshot), some with
   * a ramp window. Called when a snapshot is applied, never per request.
   * `now` is epoch milliseconds from the worker's clock.
   */
  setSlowStart(targets: readonly SlowStartTarget[], now: number): void;
  /** Moves slow-start weights on to `now` (epoch ms). Called by the worker's once-a-second sweep. */
  tick(now: number): void;
  /**
   * A response from `u` ended: failed is a 5xx, a connection error or a timeout.
   * Optional: only algorithms that learn from outcomes (weighted_random's anomaly mitigation) implement it.
   */
  observe?(u: Upstream, failed: boolean): void;
}

/** A slow-start window as the snapshot carries it (epoch milliseconds). */
export interface SlowStartWindow {
  readonly startedAt: number;
  readonly endsAt: number;
}

export interface SlowStartTarget {
  readonly key: string;
  readonly slowStart?: SlowStartWindow;
}

/** True when c is the upstream to avoid. Compares keys: no allocation. */
export function isAvoided(c: Upstream, avoid: Upstream | undefined): boolean {
  return avoid !== undefined && (c === avoid || c.key === avoid.key);
}

/**
 * Rotation counters stay small: they are reduced modulo the candidate count on
 * every pick, so a long-running worker never overflows into float territory.
 */
export function wrap(i: number, n: number): number {
  return i >= n ? i % n : i;
}
