/**
 * The time-series store (implements MetricsStore). Every datum lands in three
 * tiers at once: its second (memory, SecondsTier), its minute and its hour
 * (RollupDb, cached in memory while open or unflushed). Rolling up at write
 * time keeps the tiers consistent by construction: a sum over a range is the
 * same at every resolution that covers it. A query uses the finest tier whose
 * resolution divides the period and whose retention reaches the query's start.
 *
 * Bounds: series active in memory (data in the last secondsRetention) are
 * capped in total and per (namespace, metric name); a datum that would open a
 * series past a cap is dropped and counted (the API refuses it up front with
 * LimitExceeded). The 1-second tier has a chunk budget (SecondsTier).
 */
import type { Clock } from '../core/clock.js';
import { addSample, emptyAgg, mergeAgg, percentileOf, sampleOf, toDatapoint, type Agg } from './agg.js';
import { RollupDb, type RollupRow } from './rollup-db.js';
import { SecondsTier } from './seconds.js';
import { compareSeries, matchesFilter, metricKeyString, seriesKeyString, sortedDimensions, type ListFilter } from './series-key.js';
import type { Datapoint, MetricDatum, MetricQuery, MetricsStore, SeriesKey } from './types.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface TimeSeriesOptions {
  clock: Clock;
  /** metrics.db; ':memory:' keeps the rollups in memory too (tests). */
  path: string;
  /** Default 3 h. */
  secondsRetentionMs?: number;
  /** Estimated memory of the 1-second tier; default 64 MiB (~32,000 one-minute chunks of ~2 KB, more with percentiles). */
  maxSecondBytes?: number;
  /** Default 15 days. */
  minuteRetentionMs?: number;
  /** Default 455 days (15 months). */
  hourRetentionMs?: number;
  /** Series with data in the last secondsRetention; default 10,000. */
  maxSeries?: number;
  /** Of those, per namespace + metric name; default 2,000. */
  maxSeriesPerMetric?: number;
}

interface Bucket {
  agg: Agg;
  dirty: boolean;
}

interface Series {
  id: number;
  key: SeriesKey;
  str: string;
  unit: string | undefined;
  lastPut: number;
  lastTs: number;
  touched: boolean;
  rollups: Map<number, Map<number, Bucket>>;
}

export interface MetricsStats {
  series: number;
  secondChunks: number;
  secondBytes: number;
  droppedDatums: number;
  rejectedSeries: number;
  secondsFloor: number;
}

export class TimeSeriesStore implements MetricsStore {
  private readonly series = new Map<string, Series>();
  private readonly perMetric = new Map<string, number>();
  private readonly seconds: SecondsTier;
  private readonly db: RollupDb;
  private readonly retention: { 1: number; 60: number; 3600: number };
  private readonly maxSeries: number;
  private readonly maxPerMetric: number;
  private droppedDatums = 0;
  private rejectedSeries = 0;
  private closed = false;

  constructor(private readonly o: TimeSeriesOptions) {
    this.retention = { 1: o.secondsRetentionMs ?? 3 * HOUR, 60: o.minuteRetentionMs ?? 15 * DAY, 3600: o.hourRetentionMs ?? 455 * DAY };
    this.seconds = new SecondsTier({ retentionMs: this.retention[1], maxBytes: o.maxSecondBytes ?? 64 * 1024 * 1024, since: o.clock.now() });
    this.db = new RollupDb(o.path);
    this.maxSeries = o.maxSeries ?? 10_000;
    this.maxPerMetric = o.maxSeriesPerMetric ?? 2_000;
  }

  /** The store's clock (the API's defaults and timestamp checks). */
  now(): number {
    return this.o.clock.now();
  }

