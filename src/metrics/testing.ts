/** Test helpers for metrics. */

/** The exact value at quantile q with the sketch's rank rule (smallest v with at least ceil(q·n) values <= v). */
export function exactQuantile(sorted: readonly number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length - 1e-9));
  return sorted[rank - 1]!;
}
