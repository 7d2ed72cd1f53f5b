import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyArn } from '../autoscaling/shapes.js';
import { CTX, failure, setup } from './testing.js';

type T = Awaited<ReturnType<typeof setup>>;

const ALARM = {
  AlarmName: 'queue-high', AlarmDescription: 'too many jobs', Namespace: 'App', MetricName: 'Load', Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web' }],
  Statistic: 'Average', Period: 10, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold', Threshold: 50,
};

const stepArn = (t: T) => policyArn(CTX.region, t.model.get('autoScalingGroups', 'web')!.id, 'web', 'step-out');
const describe = async (t: T, name: string) => (await t.call('DescribeAlarms', { AlarmNames: [name] })).MetricAlarms[0];
const summaries = async (t: T, name: string) => (await t.call('DescribeAlarmHistory', { AlarmName: name })).AlarmHistoryItems.map((h: { HistorySummary: string }) => h.HistorySummary);

test('PutMetricAlarm creates an API-owned alarm record that DescribeAlarms shows; a second put updates it', async () => {
  const t = await setup();
  await t.call('PutMetricAlarm', { ...ALARM, Unit: 'Count', AlarmActions: [stepArn(t)], Tags: [{ Key: 'team', Value: 'ops' }] });
  const rec = t.model.get('alarms', 'queue-high')!;
  assert.deepEqual([rec.owner, rec.tags, rec.raw.period, rec.raw.alarmActions], [{ kind: 'api' }, { team: 'ops' }, 10, [stepArn(t)]]);
  const a = await describe(t, 'queue-high');
  assert.deepEqual(a, {
    AlarmName: 'queue-high', AlarmArn: 'arn:aws:cloudwatch:eu-west-3:000000000000:alarm:queue-high', AlarmDescription: 'too many jobs',
    AlarmConfigurationUpdatedTimestamp: new Date(t.clock.now()), ActionsEnabled: true, OKActions: [], AlarmActions: [stepArn(t)], InsufficientDataActions: [],
    StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation', StateUpdatedTimestamp: new Date(t.clock.now()), StateTransitionedTimestamp: new Date(t.clock.now()),
    MetricName: 'Load', Namespace: 'App', Statistic: 'Average', Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web' }], Period: 10, Unit: 'Count',
    EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 50, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'missing',
  });
  t.clock.advance(5000);
  await t.call('PutMetricAlarm', { ...ALARM, Threshold: 80, ExtendedStatistic: 'p90', Statistic: undefined });
  const b = await describe(t, 'queue-high');
  assert.deepEqual([b.Threshold, b.ExtendedStatistic, b.Statistic, b.AlarmActions, b.Unit], [80, 'p90', undefined, [], undefined]);
  assert.deepEqual(b.AlarmConfigurationUpdatedTimestamp, new Date(t.clock.now()));
  assert.deepEqual(t.model.get('alarms', 'queue-high')!.tags, { team: 'ops' }, 'tags given on an update are ignored (as AWS)');
  assert.deepEqual(await summaries(t, 'queue-high'), ['Alarm "queue-high" updated', 'Alarm "queue-high" created']);
});

