import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShoalError } from '../core/errors.js';
import { parsePutMetricData } from './validate.js';

const NOW = 1_700_000_000_000;
const one = (d: Record<string, unknown>, namespace = 'MyApp') => ({ namespace, metricData: [{ metricName: 'Jobs', ...d }] });

describe('parsePutMetricData accepts', () => {
  const cases: { desc: string; body: unknown; check: (d: ReturnType<typeof parsePutMetricData>) => void }[] = [
    { desc: 'a value, timestamped now', body: one({ value: 3 }), check: ([d]) => assert.deepEqual([d!.value, d!.timestamp, d!.dimensions], [3, NOW, []]) },
    { desc: 'values with counts', body: one({ values: [1, 2], counts: [3, 4] }), check: ([d]) => assert.deepEqual(d!.counts, [3, 4]) },
    { desc: 'a statistic set', body: one({ statisticValues: { sampleCount: 2, sum: 3, minimum: 1, maximum: 2 } }), check: ([d]) => assert.equal(d!.statisticValues!.sum, 3) },
    { desc: 'an ISO timestamp an hour ago', body: one({ value: 1, timestamp: new Date(NOW - 3_600_000).toISOString() }), check: ([d]) => assert.equal(d!.timestamp, NOW - 3_600_000) },
    { desc: 'dimensions and a unit', body: one({ value: 1, unit: 'Milliseconds', dimensions: [{ name: 'Queue', value: 'emails' }] }), check: ([d]) => assert.deepEqual([d!.unit, d!.dimensions[0]!.value], ['Milliseconds', 'emails']) },
    { desc: '1000 datums', body: { namespace: 'A', metricData: Array.from({ length: 1000 }, () => ({ metricName: 'M', value: 1 })) }, check: (d) => assert.equal(d.length, 1000) },
  ];
  for (const c of cases) it(c.desc, () => c.check(parsePutMetricData(c.body, NOW)));
});

describe('parsePutMetricData refuses, with AWS error codes', () => {
  const cases: { desc: string; body: unknown; code: string; says: RegExp }[] = [
    { desc: 'an AWS/ namespace', body: one({ value: 1 }, 'AWS/EC2'), code: 'InvalidParameterValue', says: /reserved/ },
    { desc: 'no namespace', body: { metricData: [{ metricName: 'M', value: 1 }] }, code: 'MissingParameter', says: /namespace is required/ },
    { desc: 'no metricData', body: { namespace: 'A', metricData: [] }, code: 'MissingParameter', says: /non-empty/ },
    { desc: '1001 datums', body: { namespace: 'A', metricData: Array.from({ length: 1001 }, () => ({ metricName: 'M', value: 1 })) }, code: 'InvalidParameterValue', says: /at most 1000/ },
    { desc: 'no value', body: one({}), code: 'MissingParameter', says: /one of value, values or statisticValues/ },
    { desc: 'value and values', body: one({ value: 1, values: [1] }), code: 'InvalidParameterCombination', says: /mutually exclusive/ },
    { desc: 'NaN', body: one({ value: 'NaN' }), code: 'InvalidParameterValue', says: /finite number/ },
    { desc: 'a value past 2^360', body: one({ value: 2 ** 361 }), code: 'InvalidParameterValue', says: /2\^360/ },
    { desc: '151 values', body: one({ values: Array.from({ length: 151 }, () => 1) }), code: 'InvalidParameterValue', says: /1 to 150/ },
    { desc: 'counts of another length', body: one({ values: [1, 2], counts: [1] }), code: 'InvalidParameterCombination', says: /one count per value/ },
    { desc: '31 dimensions', body: one({ value: 1, dimensions: Array.from({ length: 31 }, (_, i) => ({ name: `d${i}`, value: 'x' })) }), code: 'InvalidParameterValue', says: /at most 30/ },
    { desc: 'a dimension twice', body: one({ value: 1, dimensions: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }] }), code: 'InvalidParameterValue', says: /twice/ },
    { desc: 'an empty dimension value', body: one({ value: 1, dimensions: [{ name: 'a', value: '' }] }), code: 'MissingParameter', says: /value is required/ },
    { desc: 'a timestamp 15 days old', body: one({ value: 1, timestamp: NOW - 15 * 86_400_000 }), code: 'InvalidParameterValue', says: /two weeks/ },
    { desc: 'a timestamp 3 hours ahead', body: one({ value: 1, timestamp: NOW + 3 * 3_600_000 }), code: 'InvalidParameterValue', says: /two hours ahead/ },
    { desc: 'an unknown unit', body: one({ value: 1, unit: 'Furlongs' }), code: 'InvalidParameterValue', says: /unit must be one of/ },
    { desc: 'minimum above maximum', body: one({ statisticValues: { sampleCount: 1, sum: 1, minimum: 2, maximum: 1 } }), code: 'InvalidParameterValue', says: /above its maximum/ },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      assert.throws(() => parsePutMetricData(c.body, NOW), (e: unknown) => e instanceof ShoalError && e.code === c.code && c.says.test(e.message));
    });
  }
});
