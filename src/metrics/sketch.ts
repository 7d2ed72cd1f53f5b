/**
 * A mergeable percentile sketch: a sparse log-scale histogram (the DDSketch
 * idea). A positive value v falls in bin i = ceil(log_g(v)) with g = 1.02,
 * i.e. the range (g^(i-1), g^i]; the bin answers with the point of least
 * relative error, 2·g^i/(g+1), so any quantile is within ALPHA = (g-1)/(g+1)
 * ≈ 0.99 % of a value that truly sits at that rank. Negative values use the
 * mirrored bins; |v| below 1e-9 counts as zero. Merging two sketches is adding
 * bin counts, exactly, so per-second sketches roll up into minutes and hours
 * without losing accuracy. Bins are sparse (only those hit): a sketch of
 * values spanning 1 ms to 100 s holds at most ~580 bins.
 */
export const GAMMA = 1.02;
export const ALPHA = (GAMMA - 1) / (GAMMA + 1);
const LN_GAMMA = Math.log(GAMMA);
const MIN_MAGNITUDE = 1e-9;

export class Sketch {
  /** Key 2·i for positive bin i, 2·i+1 for negative bin i; value: count. */
  readonly bins = new Map<number, number>();
  zeros = 0;
  count = 0;

  /** Adds n copies of v (n > 0). */
  add(v: number, n = 1): void {
    this.count += n;
    const m = Math.abs(v);
    if (m < MIN_MAGNITUDE) {
      this.zeros += n;
      return;
    }
    const key = 2 * Math.ceil(Math.log(m) / LN_GAMMA) + (v < 0 ? 1 : 0);
    this.bins.set(key, (this.bins.get(key) ?? 0) + n);
  }

  merge(other: Sketch): void {
    this.count += other.count;
    this.zeros += other.zeros;
    for (const [k, n] of other.bins) this.bins.set(k, (this.bins.get(k) ?? 0) + n);
  }

  /**
   * The value at quantile q (0..1): the smallest v such that at least
   * ceil(q·count) values (at least one) are <= v. Undefined when empty.
   */
  quantile(q: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.count - 1e-9));
    const neg: [number, number][] = [];
    const pos: [number, number][] = [];
    for (const [k, n] of this.bins) (k & 1 ? neg : pos).push([(k - (k & 1)) / 2, n]);
    neg.sort((a, b) => b[0] - a[0]); // most negative first
    pos.sort((a, b) => a[0] - b[0]);
    let seen = 0;
    for (const [i, n] of neg) {
      seen += n;
      if (seen >= rank) return -binValue(i);
    }
    seen += this.zeros;
    if (seen >= rank) return 0;
    for (const [i, n] of pos) {
      seen += n;
      if (seen >= rank) return binValue(i);
    }
    return pos.length > 0 ? binValue(pos[pos.length - 1]![0]) : 0;
  }

  clone(): Sketch {
    const s = new Sketch();
    s.merge(this);
    return s;
  }

  /** Compact binary form for SQLite: [zeros f64][count f64] then (key i32, n f64) pairs. */
  encode(): Buffer {
    const buf = Buffer.allocUnsafe(16 + this.bins.size * 12);
    buf.writeDoubleLE(this.zeros, 0);
    buf.writeDoubleLE(this.count, 8);
    let o = 16;
    for (const [k, n] of this.bins) {
      buf.writeInt32LE(k, o);
      buf.writeDoubleLE(n, o + 4);
      o += 12;
    }
    return buf;
  }

  static decode(buf: Uint8Array): Sketch {
    const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const s = new Sketch();
    s.zeros = b.readDoubleLE(0);
    s.count = b.readDoubleLE(8);
    for (let o = 16; o + 12 <= b.length; o += 12) s.bins.set(b.readInt32LE(o), b.readDoubleLE(o + 4));
    return s;
  }
}

function binValue(i: number): number {
  return (2 * Math.pow(GAMMA, i)) / (GAMMA + 1);
}
