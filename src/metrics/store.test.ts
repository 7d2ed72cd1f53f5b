import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../core/clock.js';
import { seededRandom } from '../core/random.js';
import { CHUNK_BYTES } from './seconds.js';
import { ALPHA } from './sketch.js';
import { exactQuantile } from './testing.js';
import { TimeSeriesStore, type TimeSeriesOptions } from './store.js';
import type { MetricDatum, Statistic } from './types.js';

const T0 = 1_700_000_040_000 - (1_700_000_040_000 % 3_600_000); // an hour boundary
const KEY = { namespace: 'App', metricName: 'Latency', dimensions: [{ name: 'Service', value: 'api' }] };

function open(o: Partial<TimeSeriesOptions> = {}, start = T0) {
  const clock = new ManualClock(start);
  return { clock, store: new TimeSeriesStore({ clock, path: ':memory:', ...o }) };
}
const at = (timestamp: number, value: number, over: Partial<MetricDatum> = {}): MetricDatum => ({ ...KEY, timestamp, value, ...over });
const q = (statistic: Statistic, periodSeconds: number, start: number, end: number) => ({ ...KEY, statistic, periodSeconds, start, end });

describe('TimeSeriesStore statistics of one period', () => {
  const { clock, store } = open();
  store.put(Array.from({ length: 100 }, (_, i) => at(T0 + 500, i + 1)));
  clock.advance(2000);
  const cases: { stat: Statistic; want: number; tolerance?: number }[] = [
    { stat: 'Sum', want: 5050 },
    { stat: 'Average', want: 50.5 },
    { stat: 'Minimum', want: 1 },
    { stat: 'Maximum', want: 100 },
    { stat: 'SampleCount', want: 100 },
    { stat: 'p50', want: 50, tolerance: ALPHA },
    { stat: 'p90', want: 90, tolerance: ALPHA },
    { stat: 'p99', want: 99, tolerance: ALPHA },
    { stat: 'p99.9', want: 100, tolerance: ALPHA },
    { stat: 'p100', want: 100 },
    { stat: 'p0', want: 1 },
  ];
  for (const c of cases) {
    it(`${c.stat} = ${c.want}`, () => {
      const [dp, ...rest] = store.query(q(c.stat, 1, T0, T0 + 1000));
      assert.equal(rest.length, 0);
      assert.equal(dp!.timestamp, T0);
      assert.equal(dp!.sampleCount, 100);
      assert.ok(Math.abs(dp!.value - c.want) <= (c.tolerance ?? 0) * c.want, `${c.stat}: ${dp!.value}`);
    });
  }
});

describe('TimeSeriesStore periods', () => {
  it('counts periods from the start and leaves empty periods out', () => {
    const { clock, store } = open();
    store.put(Array.from({ length: 60 }, (_, i) => at(T0 + i * 1000, i)).filter((_, i) => i < 20 || i >= 30));
    clock.advance(60_000);
    const dps = store.query(q('Sum', 10, T0, T0 + 60_000));
    assert.deepEqual(dps.map((d) => (d.timestamp - T0) / 1000), [0, 10, 30, 40, 50]);
    assert.deepEqual(dps.map((d) => d.value), [45, 145, 345, 445, 545]);
    const sevens = store.query(q('SampleCount', 7, T0 + 3000, T0 + 17_000));
    assert.deepEqual(sevens.map((d) => (d.timestamp - T0) / 1000), [3, 10], 'at start + k·period, not at multiples of 7 s since the epoch');
    assert.deepEqual(sevens.map((d) => d.value), [7, 7]);
  });

  it('the start is inclusive and the end exclusive', () => {
    const { clock, store } = open();
    store.put([at(T0, 1), at(T0 + 1000, 2), at(T0 + 2000, 4)]);
    clock.advance(5000);
    assert.deepEqual(store.query(q('Sum', 60, T0 + 1000, T0 + 2000)).map((d) => d.value), [2]);
  });

  it('rejects periods outside 1..86400', () => {
    const { store } = open();
    for (const p of [0, 0.5, 86_401]) assert.throws(() => store.query(q('Sum', p, T0, T0 + 1000)), RangeError);
  });

  it('percentiles of a statistic set only when its minimum equals its maximum (as CloudWatch)', () => {
    const { clock, store } = open();
    store.put([
      { ...KEY, timestamp: T0, statisticValues: { sampleCount: 10, sum: 100, minimum: 1, maximum: 30 } },
      { ...KEY, timestamp: T0 + 60_000, statisticValues: { sampleCount: 4, sum: 20, minimum: 5, maximum: 5 } },
    ]);
    clock.advance(120_000);
    assert.deepEqual(store.query(q('p50', 60, T0, T0 + 120_000)).map((d) => [d.timestamp - T0, d.value]), [[60_000, 5]]);
    assert.deepEqual(store.query(q('Average', 60, T0, T0 + 120_000)).map((d) => d.value), [10, 5]);
  });
});