test('PutMetricAlarm refuses what shoal cannot run, with CloudWatch codes, and writes nothing', async () => {
  const t = await setup();
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['an SNS action', { ...ALARM, AlarmActions: ['arn:aws:sns:us-east-1:000000000000:ops'] }, 'InvalidParameterValue', /sns actions are not supported/],
    ['a 7 s period', { ...ALARM, Period: 7 }, 'InvalidParameterValue', /Period must be 1, 5, 10, 30 or a multiple of 60/],
    ['no statistic', { ...ALARM, Statistic: undefined }, 'MissingParameter', /either Statistic or ExtendedStatistic/],
    ['both statistics', { ...ALARM, ExtendedStatistic: 'p99' }, 'InvalidParameterCombination', /mutually exclusive/],
    ['metric math', { ...ALARM, Metrics: [{ Id: 'm1' }] }, 'InvalidParameterValue', /Metric math alarms/],
    ['anomaly detection', { ...ALARM, ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }, 'InvalidParameterValue', /anomaly detection/],
    ['no evaluation periods', { ...ALARM, EvaluationPeriods: undefined }, 'MissingParameter', /EvaluationPeriods/],
    ['datapoints above periods (the config rule)', { ...ALARM, DatapointsToAlarm: 3 }, 'ValidationError', /alarm 'queue-high' \(created through the API\).*datapointsToAlarm: must not be greater than evaluationPeriods/s],
    ['a policy that does not exist', { ...ALARM, AlarmActions: [stepArn(t).replace('step-out', 'nope')] }, 'ValidationError', /scaling policy "nope" is not defined in group web/],
  ];
  for (const [what, input, code, message] of cases) {
    const e = await failure(t.call('PutMetricAlarm', input));
    assert.equal(e.code, code, what);
    assert.match(e.message, message, what);
  }
  assert.equal(t.model.get('alarms', 'queue-high'), undefined);
  assert.deepEqual((await t.call('DescribeAlarms', { AlarmNamePrefix: 'queue' })).MetricAlarms, []);
});

