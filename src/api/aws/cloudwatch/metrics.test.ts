import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failure, setup, START } from './testing.js';

const at = (s: number) => new Date(START + s * 1000);
const DIMS = [{ Name: 'Host', Value: 'a' }];

test('PutMetricData then GetMetricStatistics: statistics and percentiles per period, in time order, with the unit', async () => {
  const t = await setup();
  await t.call('PutMetricData', { Namespace: 'App', MetricData: [
    { MetricName: 'Latency', Dimensions: DIMS, Timestamp: at(-120), Values: [10, 20, 30, 40], Unit: 'Milliseconds' },
    { MetricName: 'Latency', Dimensions: DIMS, Timestamp: at(-60), StatisticValues: { SampleCount: 2, Sum: 10, Minimum: 5, Maximum: 5 }, Unit: 'Milliseconds' },
    { MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'b' }], Timestamp: at(-60), Value: 1000 },
  ] });
  const out = await t.call('GetMetricStatistics', { Namespace: 'App', MetricName: 'Latency', Dimensions: DIMS, StartTime: at(-180), EndTime: at(0), Period: 60, Statistics: ['Average', 'Maximum', 'SampleCount'] });
  assert.equal(out.Label, 'Latency');
  assert.deepEqual(out.Datapoints, [
    { Timestamp: at(-120), Unit: 'Milliseconds', Average: 25, Maximum: 40, SampleCount: 4 },
    { Timestamp: at(-60), Unit: 'Milliseconds', Average: 5, Maximum: 5, SampleCount: 2 },
  ]);
  const p = await t.call('GetMetricStatistics', { Namespace: 'App', MetricName: 'Latency', Dimensions: DIMS, StartTime: at(-180), EndTime: at(0), Period: 180, ExtendedStatistics: ['p100', 'p0'] });
  assert.deepEqual(p.Datapoints.map((x: { ExtendedStatistics: object }) => x.ExtendedStatistics), [{ p100: 40, p0: 5 }]);
  const other = await t.call('GetMetricStatistics', { Namespace: 'App', MetricName: 'Latency', Dimensions: DIMS, StartTime: at(-180), EndTime: at(0), Period: 60, Statistics: ['Sum'], Unit: 'Seconds' });
  assert.deepEqual(other.Datapoints, [], 'the unit is part of what is asked for');
});

test('PutMetricData refuses bad data with CloudWatch codes, naming the member as the API does', async () => {
  const t = await setup();
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a reserved namespace', { Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'x', Value: 1 }] }, 'InvalidParameterValue', /reserved/],
    ['no data', { Namespace: 'App', MetricData: [] }, 'MissingParameter', /MetricData must be a non-empty list/],
    ['Value and Values', { Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1, Values: [1] }] }, 'InvalidParameterCombination', /MetricData\.member\.1: value and values are mutually exclusive/],
    ['a value out of range', { Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1 }, { MetricName: 'y', Value: 2 ** 400 }] }, 'InvalidParameterValue', /MetricData\.member\.2\.Value must be 0 or within/],
    ['a timestamp three weeks old', { Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1, Timestamp: at(-21 * 86400) }] }, 'InvalidParameterValue', /MetricData\.member\.1\.Timestamp must be within the last two weeks/],
    ['a bad unit', { Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1, Unit: 'Parsecs' }] }, 'InvalidParameterValue', /MetricData\.member\.1\.Unit must be one of/],
  ];
  for (const [what, input, code, message] of cases) {
    const e = await failure(t.call('PutMetricData', input));
    assert.equal(e.code, code, what);
    assert.match(e.message, message, what);
  }
  assert.deepEqual(t.metrics.list({ namespace: 'App' }), [], 'nothing was stored');
});

