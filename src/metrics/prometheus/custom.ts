/**
 * Two metric kinds prom-client does not offer, as objects its Registry
 * formats (anything with name, help, type and get()):
 *
 *   BucketHistogram  a histogram fed with bucket counts already counted
 *                    elsewhere (the workers count per bucket; prom-client's
 *                    Histogram only takes one observation at a time)
 *   ReadMetric       a gauge or counter whose values are read from their
 *                    owner at scrape time (target health, group sizes, an
 *                    access log file's byte counts)
 */
import type { Metric, Registry } from 'prom-client';

export type Labels = Record<string, string>;

interface Value {
  value: number;
  labels: Labels;
  metricName?: string;
}

interface Formattable {
  name: string;
  help: string;
  type: 'gauge' | 'counter' | 'histogram';
  get(): Promise<{ name: string; help: string; type: string; aggregator: 'sum'; values: Value[] }>;
}

function register(registry: Registry, m: Formattable): void {
  registry.registerMetric(m as unknown as Metric);
}

interface Series {
  labels: Labels;
  /** Cumulative count per bound, then the total (+Inf). */
  counts: number[];
  sum: number;
}

export class BucketHistogram implements Formattable {
  readonly type = 'histogram' as const;
  private readonly series = new Map<string, Series>();

  constructor(registry: Registry, readonly name: string, readonly help: string, private readonly bounds: readonly number[]) {
    register(registry, this);
  }

  /** Adds counts per bucket (not cumulative; one more than bounds, the last past the highest bound) and their sum. */
  add(labels: Labels, buckets: readonly number[], sum: number): void {
    const key = JSON.stringify(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0 }));
    let running = 0;
    for (let i = 0; i < s.counts.length; i++) {
      running += buckets[i] ?? 0;
      s.counts[i]! += running;
    }
    s.sum += sum;
  }

  async get() {
    const values: Value[] = [];
    for (const s of this.series.values()) {
      this.bounds.forEach((b, i) => values.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le: String(b) }, value: s.counts[i]! }));
      const total = s.counts[this.bounds.length]!;
      values.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le: '+Inf' }, value: total });
      values.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum });
      values.push({ metricName: `${this.name}_count`, labels: s.labels, value: total });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: 'sum' as const, values };
  }
}

export class ReadMetric implements Formattable {
  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    readonly type: 'gauge' | 'counter',
    private readonly read: () => Iterable<[Labels, number]>,
  ) {
    register(registry, this);
  }

  async get() {
    const values: Value[] = [];
    for (const [labels, value] of this.read()) values.push({ labels, value });
    return { name: this.name, help: this.help, type: this.type, aggregator: 'sum' as const, values };
  }
}
