/** Series identity: (namespace, metric name, dimension set), order of dimensions ignored. */
import type { Dimension, SeriesKey } from './types.js';

export function sortedDimensions(dims: readonly Dimension[]): Dimension[] {
  return [...dims].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((d) => ({ name: d.name, value: d.value }));
}

/** The canonical string of a series (its identity in maps and in metrics.db). */
export function seriesKeyString(k: SeriesKey): string {
  return JSON.stringify([k.namespace, k.metricName, sortedDimensions(k.dimensions).map((d) => [d.name, d.value])]);
}

/** The per-metric bucket for cardinality limits. */
export function metricKeyString(k: Pick<SeriesKey, 'namespace' | 'metricName'>): string {
  return `${k.namespace}\u0000${k.metricName}`;
}

export interface ListFilter {
  namespace?: string;
  metricName?: string;
  /** Each must be present; an empty value matches any value of that name (ListMetrics' DimensionFilter). */
  dimensions?: Dimension[];
}

export function matchesFilter(k: SeriesKey, f: ListFilter | undefined): boolean {
  if (!f) return true;
  if (f.namespace !== undefined && k.namespace !== f.namespace) return false;
  if (f.metricName !== undefined && k.metricName !== f.metricName) return false;
  for (const want of f.dimensions ?? []) {
    const have = k.dimensions.find((d) => d.name === want.name);
    if (!have || (want.value !== undefined && want.value !== '' && have.value !== want.value)) return false;
  }
  return true;
}

export function compareSeries(a: SeriesKey, b: SeriesKey): number {
  const x = seriesKeyString(a);
  const y = seriesKeyString(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