test('GetMetricStatistics: the statistics, period, range and datapoint limit are checked', async () => {
  const t = await setup();
  const base = { Namespace: 'App', MetricName: 'x', StartTime: at(-3600), EndTime: at(0), Period: 60 };
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['no statistic', base, 'InvalidParameterCombination', /either Statistics or ExtendedStatistics/],
    ['both kinds', { ...base, Statistics: ['Sum'], ExtendedStatistics: ['p99'] }, 'InvalidParameterCombination', /mutually exclusive/],
    ['not a percentile', { ...base, ExtendedStatistics: ['tm99'] }, 'InvalidParameterValue', /tm99/],
    ['a period of 7 s', { ...base, Period: 7, Statistics: ['Sum'] }, 'InvalidParameterValue', /1, 5, 10, 30 or a multiple of 60/],
    ['end before start', { ...base, StartTime: at(0), EndTime: at(-60), Statistics: ['Sum'] }, 'InvalidParameterValue', /StartTime must be less than the parameter EndTime/],
    ['too many datapoints', { ...base, Period: 1, Statistics: ['Sum'] }, 'InvalidParameterCombination', /requested up to 3,600 datapoints, which exceeds the limit of 1,440/],
  ];
  for (const [what, input, code, message] of cases) {
    const e = await failure(t.call('GetMetricStatistics', input));
    assert.equal(e.code, code, what);
    assert.match(e.message, message, what);
  }
});

test('ListMetrics: filters by namespace, name and dimensions; pages of 500 with NextToken; a bad token is InvalidNextToken', async () => {
  const t = await setup();
  const data = Array.from({ length: 600 }, (_, i) => ({ MetricName: 'Hits', Dimensions: [{ Name: 'Path', Value: `/p${String(i).padStart(3, '0')}` }], Value: 1, Timestamp: at(-10) }));
  await t.call('PutMetricData', { Namespace: 'Web', MetricData: data.slice(0, 300) });
  await t.call('PutMetricData', { Namespace: 'Web', MetricData: data.slice(300) });
  await t.call('PutMetricData', { Namespace: 'Other', MetricData: [{ MetricName: 'Errors', Dimensions: [{ Name: 'Path', Value: '/p000' }, { Name: 'Code', Value: '500' }], Value: 1, Timestamp: at(-10) }] });
  const first = await t.call('ListMetrics', { Namespace: 'Web' });
  assert.equal(first.Metrics.length, 500);
  assert.ok(first.NextToken);
  const second = await t.call('ListMetrics', { Namespace: 'Web', NextToken: first.NextToken });
  assert.equal(second.Metrics.length, 100);
  assert.equal(second.NextToken, undefined);
  assert.equal(new Set([...first.Metrics, ...second.Metrics].map((m: { Dimensions: Array<{ Value: string }> }) => m.Dimensions[0]!.Value)).size, 600);
  const any = await t.call('ListMetrics', { Dimensions: [{ Name: 'Code' }] });
  assert.deepEqual(any.Metrics, [{ Namespace: 'Other', MetricName: 'Errors', Dimensions: [{ Name: 'Code', Value: '500' }, { Name: 'Path', Value: '/p000' }] }]);
  assert.deepEqual((await t.call('ListMetrics', { Dimensions: [{ Name: 'Code', Value: '404' }] })).Metrics, []);
  assert.equal((await t.call('ListMetrics', { MetricName: 'Errors', IncludeLinkedAccounts: true })).OwningAccounts[0], '000000000000');
  assert.equal((await failure(t.call('ListMetrics', { NextToken: 'garbage' }))).code, 'InvalidNextToken');
  t.clock.advance(4 * 3_600_000);
  assert.equal((await t.call('ListMetrics', { Namespace: 'Other' })).Metrics.length, 1, 'listed for two weeks');
  assert.deepEqual((await t.call('ListMetrics', { Namespace: 'Other', RecentlyActive: 'PT3H' })).Metrics, [], 'but not recently active');
});

