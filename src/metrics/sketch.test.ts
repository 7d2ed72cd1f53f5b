import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../core/random.js';
import { ALPHA, Sketch } from './sketch.js';
import { exactQuantile } from './testing.js';


const rnd = seededRandom(42);
const distributions: { desc: string; values: number[] }[] = [
  { desc: 'uniform 1..1000', values: Array.from({ length: 5000 }, () => 1 + rnd.next() * 999) },
  { desc: 'exponential, mean 50 ms', values: Array.from({ length: 5000 }, () => -Math.log(1 - rnd.next()) * 0.05) },
  { desc: 'log-normal latencies', values: Array.from({ length: 5000 }, () => Math.exp(2 + 1.5 * normal())) },
  { desc: 'bimodal with zeros', values: Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? 0 : i % 3 === 1 ? 5 + rnd.next() : 500 + rnd.next() * 50)) },
  { desc: 'negative and positive', values: Array.from({ length: 2000 }, () => (rnd.next() - 0.5) * 200) },
];

function normal(): number {
  return Math.sqrt(-2 * Math.log(1 - rnd.next())) * Math.cos(2 * Math.PI * rnd.next());
}

describe('Sketch quantiles stay within ALPHA of the exact value', () => {
  for (const d of distributions) {
    it(d.desc, () => {
      const s = new Sketch();
      for (const v of d.values) s.add(v);
      const sorted = [...d.values].sort((a, b) => a - b);
      for (const q of [0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1]) {
        const exact = exactQuantile(sorted, q);
        const got = s.quantile(q)!;
        assert.ok(Math.abs(got - exact) <= ALPHA * Math.abs(exact) + 1e-9, `q=${q}: ${got} vs exact ${exact}`);
      }
    });
  }
});

describe('Sketch merge and encoding', () => {
  it('merging two halves answers exactly as one sketch of the whole', () => {
    const whole = new Sketch();
    const a = new Sketch();
    const b = new Sketch();
    distributions[2]!.values.forEach((v, i) => {
      whole.add(v);
      (i % 2 ? a : b).add(v);
    });
    a.merge(b);
    for (const q of [0.5, 0.9, 0.99]) assert.equal(a.quantile(q), whole.quantile(q));
    assert.equal(a.count, whole.count);
  });

  it('encode/decode round-trips', () => {
    const s = new Sketch();
    for (const v of distributions[4]!.values) s.add(v);
    s.add(0, 7);
    const back = Sketch.decode(s.encode());
    assert.equal(back.count, s.count);
    assert.equal(back.zeros, 7);
    for (const q of [0, 0.25, 0.5, 0.75, 1]) assert.equal(back.quantile(q), s.quantile(q));
  });

  it('an empty sketch has no quantile', () => {
    assert.equal(new Sketch().quantile(0.5), undefined);
  });
});