  /** Adds datums; after close() it does nothing (a producer racing the daemon's stop). */
  put(data: readonly MetricDatum[]): void {
    if (this.closed) return;
    const now = this.o.clock.now();
    for (const d of data) {
      const sample = sampleOf(d);
      if (!sample || d.timestamp < now - this.retention[60]) {
        this.droppedDatums++;
        continue;
      }
      const s = this.seriesFor(d, now);
      if (!s) {
        this.droppedDatums++;
        continue;
      }
      if (d.timestamp >= now - this.retention[1]) this.seconds.add(s.id, d.timestamp, sample);
      addSample(this.bucket(s, 60, d.timestamp), sample);
      addSample(this.bucket(s, 3600, d.timestamp), sample);
      if (d.unit !== undefined) s.unit = d.unit;
      s.lastPut = now;
      s.lastTs = Math.max(s.lastTs, d.timestamp);
      s.touched = true;
    }
  }

  /** The series among `keys` that put() would refuse (new ones past a cap), without changing anything. */
  wouldReject(keys: readonly SeriesKey[]): SeriesKey[] {
    const fresh = new Map<string, SeriesKey>();
    for (const k of keys) {
      const str = seriesKeyString(k);
      if (!this.series.has(str)) fresh.set(str, k);
    }
    let total = this.series.size;
    const per = new Map<string, number>();
    const out: SeriesKey[] = [];
    for (const k of fresh.values()) {
      const m = metricKeyString(k);
      const n = (per.get(m) ?? this.perMetric.get(m) ?? 0) + 1;
      if (total + 1 > this.maxSeries || n > this.maxPerMetric) out.push(k);
      else {
        total++;
        per.set(m, n);
      }
    }
    return out;
  }

  query(q: MetricQuery): Datapoint[] {
    if (this.closed) return [];
    const p = q.periodSeconds;
    if (!Number.isInteger(p) || p < 1 || p > 86_400) throw new RangeError(`periodSeconds must be a whole number from 1 to 86400, got ${p}`);
    const str = seriesKeyString(q);
    const s = this.series.get(str);
    const info = s ? { id: s.id, unit: s.unit } : this.db.findSeries(str);
    if (!info) return [];
    const wantSketch = percentileOf(q.statistic) !== undefined;
    const periods = new Map<number, Agg>();
    const res = this.tierFor(p, q.start);
    // Periods count from the query's start (rounded down to the resolution read), not from the epoch: datapoints fall at
    // start + k·period, as CloudWatch's. Callers round the start as they need (roundedStart does CloudWatch's rounding).
    const from = q.start - (q.start % (res * 1000));
    const add = (t: number, a: Agg) => {
      const start = t - ((t - from) % (p * 1000));
      let agg = periods.get(start);
      if (!agg) periods.set(start, (agg = emptyAgg()));
      mergeAgg(agg, wantSketch ? a : { ...a, sketch: null });
    };
    if (res === 1) this.seconds.forEach(info.id, q.start, q.end, add);
    else {
      const rows = new Map<number, Agg>();
      for (const r of this.db.range(info.id, res, from, q.end)) rows.set(r.ts, r.agg);
      for (const [ts, b] of s?.rollups.get(res) ?? []) if (ts >= from && ts < q.end) rows.set(ts, b.agg);
      for (const [ts, agg] of rows) add(ts, agg);
    }
    const out: Datapoint[] = [];
    for (const [t, agg] of [...periods].sort((a, b) => a[0] - b[0])) {
      const dp = toDatapoint(t, agg, q.statistic, info.unit);
      if (dp) out.push(dp);
    }
    return out;
  }

  /** The resolution (s) a query with this period and start reads: the finest dividing one that reaches back far enough. */
  tierFor(periodSeconds: number, start: number): 1 | 60 | 3600 {
    const now = this.o.clock.now();
    const reach = { 1: Math.max(this.seconds.floor, now - this.retention[1]), 60: now - this.retention[60], 3600: now - this.retention[3600] };
    const fits = ([1, 60, 3600] as const).filter((r) => periodSeconds % r === 0);
    return fits.find((r) => reach[r] <= start) ?? fits[fits.length - 1]!;
  }