test('GetMetricData: MetricStat queries, ScanBy, labels, MaxDatapoints pages; expressions and bad ids are refused', async () => {
  const t = await setup();
  await t.call('PutMetricData', { Namespace: 'App', MetricData: [0, 1, 2, 3].map((i) => ({ MetricName: 'Q', Value: i * 10, Timestamp: at(-240 + i * 60) })) });
  const q = (id: string, stat: string, o: Record<string, unknown> = {}) => ({ Id: id, MetricStat: { Metric: { Namespace: 'App', MetricName: 'Q' }, Period: 60, Stat: stat }, ...o });
  const base = { StartTime: at(-300), EndTime: at(0) };
  const all = await t.call('GetMetricData', { ...base, MetricDataQueries: [q('m1', 'Sum'), q('m2', 'SampleCount', { Label: 'count' }), q('hidden', 'Sum', { ReturnData: false })] });
  assert.deepEqual(all.MetricDataResults.map((r: { Id: string; Label: string; Values: number[]; StatusCode: string }) => [r.Id, r.Label, r.Values, r.StatusCode]),
    [['m1', 'Q', [30, 20, 10, 0], 'Complete'], ['m2', 'count', [1, 1, 1, 1], 'Complete']], 'newest first by default; ReturnData false is left out');
  assert.deepEqual(all.MetricDataResults[0].Timestamps[0], at(-60));
  const asc = await t.call('GetMetricData', { ...base, ScanBy: 'TimestampAscending', MetricDataQueries: [q('m1', 'Maximum')] });
  assert.deepEqual(asc.MetricDataResults[0].Values, [0, 10, 20, 30]);
  const p1 = await t.call('GetMetricData', { ...base, MaxDatapoints: 3, MetricDataQueries: [q('a', 'Sum'), q('b', 'Sum')] });
  assert.deepEqual(p1.MetricDataResults.map((r: { Values: number[]; StatusCode: string }) => [r.Values, r.StatusCode]), [[[30, 20, 10], 'PartialData'], [[], 'PartialData']]);
  const p2 = await t.call('GetMetricData', { ...base, MaxDatapoints: 3, NextToken: p1.NextToken, MetricDataQueries: [q('a', 'Sum'), q('b', 'Sum')] });
  assert.deepEqual(p2.MetricDataResults.map((r: { Values: number[]; StatusCode: string }) => [r.Values, r.StatusCode]), [[[0], 'Complete'], [[30, 20], 'PartialData']]);
  const p3 = await t.call('GetMetricData', { ...base, MaxDatapoints: 3, NextToken: p2.NextToken, MetricDataQueries: [q('a', 'Sum'), q('b', 'Sum')] });
  assert.deepEqual(p3.MetricDataResults.map((r: { Values: number[] }) => r.Values), [[], [10, 0]]);
  assert.equal(p3.NextToken, undefined);
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['an expression', { ...base, MetricDataQueries: [q('m1', 'Sum'), { Id: 'e1', Expression: 'm1 * 2' }] }, 'InvalidParameterValue', /metric math expressions are not supported/],
    ['a bad id', { ...base, MetricDataQueries: [q('M1', 'Sum')] }, 'InvalidParameterValue', /Id 'M1' is not valid/],
    ['a duplicate id', { ...base, MetricDataQueries: [q('m1', 'Sum'), q('m1', 'Sum')] }, 'InvalidParameterValue', /more than one query/],
    ['neither stat nor expression', { ...base, MetricDataQueries: [{ Id: 'm1' }] }, 'InvalidParameterCombination', /exactly one of MetricStat and Expression/],
    ['a bad statistic', { ...base, MetricDataQueries: [q('m1', 'TM(10%:90%)')] }, 'InvalidParameterValue', /TM\(10%:90%\)/],
    ['a token of another call', { ...base, NextToken: 'bm9wZQ', MetricDataQueries: [q('m1', 'Sum')] }, 'InvalidNextToken', /not valid/],
  ];
  for (const [what, input, code, message] of cases) {
    const e = await failure(t.call('GetMetricData', input));
    assert.equal(e.code, code, what);
    assert.match(e.message, message, what);
  }
});