describe('TimeSeriesStore tiers', () => {
  const rnd = seededRandom(7);
  const data = Array.from({ length: 3 * 3600 }, (_, i) => at(T0 + i * 1000, Math.exp(3 + rnd.next() * 2)));

  it('1 s, 1 min and 1 h tiers agree on sums, counts and extremes; percentiles stay within ALPHA', () => {
    const { clock, store } = open({ secondsRetentionMs: 4 * 3_600_000 });
    for (let i = 0; i < data.length; i += 60) {
      store.put(data.slice(i, i + 60));
      clock.advance(60_000);
      if (i % 600 === 0) store.flush();
    }
    const range = [T0, T0 + 3 * 3_600_000] as const;
    assert.equal(store.tierFor(3600, T0), 1);
    const fine = Object.fromEntries((['Sum', 'SampleCount', 'Minimum', 'Maximum', 'p90'] as const).map((s) => [s, store.query(q(s, 3600, ...range))]));
    clock.advance(3_600_000 + 60_000);
    store.maintain(); // the first second chunks expire: the same query now reads the minute tier
    assert.equal(store.tierFor(3600, T0), 60);
    for (const [stat, want] of Object.entries(fine)) {
      const got = store.query(q(stat as Statistic, 3600, ...range));
      assert.equal(got.length, 3);
      if (stat === 'Sum') got.forEach((d, i) => assert.ok(Math.abs(d.value - want[i]!.value) < 1e-6 * d.value));
      else assert.deepEqual(got, want, stat);
    }
    const sorted = data.slice(0, 3600).map((d) => d.value!).sort((a, b) => a - b);
    const p90 = store.query(q('p90', 3600, ...range))[0]!.value;
    assert.ok(Math.abs(p90 - exactQuantile(sorted, 0.9)) <= ALPHA * p90);
    const viaHour = store.query(q('Sum', 7200, T0, T0 + 7200_000));
    assert.ok(Math.abs(viaHour[0]!.value - fine.Sum![0]!.value - fine.Sum![1]!.value) < 1e-6 * viaHour[0]!.value);
  });

  it('a period that is not a multiple of 60 reads the 1 s tier only, so older data is absent', () => {
    const { clock, store } = open({ secondsRetentionMs: 600_000 });
    store.put(data.slice(0, 1200));
    clock.advance(1_200_000);
    store.maintain();
    assert.equal(store.tierFor(10, T0), 1);
    assert.equal(store.query(q('Sum', 10, T0, T0 + 1_200_000)).length, 60); // the last 10 minutes
    assert.equal(store.query(q('Sum', 60, T0, T0 + 1_200_000)).length, 20);
  });

  it('past the 1 s chunk budget the oldest chunks go and queries before the floor read minutes', () => {
    const { clock, store } = open({ maxSecondBytes: 3 * CHUNK_BYTES });
    store.put(data.slice(0, 300)); // 5 minutes: 5 chunks, 2 evicted
    clock.advance(300_000);
    assert.equal(store.stats().secondChunks, 3);
    assert.equal(store.stats().secondsFloor, T0 + 120_000);
    assert.equal(store.tierFor(60, T0), 60);
    assert.equal(store.tierFor(60, T0 + 120_000), 1);
    assert.equal(store.query(q('SampleCount', 60, T0, T0 + 300_000)).length, 5);
    assert.equal(store.query(q('SampleCount', 1, T0, T0 + 300_000)).length, 180);
  });

  it('closed minutes pack their per-second sketches; percentiles read the same afterwards', () => {
    const { clock, store } = open();
    const per = (t: number) => Array.from({ length: 10 }, (_, k) => at(t, 1 + ((t / 1000 + k * 7) % 50)));
    for (let sec = 0; sec < 60; sec++) store.put(per(T0 + sec * 1000));
    clock.advance(60_000);
    const open1 = store.query(q('p90', 1, T0, T0 + 60_000));
    const openBytes = store.stats().secondBytes;
    store.put(per(T0 + 60_000)); // the series moves on: minute 1 is packed
    assert.deepEqual(store.query(q('p90', 1, T0, T0 + 60_000)), open1);
    assert.ok(store.stats().secondBytes < openBytes, `${store.stats().secondBytes} < ${openBytes}`);
    store.put([at(T0 + 5000, 1000)]); // late data unpacks it
    assert.equal(store.query(q('Maximum', 1, T0 + 5000, T0 + 6000))[0]!.value, 1000);
    assert.equal(store.query(q('SampleCount', 60, T0, T0 + 60_000))[0]!.value, 601);
  });

  it('late data merges into a minute already flushed', () => {
    const { clock, store } = open();
    store.put([at(T0, 1)]);
    clock.advance(10 * 60_000);
    store.flush();
    store.put([at(T0 + 5000, 2)]);
    store.flush();
    clock.advance(4 * 3_600_000);
    store.maintain();
    assert.deepEqual(store.query(q('Sum', 60, T0, T0 + 60_000)).map((d) => d.value), [3]);
  });
});

