import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseWhen, sparkline } from './metrics-format.js';

describe('sparkline', () => {
  const cases: { desc: string; values: (number | null)[]; want: string }[] = [
    { desc: 'rising', values: [0, 1, 2, 3, 4, 5, 6, 7], want: '▁▂▃▄▅▆▇█' },
    { desc: 'gaps are spaces', values: [1, null, 3], want: '▁ █' },
    { desc: 'flat non-zero is full', values: [5, 5], want: '██' },
    { desc: 'flat zero is empty', values: [0, 0], want: '▁▁' },
    { desc: 'nothing', values: [null, null], want: '' },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const points = c.values.flatMap((v, i) => (v === null ? [] : [{ timestamp: i * 10_000, value: v }]));
      assert.equal(sparkline(points, { start: 0, end: c.values.length * 10_000, periodMs: 10_000 }), c.want);
    });
  }
  it('keeps the last `width` periods', () => {
    const points = [0, 1, 2, 3].map((v, i) => ({ timestamp: i * 1000, value: v }));
    assert.equal(sparkline(points, { start: 0, end: 4000, periodMs: 1000, width: 2 }), '▁█');
  });
});

describe('durations and times', () => {
  const now = 1_700_000_000_000;
  for (const [s, ms] of [['90s', 90_000], ['15m', 900_000], ['2h', 7_200_000], ['1d', 86_400_000], ['30', 30_000]] as const) {
    it(`${s} = ${ms} ms`, () => assert.equal(parseDuration(s), ms));
  }
  it('a duration ago, epoch ms or ISO', () => {
    assert.equal(parseWhen('15m', now), now - 900_000);
    assert.equal(parseWhen(String(now), now), now);
    assert.equal(parseWhen('2023-11-14T22:13:20Z', 0), now);
    assert.throws(() => parseWhen('soon', now), /duration ago/);
  });
});
