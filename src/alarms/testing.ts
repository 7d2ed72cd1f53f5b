/**
 * A tiny in-memory MetricsStore for unit tests of alarms and scaling: raw
 * values per series, aggregated per period on query. Not the real store
 * (src/metrics), which another module owns; same interface.
 */
import type { Datapoint, Dimension, MetricDatum, MetricQuery, MetricsStore, SeriesKey } from '../metrics/types.js';

const keyOf = (k: SeriesKey) =>
  `${k.namespace}|${k.metricName}|${[...k.dimensions].sort((a, b) => a.name.localeCompare(b.name)).map((d) => `${d.name}=${d.value}`).join(',')}`;

export class FakeMetrics implements MetricsStore {
  private series = new Map<string, { key: SeriesKey; points: { t: number; v: number }[] }>();

  put(data: readonly MetricDatum[]): void {
    for (const d of data) {
      const k = keyOf(d);
      const s = this.series.get(k) ?? { key: { namespace: d.namespace, metricName: d.metricName, dimensions: [...d.dimensions] }, points: [] };
      for (const v of d.values ?? (d.value !== undefined ? [d.value] : [])) s.points.push({ t: d.timestamp, v });
      this.series.set(k, s);
    }
  }

  /** Shorthand: one value of a series at t. */
  add(namespace: string, metricName: string, dimensions: Dimension[], t: number, value: number): void {
    this.put([{ namespace, metricName, dimensions, timestamp: t, value }]);
  }

  query(q: MetricQuery): Datapoint[] {
    const s = this.series.get(keyOf(q));
    if (!s) return [];
    const p = q.periodSeconds * 1000;
    const buckets = new Map<number, number[]>();
    for (const { t, v } of s.points) {
      if (t < q.start || t >= q.end) continue;
      const b = Math.floor(t / p) * p;
      buckets.set(b, [...(buckets.get(b) ?? []), v]);
    }
    return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([timestamp, vs]) => ({ timestamp, value: aggregate(q.statistic, vs), sampleCount: vs.length }));
  }

  list(filter: Partial<Pick<SeriesKey, 'namespace' | 'metricName'>> & { dimensions?: Dimension[] } = {}): SeriesKey[] {
    return [...this.series.values()].map((s) => s.key).filter((k) =>
      (!filter.namespace || k.namespace === filter.namespace) && (!filter.metricName || k.metricName === filter.metricName)
      && (filter.dimensions ?? []).every((d) => k.dimensions.some((x) => x.name === d.name && x.value === d.value)));
  }
}

function aggregate(stat: string, vs: number[]): number {
  const sum = vs.reduce((a, b) => a + b, 0);
  switch (stat) {
    case 'Sum': return sum;
    case 'Average': return sum / vs.length;
    case 'Minimum': return Math.min(...vs);
    case 'Maximum': return Math.max(...vs);
    case 'SampleCount': return vs.length;
  }
  const q = Number(stat.slice(1)) / 100;
  const sorted = [...vs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