  list(filter?: ListFilter): SeriesKey[] {
    if (this.closed) return [];
    const since = this.o.clock.now() - this.retention[60];
    const seen = new Map<string, SeriesKey>();
    for (const k of this.db.listSince(since)) seen.set(seriesKeyString(k), k);
    for (const s of this.series.values()) seen.set(s.str, s.key);
    return [...seen.values()].filter((k) => matchesFilter(k, filter)).sort(compareSeries);
  }

  /** Writes unflushed minutes and hours; forgets the closed ones. Called every few seconds and at stop. */
  flush(): void {
    if (this.closed) return;
    const now = this.o.clock.now();
    const rows: RollupRow[] = [];
    const touched: { id: number; lastTs: number; unit: string | undefined }[] = [];
    for (const s of this.series.values()) {
      for (const [res, buckets] of s.rollups) {
        for (const [ts, b] of buckets) {
          if (b.dirty) rows.push({ series: s.id, res, ts, agg: b.agg });
          b.dirty = false;
          if (ts + res * 1000 <= now - MINUTE) buckets.delete(ts);
        }
      }
      if (s.touched) touched.push({ id: s.id, lastTs: s.lastTs, unit: s.unit });
      s.touched = false;
    }
    if (rows.length > 0 || touched.length > 0) this.db.write(rows, touched);
  }

  /** Retention: expires old seconds, minutes, hours, and series idle for longer than the 1-second retention. */
  maintain(): void {
    if (this.closed) return;
    const now = this.o.clock.now();
    this.flush();
    this.seconds.expire(now);
    for (const s of this.series.values()) {
      if (Math.max(s.lastPut, s.lastTs) >= now - this.retention[1]) continue;
      this.series.delete(s.str);
      this.seconds.drop(s.id);
      const m = metricKeyString(s.key);
      this.perMetric.set(m, (this.perMetric.get(m) ?? 1) - 1);
    }
    this.db.expire(60, now - this.retention[60]);
    this.db.expire(3600, now - this.retention[3600], now - this.retention[60]);
  }

  stats(): MetricsStats {
    return {
      series: this.series.size,
      secondChunks: this.seconds.chunks,
      secondBytes: this.seconds.bytes,
      droppedDatums: this.droppedDatums,
      rejectedSeries: this.rejectedSeries,
      secondsFloor: this.seconds.floor,
    };
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }

  private seriesFor(k: SeriesKey, now: number): Series | undefined {
    const str = seriesKeyString(k);
    const s = this.series.get(str);
    if (s) return s;
    const m = metricKeyString(k);
    const perMetric = this.perMetric.get(m) ?? 0;
    if (this.series.size >= this.maxSeries || perMetric >= this.maxPerMetric) {
      this.rejectedSeries++;
      return undefined;
    }
    const key: SeriesKey = { namespace: k.namespace, metricName: k.metricName, dimensions: sortedDimensions(k.dimensions) };
    const found = this.db.findSeries(str);
    const id = found?.id ?? this.db.seriesId(str, key, now);
    const created: Series = { id, key, str, unit: found?.unit, lastPut: now, lastTs: 0, touched: false, rollups: new Map([[60, new Map()], [3600, new Map()]]) };
    this.series.set(str, created);
    this.perMetric.set(m, perMetric + 1);
    return created;
  }

  /** The open bucket of a rollup tier, loaded from metrics.db when it has one already (late data, a restart). */
  private bucket(s: Series, res: number, t: number): Agg {
    const ts = t - (t % (res * 1000));
    const buckets = s.rollups.get(res)!;
    let b = buckets.get(ts);
    if (!b) buckets.set(ts, (b = { agg: this.db.load(s.id, res, ts) ?? emptyAgg(), dirty: true }));
    b.dirty = true;
    return b.agg;
  }
}