test("a file-owned alarm: put and delete answer ResourceOwnedByFile with its file and line; SetAlarmState and actions switches work", async () => {
  const t = await setup();
  const put = await failure(t.call('PutMetricAlarm', { ...ALARM, AlarmName: 'file-alarm' }));
  assert.equal(put.code, 'ResourceOwnedByFile');
  assert.match(put.message, /The alarm 'file-alarm' is declared in the config file at .*shoal\.yaml:\d+/);
  await t.call('PutMetricAlarm', ALARM);
  const del = await failure(t.call('DeleteAlarms', { AlarmNames: ['queue-high', 'file-alarm'] }));
  assert.equal(del.code, 'ResourceOwnedByFile');
  assert.ok(t.model.get('alarms', 'queue-high'), 'nothing was deleted');
  const gone = await failure(t.call('DeleteAlarms', { AlarmNames: ['queue-high', 'nope'] }));
  assert.deepEqual([gone.code, gone.status, gone.message], ['ResourceNotFound', 404, '1 alarm not found: nope. Nothing was deleted.']);
  assert.ok(t.model.get('alarms', 'queue-high'));

  await t.call('SetAlarmState', { AlarmName: 'file-alarm', StateValue: 'ALARM', StateReason: 'testing', StateReasonData: '{"why":"a drill"}' });
  const a = await describe(t, 'file-alarm');
  assert.deepEqual([a.StateValue, a.StateReason, a.StateReasonData], ['ALARM', 'testing', '{"why":"a drill"}']);
  await t.call('DisableAlarmActions', { AlarmNames: ['file-alarm', 'not-an-alarm'] });
  assert.equal((await describe(t, 'file-alarm')).ActionsEnabled, false);
  await t.call('EnableAlarmActions', { AlarmNames: ['file-alarm'] });
  assert.equal((await describe(t, 'file-alarm')).ActionsEnabled, true);
  assert.equal((await failure(t.call('SetAlarmState', { AlarmName: 'file-alarm', StateValue: 'OK', StateReason: 'x', StateReasonData: '{nope' }))).code, 'InvalidFormat');
  const unknown = await failure(t.call('SetAlarmState', { AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' }));
  assert.deepEqual([unknown.code, unknown.status], ['ResourceNotFound', 404]);
  assert.deepEqual(await summaries(t, 'file-alarm'), ['Alarm updated from INSUFFICIENT_DATA to ALARM']);
});

test('an alarm on a group metric runs its step policy on SetAlarmState ALARM; with actions disabled it does not', async () => {
  const t = await setup();
  const desired = () => t.asg.group('web')!.state.desiredCapacity;
  assert.equal(desired(), 0);
  await t.call('PutMetricAlarm', { ...ALARM, AlarmActions: [stepArn(t)] });
  for (let i = 0; i < 12; i++) {
    await t.call('PutMetricData', { Namespace: 'App', MetricData: [{ MetricName: 'Load', Dimensions: ALARM.Dimensions, Value: 10 }] });
    await t.run(1);
  }
  assert.equal((await describe(t, 'queue-high')).StateValue, 'OK', 'evaluated: 10 is not above 50');
  await t.call('SetAlarmState', { AlarmName: 'queue-high', StateValue: 'ALARM', StateReason: 'drill' });
  assert.equal(desired(), 1, 'the step below the threshold adds one');
  await t.call('SetAlarmState', { AlarmName: 'queue-high', StateValue: 'OK', StateReason: 'drill over' });
  await t.call('DisableAlarmActions', { AlarmNames: ['queue-high'] });
  await t.call('SetAlarmState', { AlarmName: 'queue-high', StateValue: 'ALARM', StateReason: 'drill again' });
  assert.equal(desired(), 1, 'no action with actions disabled');
  const items = (await t.call('DescribeAlarmHistory', { AlarmName: 'queue-high', HistoryItemType: 'Action' })).AlarmHistoryItems;
  assert.equal(items.length, 1);
  assert.match(items[0].HistorySummary, /^Successfully executed action arn:aws:autoscaling:.*policyName\/step-out$/);
  // PutMetricAlarm sets the whole configuration again: ActionsEnabled as given.
  await t.call('PutMetricAlarm', { ...ALARM, AlarmActions: [stepArn(t)] });
  assert.equal((await describe(t, 'queue-high')).ActionsEnabled, true);
});

test('DescribeAlarms: names, prefix, state, action prefix, types, pages; DescribeAlarmsForMetric; a policy-owned alarm is shown but not changed', async () => {
  const t = await setup();
  for (const n of ['b-alarm', 'a-alarm', 'c-alarm']) await t.call('PutMetricAlarm', { ...ALARM, AlarmName: n, ...(n === 'c-alarm' ? { AlarmActions: [stepArn(t)], Period: 60 } : {}) });
  await t.call('SetAlarmState', { AlarmName: 'b-alarm', StateValue: 'OK', StateReason: 'x' });
  const names = async (input: Record<string, unknown>) => (await t.call('DescribeAlarms', input)).MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName);
  const tt = ['TargetTracking-web-cpu-AlarmHigh', 'TargetTracking-web-cpu-AlarmLow'];
  assert.deepEqual(await names({}), [...tt, 'a-alarm', 'b-alarm', 'c-alarm', 'file-alarm'], 'in code point order');
  assert.deepEqual(await names({ AlarmNamePrefix: 'b' }), ['b-alarm']);
  assert.deepEqual(await names({ StateValue: 'OK' }), ['b-alarm']);
  assert.deepEqual(await names({ ActionPrefix: 'arn:aws:autoscaling:' }), [...tt, 'c-alarm']);
  assert.deepEqual(await names({ AlarmTypes: ['CompositeAlarm'] }), []);
  assert.deepEqual(await names({ ChildrenOfAlarmName: 'a-alarm' }), []);
  const p1 = await t.call('DescribeAlarms', { MaxRecords: 4 });
  const p2 = await t.call('DescribeAlarms', { MaxRecords: 4, NextToken: p1.NextToken });
  assert.deepEqual([p1.MetricAlarms.length, p2.MetricAlarms.length, p2.NextToken], [4, 2, undefined]);
  assert.deepEqual(p2.MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName), ['c-alarm', 'file-alarm']);
  assert.equal((await failure(t.call('DescribeAlarms', { AlarmNames: ['a'], AlarmNamePrefix: 'a' }))).code, 'InvalidParameterCombination');
  assert.equal((await failure(t.call('DescribeAlarms', { ChildrenOfAlarmName: 'a', StateValue: 'OK' }))).code, 'InvalidParameterCombination');
  assert.equal((await failure(t.call('DescribeAlarms', { NextToken: p1.NextToken.slice(2) }))).code, 'InvalidNextToken');

  const forMetric = async (input: Record<string, unknown>) => (await t.call('DescribeAlarmsForMetric', { Namespace: 'App', MetricName: 'Load', ...input })).MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName);
  assert.deepEqual(await forMetric({}), ['a-alarm', 'b-alarm', 'c-alarm']);
  assert.deepEqual(await forMetric({ Period: 60 }), ['c-alarm']);
  assert.deepEqual(await forMetric({ Dimensions: [] }), []);
  assert.deepEqual(await forMetric({ Statistic: 'Average', Dimensions: ALARM.Dimensions }), ['a-alarm', 'b-alarm', 'c-alarm']);

  const high = (await t.call('DescribeAlarms', { AlarmNames: [tt[0]] })).MetricAlarms[0];
  assert.deepEqual([high.Namespace, high.MetricName, high.AlarmActions[0]], ['AWS/EC2', 'CPUUtilization', policyArn(CTX.region, t.model.get('autoScalingGroups', 'web')!.id, 'web', 'cpu')]);
  assert.match((await failure(t.call('PutMetricAlarm', { ...ALARM, AlarmName: tt[0] }))).message, /belongs to target tracking policy 'cpu' of Auto Scaling group 'web'/);
  assert.match((await failure(t.call('DeleteAlarms', { AlarmNames: [tt[1]] }))).message, /belongs to target tracking policy/);
  await t.call('SetAlarmState', { AlarmName: tt[1], StateValue: 'OK', StateReason: 'runtime operations work on it' });
});

