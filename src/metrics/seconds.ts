/**
 * The 1-second tier, in memory only. Each series keeps one chunk per minute
 * that has data: 60 slots of (count, sum, min, max) in a Float64Array, plus
 * sketches for the seconds that got more than one sample (a second with one
 * sample is its own distribution). While its minute is open a chunk keeps
 * those sketches as objects; once the series moves on to a later minute they
 * are packed into one buffer (12 bytes per histogram bin), since a Map per
 * second would cost ~300 bytes even for two samples.
 *
 * Memory is bounded twice: chunks older than the retention go, and past
 * `maxBytes` (estimated: the slots, plus the packed or estimated sketch
 * sizes) the oldest chunks of any series go first. `floor` is the earliest
 * time from which the tier is complete for every series (raised by budget
 * evictions and by a restart, since the tier is not persisted); queries older
 * than it read the minute tier instead.
 */
import { addToSketch, type Agg, type Sample } from './agg.js';
import { Sketch } from './sketch.js';

const SLOT = 4;
/** Estimated bytes of a chunk without sketches (slots + objects). */
export const CHUNK_BYTES = 60 * SLOT * 8 + 200;
/** Estimated bytes of one second's sketch while its chunk is open. */
const OPEN_SKETCH_BYTES = 400;

interface Chunk {
  minute: number;
  cells: Float64Array;
  sketches: Map<number, Sketch> | null;
  /** Sketches of a closed minute: second s's bytes are data[offsets[s], offsets[s+1]). */
  packed: { offsets: Int32Array; data: Buffer } | null;
  bytes: number;
  dropped: boolean;
}

export interface SecondsOptions {
  retentionMs: number;
  maxBytes: number;
  /** When the tier starts being complete (the store's open time). */
  since: number;
}

export class SecondsTier {
  private readonly series = new Map<number, Map<number, Chunk>>();
  /** Chunks in creation order, for budget eviction. */
  private queue: { id: number; chunk: Chunk }[] = [];
  private head = 0;
  private live = 0;
  private used = 0;
  floor: number;
  evictedByBudget = 0;

  constructor(private readonly o: SecondsOptions) {
    this.floor = o.since;
  }

  get chunks(): number {
    return this.live;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.used;
  }

  add(id: number, t: number, s: Sample): void {
    const minute = t - (t % 60_000);
    let chunks = this.series.get(id);
    if (!chunks) this.series.set(id, (chunks = new Map()));
    let c = chunks.get(minute);
    if (!c) {
      for (const older of chunks.values()) if (older.minute < minute && older.sketches) this.pack(older);
      c = { minute, cells: new Float64Array(60 * SLOT), sketches: null, packed: null, bytes: CHUNK_BYTES, dropped: false };
      chunks.set(minute, c);
      this.queue.push({ id, chunk: c });
      this.live++;
      this.used += CHUNK_BYTES;
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
    if (before + s.count > 1) {
      if (c.packed) this.unpack(c); // late data into a closed minute
      let sk = c.sketches?.get(sec);
      if (!sk) {
        sk = new Sketch();
        if (before === 1) sk.add(single);
        (c.sketches ??= new Map()).set(sec, sk);
        this.resize(c, c.bytes + OPEN_SKETCH_BYTES);
      }
      addToSketch(sk, s);
    }
    while (this.used > this.o.maxBytes && this.live > 1) this.evictOldest();
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
        let sketch = c.sketches?.get(sec) ?? packedSketch(c, sec);
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
        this.release(c);
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
    for (const c of chunks.values()) this.release(c);
    this.series.delete(id);
  }

  private evictOldest(): void {
    while (this.head < this.queue.length) {
      const { id, chunk } = this.queue[this.head++]!;
      if (chunk.dropped) continue;
      this.release(chunk);
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

  private release(c: Chunk): void {
    c.dropped = true;
    this.live--;
    this.used -= c.bytes;
  }

  private resize(c: Chunk, bytes: number): void {
    this.used += bytes - c.bytes;
    c.bytes = bytes;
  }

  private pack(c: Chunk): void {
    const offsets = new Int32Array(61);
    const parts: Buffer[] = [];
    let at = 0;
    for (let sec = 0; sec < 60; sec++) {
      offsets[sec] = at;
      const sk = c.sketches!.get(sec);
      if (!sk) continue;
      const b = sk.encode();
      parts.push(b);
      at += b.length;
    }
    offsets[60] = at;
    c.packed = { offsets, data: Buffer.concat(parts, at) };
    c.sketches = null;
    this.resize(c, CHUNK_BYTES + 244 + at);
  }

  private unpack(c: Chunk): void {
    const sketches = new Map<number, Sketch>();
    for (let sec = 0; sec < 60; sec++) {
      const sk = packedSketch(c, sec);
      if (sk) sketches.set(sec, sk);
    }
    c.sketches = sketches;
    c.packed = null;
    this.resize(c, CHUNK_BYTES + sketches.size * OPEN_SKETCH_BYTES);
  }
}

function packedSketch(c: Chunk, sec: number): Sketch | null {
  if (!c.packed) return null;
  const { offsets, data } = c.packed;
  return offsets[sec + 1]! > offsets[sec]! ? Sketch.decode(data.subarray(offsets[sec], offsets[sec + 1])) : null;
}