describe('TimeSeriesStore retention and limits', () => {
  it('minutes expire after their retention, hours stay', () => {
    const { clock, store } = open({ minuteRetentionMs: 86_400_000 });
    store.put([at(T0, 5), at(T0 + 61_000, 7)]);
    clock.advance(2 * 86_400_000);
    store.maintain();
    assert.equal(store.tierFor(60, T0), 60);
    assert.deepEqual(store.query(q('Sum', 60, T0, T0 + 3_600_000)), []);
    assert.deepEqual(store.query(q('Sum', 3600, T0, T0 + 3_600_000)).map((d) => d.value), [12]);
  });

  it('datums older than the minute retention are dropped and counted', () => {
    const { store } = open({ minuteRetentionMs: 86_400_000 }, T0 + 2 * 86_400_000);
    store.put([at(T0, 1)]);
    assert.equal(store.stats().droppedDatums, 1);
  });

  it('caps series in total and per metric; idle series free their slot', () => {
    const { clock, store } = open({ maxSeries: 3, maxSeriesPerMetric: 2, secondsRetentionMs: 60_000 });
    const series = (metricName: string, id: string): MetricDatum => ({ namespace: 'App', metricName, dimensions: [{ name: 'Id', value: id }], timestamp: T0, value: 1 });
    assert.deepEqual(store.wouldReject([series('A', '1'), series('A', '2'), series('A', '3')]).map((k) => k.dimensions[0]!.value), ['3']);
    store.put([series('A', '1'), series('A', '2'), series('A', '3'), series('B', '1'), series('C', '1')]);
    assert.deepEqual(store.list().map((k) => `${k.metricName}${k.dimensions[0]!.value}`), ['A1', 'A2', 'B1']);
    assert.equal(store.stats().droppedDatums, 2);
    clock.advance(120_000);
    store.maintain();
    assert.equal(store.stats().series, 0);
    store.put([{ ...series('C', '1'), timestamp: clock.now() }]);
    assert.equal(store.stats().series, 1);
    assert.equal(store.list().length, 4, 'idle series stay listed from metrics.db');
  });

  it('list filters by namespace, metric name and dimensions (a name without value matches any value)', () => {
    const { store } = open();
    store.put([
      at(T0, 1),
      { namespace: 'App', metricName: 'Latency', dimensions: [{ name: 'Service', value: 'web' }, { name: 'Zone', value: 'a' }], timestamp: T0, value: 1 },
      { namespace: 'Other', metricName: 'Jobs', dimensions: [], timestamp: T0, value: 1 },
    ]);
    assert.equal(store.list({ namespace: 'App' }).length, 2);
    assert.equal(store.list({ metricName: 'Jobs' }).length, 1);
    assert.equal(store.list({ dimensions: [{ name: 'Zone', value: '' }] }).length, 1);
    assert.equal(store.list({ dimensions: [{ name: 'Service', value: 'api' }] }).length, 1);
  });
});

describe('TimeSeriesStore persistence', () => {
  it('minutes and hours survive a restart; the 1 s tier starts over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-metrics-'));
    try {
      const path = join(dir, 'metrics.db');
      const clock = new ManualClock(T0);
      const a = new TimeSeriesStore({ clock, path });
      a.put(Array.from({ length: 120 }, (_, i) => at(T0 + i * 1000, i, { unit: 'Seconds' })));
      clock.advance(120_000);
      const before = a.query(q('Sum', 60, T0, T0 + 120_000));
      a.close();
      const b = new TimeSeriesStore({ clock, path });
      assert.equal(b.tierFor(60, T0), 60);
      assert.deepEqual(b.query(q('Sum', 60, T0, T0 + 120_000)), before);
      assert.equal(before[0]!.unit, 'Seconds');
      assert.deepEqual(b.query(q('Sum', 1, T0, T0 + 120_000)), []);
      b.put([at(T0 + 30_000, 1000)]); // late data into a persisted minute
      assert.equal(b.query(q('Sum', 60, T0, T0 + 60_000))[0]!.value, before[0]!.value + 1000);
      b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