test('DescribeAlarmHistory: a deleted alarm keeps its history; item type, dates, order and pages', async () => {
  const t = await setup();
  await t.call('PutMetricAlarm', { ...ALARM, TreatMissingData: 'ignore' }); // no data: evaluations keep the state set
  for (const s of ['OK', 'ALARM', 'OK']) {
    t.clock.advance(1000);
    await t.call('SetAlarmState', { AlarmName: 'queue-high', StateValue: s, StateReason: 'x' });
  }
  t.clock.advance(1000);
  await t.call('DeleteAlarms', { AlarmNames: ['queue-high'] });
  assert.deepEqual((await t.call('DescribeAlarms', { AlarmNames: ['queue-high'] })).MetricAlarms, []);
  assert.deepEqual(await summaries(t, 'queue-high'), ['Alarm "queue-high" deleted', 'Alarm updated from ALARM to OK', 'Alarm updated from OK to ALARM',
    'Alarm updated from INSUFFICIENT_DATA to OK', 'Alarm "queue-high" created']);
  const first = (await t.call('DescribeAlarmHistory', { AlarmName: 'queue-high', HistoryItemType: 'ConfigurationUpdate', ScanBy: 'TimestampAscending' })).AlarmHistoryItems[0];
  assert.equal(first.HistorySummary, 'Alarm "queue-high" created');
  assert.equal(first.AlarmType, 'MetricAlarm');
  assert.equal(JSON.parse(first.HistoryData).type, 'Create');
  const states = await t.call('DescribeAlarmHistory', { HistoryItemType: 'StateUpdate', StartDate: new Date(t.clock.now() - 2500), MaxRecords: 1 });
  assert.deepEqual(states.AlarmHistoryItems.map((h: { HistorySummary: string }) => h.HistorySummary), ['Alarm updated from ALARM to OK']);
  const next = await t.call('DescribeAlarmHistory', { HistoryItemType: 'StateUpdate', StartDate: new Date(t.clock.now() - 2500), MaxRecords: 1, NextToken: states.NextToken });
  assert.deepEqual([next.AlarmHistoryItems[0].HistorySummary, next.NextToken], ['Alarm updated from OK to ALARM', undefined]);
});
