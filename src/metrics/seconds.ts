/**
 * The 1-second tier, in memory only. Each series keeps one chunk per minute
 * that has data: 60 slots of (count, sum, min, max) in a Float64Array (1.9 KB)
 * plus a sketch for the seconds that got more than one sample (a second with
 * one sample is its own distribution). Memory is bounded twice: chunks older
 * than the retention go, and past `maxChunks` the oldest chunks of any series
 * go first. `floor` is the earliest time from which the tier is complete for
 * every series (raised by budget evictions and by a restart, since the tier is
 * not persisted); queries older than it read the minute tier instead.
 */
import { addToSketch, type Agg, type Sample } from './agg.js';
import { Sketch } from './sketch.js';

const SLOT = 4;

interface Chunk {
  minute: number;
  cells: Float64Array;
  sketches: Map<number, Sketch> | null;
  dropped: boolean;
}

export interface SecondsOptions {
  retentionMs: number;
  maxChunks: number;
  /** When the tier starts being complete (the store's open time). */
  since: number;
}

export class SecondsTier {
  private readonly series = new Map<number, Map<number, Chunk>>();
  /** Chunks in creation order, for budget eviction. */
  private queue: { id: number; chunk: Chunk }[] = [];
  private head = 0;
  private live = 0;
  floor: number;
  evictedByBudget = 0;

  constructor(private readonly o: SecondsOptions) {
    this.floor = o.since;
  }

  get chunks(): number {
    return this.live;
  }

  add(id: number, t: number, s: Sample): void {
    const minute = t - (t % 60_000);
    let chunks = this.series.get(id);
    if (!chunks) this.series.set(id, (chunks = new Map()));
    let c = chunks.get(minute);
    if (!c) {
      c = { minute, cells: new Float64Array(60 * SLOT), sketches: null, dropped: false };
      chunks.set(minute, c);
      this.queue.push({ id, chunk: c });
      this.live++;
      while (this.live > this.o.maxChunks) this.evictOldest();
    }
    const sec = Math.floor((t - minute) / 1000);
    const i = sec * SLOT;
    const cells = c.cells;
    const before = cells[i]!;
    const single = cells[i + 2]!; // the value of a slot holding one sample
    if (before === 0) {
      cells[i + 2] = s.min;
      cells[i + 3] = s.max;
    } else {
      if (s.min < cells[i + 2]!) cells[i + 2] = s.min;
      if (s.max > cells[i + 3]!) cells[i + 3] = s.max;
    }
    cells[i] = before + s.count;
    cells[i + 1] = cells[i + 1]! + s.sum;
    if (before + s.count <= 1) return;
    let sk = c.sketches?.get(sec);
    if (!sk) {
      sk = new Sketch();
      if (before === 1) sk.add(single);
      (c.sketches ??= new Map()).set(sec, sk);
    }
    addToSketch(sk, s);
  }

  /** Calls fn for every second of the series in [start, end) with data, in time order. */
  forEach(id: number, start: number, end: number, fn: (t: number, a: Agg) => void): void {
    const chunks = this.series.get(id);
    if (!chunks) return;
    const minutes = [...chunks.keys()].filter((m) => m + 60_000 > start && m < end).sort((a, b) => a - b);
    for (const m of minutes) {
      const c = chunks.get(m)!;
      for (let sec = 0; sec < 60; sec++) {
        const t = m + sec * 1000;
        const i = sec * SLOT;
        const count = c.cells[i]!;
        if (count === 0 || t < start || t >= end) continue;
        const min = c.cells[i + 2]!;
        let sketch = c.sketches?.get(sec) ?? null;
        if (!sketch && count === 1) (sketch = new Sketch()).add(min);
        fn(t, { count, sum: c.cells[i + 1]!, min, max: c.cells[i + 3]!, sketch });
      }
    }
  }

  /** Drops chunks past the retention; returns how many. */
  expire(now: number): number {
    const cutoff = now - this.o.retentionMs;
    let n = 0;
    for (const [id, chunks] of this.series) {
      for (const [m, c] of chunks) {
        if (m + 60_000 > cutoff) continue;
        chunks.delete(m);
        c.dropped = true;
        this.live--;
        n++;
      }
      if (chunks.size === 0) this.series.delete(id);
    }
    if (n > 0) this.compactQueue();
    return n;
  }

  /** Forgets a series (it left memory). */
  drop(id: number): void {
    const chunks = this.series.get(id);
    if (!chunks) return;
    for (const c of chunks.values()) {
      c.dropped = true;
      this.live--;
    }
    this.series.delete(id);
  }

  private evictOldest(): void {
    while (this.head < this.queue.length) {
      const { id, chunk } = this.queue[this.head++]!;
      if (chunk.dropped) continue;
      chunk.dropped = true;
      this.live--;
      this.evictedByBudget++;
      const chunks = this.series.get(id);
      chunks?.delete(chunk.minute);
      if (chunks?.size === 0) this.series.delete(id);
      this.floor = Math.max(this.floor, chunk.minute + 60_000);
      break;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) this.compactQueue();
  }

  private compactQueue(): void {
    this.queue = this.queue.slice(this.head).filter((e) => !e.chunk.dropped);
    this.head = 0;
  }
}
