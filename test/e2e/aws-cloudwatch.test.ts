/**
 * CloudWatch through real clients against a real daemon: the SDK for
 * JavaScript v3 (JSON 1.0) over every operation, the AWS CLI v2 (Query), the
 * current boto3 (RPC v2 CBOR) and Debian's boto3 (Query); and an alarm made
 * with PutMetricAlarm on a group's metric driving the group's step scaling
 * policy from the config: SetAlarmState ALARM changes the desired capacity,
 * with DisableAlarmActions it does not.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand, EnableAlarmActionsCommand, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand,
  PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand, type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribePoliciesCommand } from '@aws-sdk/client-auto-scaling';
import { awsCli, awsCliError, endpointUrl, sdkConfig } from '../support/aws.js';
import { HELLO, startAsgDaemon, waitFor } from './asg-support.js';

const run = promisify(execFile);

const s = await startAsgDaemon(`
stateDir: STATE
api: { listen: 127.0.0.1:API }
launchTemplates:
  - name: web-lt
    versions:
      - imageId: ${HELLO}
        userData: |
          #!/bin/sh
          exec node server.js
autoScalingGroups:
  - name: web
    launchTemplate: { name: web-lt }
    minSize: 0
    maxSize: 3
    desiredCapacity: 0
    availabilityZones: [zone-a]
    scalingPolicies:
      - name: step-out
        policyType: StepScaling
        adjustmentType: ChangeInCapacity
        stepAdjustments:
          - { metricIntervalUpperBound: 0, scalingAdjustment: 1 }
          - { metricIntervalLowerBound: 0, scalingAdjustment: 2 }
alarms:
  - alarmName: file-alarm
    namespace: App
    metricName: Queue
    statistic: Average
    period: 60
    evaluationPeriods: 1
    comparisonOperator: GreaterThanThreshold
    threshold: 100
`);
after(() => s.destroy());
const cw = new CloudWatchClient(sdkConfig(s.daemon));
/** Whole minutes before the test file started (one base for every call, whatever minute boundary passes meanwhile). */
const BASE = Math.floor(Date.now() / 60_000) * 60_000;
const minutesAgo = (n: number) => new Date(BASE - n * 60_000);

/** The error a client call rejects with. */
async function rejection(p: Promise<unknown>): Promise<Error & { Code?: string; $metadata: { httpStatusCode: number } }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { Code?: string; $metadata: { httpStatusCode: number } };
  }
  throw new Error('expected the call to fail');
}

test('SDK v3 (JSON 1.0): metrics in and out, alarms from creation to deletion, errors as modeled exceptions', async () => {
  const dims = [{ Name: 'Service', Value: 'sdk' }];
  await cw.send(new PutMetricDataCommand({ Namespace: 'Sdk', MetricData: [
    { MetricName: 'Latency', Dimensions: dims, Timestamp: minutesAgo(3), Values: [10, 20], Counts: [1, 3], Unit: 'Milliseconds' },
    { MetricName: 'Latency', Dimensions: dims, Timestamp: minutesAgo(2), StatisticValues: { SampleCount: 4, Sum: 40, Minimum: 5, Maximum: 15 }, Unit: 'Milliseconds' },
  ] }));
  const stats = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Sdk', MetricName: 'Latency', Dimensions: dims, StartTime: minutesAgo(5), EndTime: minutesAgo(0), Period: 60, Statistics: ['Sum', 'Maximum', 'SampleCount'] }));
  assert.equal(stats.Label, 'Latency');
  assert.deepEqual(stats.Datapoints, [
    { Timestamp: minutesAgo(3), Sum: 70, Maximum: 20, SampleCount: 4, Unit: 'Milliseconds' },
    { Timestamp: minutesAgo(2), Sum: 40, Maximum: 15, SampleCount: 4, Unit: 'Milliseconds' },
  ]);
  const data = await cw.send(new GetMetricDataCommand({ StartTime: minutesAgo(5), EndTime: minutesAgo(0), ScanBy: 'TimestampAscending', MetricDataQueries: [
    { Id: 'avg', MetricStat: { Metric: { Namespace: 'Sdk', MetricName: 'Latency', Dimensions: dims }, Period: 60, Stat: 'Average' } },
    { Id: 'pct', Label: 'p100', MetricStat: { Metric: { Namespace: 'Sdk', MetricName: 'Latency', Dimensions: dims }, Period: 300, Stat: 'p100' } },
  ] }));
  assert.deepEqual(data.MetricDataResults?.map((r) => [r.Id, r.Label, r.Values, r.StatusCode]), [['avg', 'Latency', [17.5, 10], 'Complete'], ['pct', 'p100', [20], 'Complete']]);
  assert.deepEqual(data.MetricDataResults?.[0]?.Timestamps, [minutesAgo(3), minutesAgo(2)]);
  const listed = await cw.send(new ListMetricsCommand({ Namespace: 'Sdk', Dimensions: [{ Name: 'Service' }] }));
  assert.deepEqual(listed.Metrics, [{ Namespace: 'Sdk', MetricName: 'Latency', Dimensions: dims }]);

  const alarm: PutMetricAlarmCommandInput = {
    // A metric with no data and missing data ignored: evaluations keep whatever state SetAlarmState sets.
    AlarmName: 'sdk-latency', Namespace: 'Sdk', MetricName: 'Errors', Dimensions: dims, Statistic: 'Average', Period: 60,
    EvaluationPeriods: 2, DatapointsToAlarm: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 500, TreatMissingData: 'ignore',
  };
  await cw.send(new PutMetricAlarmCommand(alarm));
  const a = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['sdk-latency'] }))).MetricAlarms![0]!;
  assert.deepEqual([a.AlarmArn, a.Threshold, a.EvaluationPeriods, a.DatapointsToAlarm, a.TreatMissingData, a.ActionsEnabled],
    ['arn:aws:cloudwatch:us-east-1:000000000000:alarm:sdk-latency', 500, 2, 1, 'ignore', true]);
  assert.ok(a.StateUpdatedTimestamp instanceof Date);
  assert.equal(s.daemon.control.model.get('alarms', 'sdk-latency')?.owner.kind, 'api', 'an API-owned record of the model');
  const forMetric = await cw.send(new DescribeAlarmsForMetricCommand({ Namespace: 'Sdk', MetricName: 'Errors', Dimensions: dims }));
  assert.deepEqual(forMetric.MetricAlarms?.map((x) => x.AlarmName), ['sdk-latency']);
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'sdk-latency', StateValue: 'ALARM', StateReason: 'a drill' }));
  const alarmed = (await cw.send(new DescribeAlarmsCommand({ StateValue: 'ALARM', AlarmNamePrefix: 'sdk-' }))).MetricAlarms!;
  assert.deepEqual(alarmed.map((x) => [x.AlarmName, x.StateReason]), [['sdk-latency', 'a drill']]);
  await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['sdk-latency'] }));
  assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['sdk-latency'] }))).MetricAlarms![0]!.ActionsEnabled, false);
  await cw.send(new EnableAlarmActionsCommand({ AlarmNames: ['sdk-latency'] }));
  assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['sdk-latency'] }))).MetricAlarms![0]!.ActionsEnabled, true);
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['sdk-latency'] }));
  assert.deepEqual((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['sdk-latency'] }))).MetricAlarms, []);
  const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'sdk-latency' }));
  assert.deepEqual(history.AlarmHistoryItems?.map((h) => [h.HistoryItemType, h.HistorySummary]), [
    ['ConfigurationUpdate', 'Alarm "sdk-latency" deleted'], ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'], ['ConfigurationUpdate', 'Alarm "sdk-latency" created'],
  ]);
  assert.ok(history.AlarmHistoryItems![0]!.Timestamp instanceof Date);

  const fileOwned = await rejection(cw.send(new PutMetricAlarmCommand({ ...alarm, AlarmName: 'file-alarm' })));
  assert.equal(fileOwned.name, 'ResourceOwnedByFile');
  assert.match(fileOwned.message, /declared in the config file at .*shoal\.yaml:\d+/);
  const gone = await rejection(cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })));
  assert.deepEqual([gone.name, gone.$metadata.httpStatusCode], ['ResourceNotFound', 404]);
  const reserved = await rejection(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'x', Value: 1 }] })));
  assert.deepEqual([reserved.name, reserved.Code], ['InvalidParameterValueException', 'InvalidParameterValue']);
  const token = await rejection(cw.send(new DescribeAlarmsCommand({ NextToken: 'bogus' })));
  assert.equal(token.name, 'InvalidNextToken');
  const both = await rejection(cw.send(new GetMetricStatisticsCommand({ Namespace: 'Sdk', MetricName: 'Latency', StartTime: minutesAgo(5), EndTime: minutesAgo(0), Period: 60 })));
  assert.deepEqual([both.name, both.Code], ['InvalidParameterCombinationException', 'InvalidParameterCombination']);
});

test('AWS CLI v2 (Query): put-metric-data, get-metric-statistics, put-metric-alarm, describe-alarms, set-alarm-state, describe-alarm-history, delete-alarms', async () => {
  await awsCli(s.daemon, ['cloudwatch', 'put-metric-data', '--namespace', 'Cli', '--metric-name', 'Jobs', '--dimensions', 'Queue=main', '--value', '7', '--unit', 'Count', '--timestamp', minutesAgo(2).toISOString()]);
  await awsCli(s.daemon, ['cloudwatch', 'put-metric-data', '--namespace', 'Cli', '--metric-data', JSON.stringify([{ MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'main' }], Value: 3, Unit: 'Count', Timestamp: minutesAgo(2).toISOString() }])]);
  const stats = await awsCli(s.daemon, ['cloudwatch', 'get-metric-statistics', '--namespace', 'Cli', '--metric-name', 'Jobs', '--dimensions', 'Name=Queue,Value=main',
    '--start-time', minutesAgo(5).toISOString(), '--end-time', minutesAgo(0).toISOString(), '--period', '60', '--statistics', 'Sum', 'Average']);
  assert.deepEqual(stats.Datapoints.map((p: Record<string, unknown>) => [p.Sum, p.Average, p.Unit, Date.parse(p.Timestamp as string)]), [[10, 5, 'Count', minutesAgo(2).getTime()]]);
  // On a metric with no data, missing data ignored: only set-alarm-state moves it.
  await awsCli(s.daemon, ['cloudwatch', 'put-metric-alarm', '--alarm-name', 'cli-jobs', '--namespace', 'Cli', '--metric-name', 'Backlog', '--dimensions', 'Name=Queue,Value=main',
    '--statistic', 'Sum', '--period', '60', '--evaluation-periods', '1', '--threshold', '100', '--comparison-operator', 'GreaterThanThreshold', '--alarm-description', 'queue backlog',
    '--treat-missing-data', 'ignore']);
  const described = (await awsCli(s.daemon, ['cloudwatch', 'describe-alarms', '--alarm-names', 'cli-jobs'])).MetricAlarms;
  assert.deepEqual(described.map((x: Record<string, unknown>) => [x.AlarmName, x.AlarmDescription, x.Statistic, x.Threshold, x.Dimensions, x.StateValue]),
    [['cli-jobs', 'queue backlog', 'Sum', 100, [{ Name: 'Queue', Value: 'main' }], 'INSUFFICIENT_DATA']]);
  await awsCli(s.daemon, ['cloudwatch', 'set-alarm-state', '--alarm-name', 'cli-jobs', '--state-value', 'ALARM', '--state-reason', 'testing the pager']);
  const history = await awsCli(s.daemon, ['cloudwatch', 'describe-alarm-history', '--alarm-name', 'cli-jobs', '--history-item-type', 'StateUpdate']);
  assert.deepEqual(history.AlarmHistoryItems.map((h: Record<string, string>) => [h.AlarmName, h.HistorySummary, JSON.parse(h.HistoryData!).stateReason]),
    [['cli-jobs', 'Alarm updated from INSUFFICIENT_DATA to ALARM', 'testing the pager']]);
  assert.equal((await awsCli(s.daemon, ['cloudwatch', 'describe-alarms', '--alarm-names', 'cli-jobs'])).MetricAlarms[0].StateReason, 'testing the pager');
  assert.match(await awsCliError(s.daemon, ['cloudwatch', 'delete-alarms', '--alarm-names', 'cli-jobs', 'file-alarm']), /\(ResourceOwnedByFile\).*file-alarm/);
  assert.match(await awsCliError(s.daemon, ['cloudwatch', 'put-metric-alarm', '--alarm-name', 'cli-bad', '--namespace', 'Cli', '--metric-name', 'Jobs', '--statistic', 'Sum',
    '--period', '7', '--evaluation-periods', '1', '--threshold', '1', '--comparison-operator', 'GreaterThanThreshold']), /\(InvalidParameterValue\).*Period must be 1, 5, 10, 30 or a multiple of 60/);
  await awsCli(s.daemon, ['cloudwatch', 'delete-alarms', '--alarm-names', 'cli-jobs']);
  assert.deepEqual((await awsCli(s.daemon, ['cloudwatch', 'describe-alarms', '--alarm-name-prefix', 'cli-'])).MetricAlarms, []);
  assert.match(await awsCliError(s.daemon, ['cloudwatch', 'delete-alarms', '--alarm-names', 'cli-jobs']), /\(ResourceNotFound\)/);
});

/** put_metric_data, get_metric_statistics, put_metric_alarm, describe_alarms; the content type of each answer says the protocol spoken. */
const SCRIPT = `
import datetime, json, sys
import boto3, botocore
url, p, force = sys.argv[1], sys.argv[2], sys.argv[3]
if force:
    # botocore prefers JSON 1.0 among CloudWatch's protocols (cbor, json, query): put CBOR first to have its RPC v2 CBOR client speak.
    botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = (force,) + botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
c = boto3.client('cloudwatch', endpoint_url=url, region_name='eu-west-1', aws_access_key_id='test', aws_secret_access_key='test')
out = lambda k, v: print(json.dumps({k: v}, default=str))
types = set()
ct = lambda r: types.add(r['ResponseMetadata']['HTTPHeaders'].get('content-type'))
now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
at = now - datetime.timedelta(minutes=2)
ct(c.put_metric_data(Namespace=p, MetricData=[{'MetricName': 'Hits', 'Dimensions': [{'Name': 'Page', 'Value': '/'}], 'Value': v, 'Timestamp': at} for v in (1, 2, 3)]))
r = c.get_metric_statistics(Namespace=p, MetricName='Hits', Dimensions=[{'Name': 'Page', 'Value': '/'}], StartTime=now - datetime.timedelta(minutes=5), EndTime=now, Period=60, Statistics=['Sum', 'Maximum'])
ct(r)
out('stats', [[d['Sum'], d['Maximum'], d['Timestamp'] == at] for d in r['Datapoints']])
ct(c.put_metric_alarm(AlarmName=p + '-hits', Namespace=p, MetricName='Hits', Dimensions=[{'Name': 'Page', 'Value': '/'}], Statistic='Sum', Period=60, EvaluationPeriods=1, Threshold=10.0, ComparisonOperator='GreaterThanThreshold'))
r = c.describe_alarms(AlarmNamePrefix=p + '-')
ct(r)
out('alarms', [[a['AlarmName'], a['Threshold'], a['Statistic'], a['AlarmArn']] for a in r['MetricAlarms']])
try:
    c.describe_alarms(MaxRecords=1, NextToken='nope')
except botocore.exceptions.ClientError as e:
    out('error', [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']])
out('protocol', [getattr(c.meta.service_model, 'resolved_protocol', c.meta.service_model.protocol), sorted(types)])
`;

for (const [name, bin, prefix, force, protocol, contentType] of [
  ['boto3 (current, the machine Python)', 'python3', 'New', '', 'json', 'application/x-amz-json-1.0'],
  ['boto3 (current, the machine Python, its CBOR protocol put first)', 'python3', 'Cbor', 'smithy-rpc-v2-cbor', 'smithy-rpc-v2-cbor', 'application/cbor'],
  ["boto3 (Debian's python3-boto3)", '/usr/bin/python3', 'Deb', '', 'query', 'text/xml'],
] as const) {
  test(`${name}: put_metric_data, get_metric_statistics, put_metric_alarm, describe_alarms over ${protocol}`, async () => {
    const { stdout } = await run(bin, ['-c', SCRIPT, endpointUrl(s.daemon), prefix, force]);
    const r = Object.assign({}, ...stdout.trim().split('\n').map((l) => JSON.parse(l)));
    assert.deepEqual(r.stats, [[6, 3, true]]);
    assert.deepEqual(r.alarms, [[`${prefix}-hits`, 10, 'Sum', `arn:aws:cloudwatch:eu-west-1:000000000000:alarm:${prefix}-hits`]]);
    assert.deepEqual(r.error, ['InvalidNextToken', 400]);
    assert.deepEqual(r.protocol, [protocol, [contentType]], 'the protocol this boto3 spoke, as the daemon answered it');
  });
}

test('an alarm made with PutMetricAlarm on a group metric runs the step policy: ALARM raises the desired capacity, not with actions disabled', async () => {
  const asg = new AutoScalingClient(sdkConfig(s.daemon));
  const desired = async () => (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web'] }))).AutoScalingGroups![0]!.DesiredCapacity;
  const actions = async () => (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'web-load', HistoryItemType: 'Action' }))).AlarmHistoryItems!.map((h) => h.HistorySummary);
  const policyArn = (await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'web', PolicyNames: ['step-out'] }))).ScalingPolicies![0]!.PolicyARN!;
  const dims = [{ Name: 'AutoScalingGroupName', Value: 'web' }];
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'web-load', Namespace: 'WebApp', MetricName: 'Load', Dimensions: dims, Statistic: 'Average', Period: 1, EvaluationPeriods: 3, DatapointsToAlarm: 1,
    ComparisonOperator: 'GreaterThanThreshold', Threshold: 50, AlarmActions: [policyArn],
  }));
  assert.deepEqual((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['web-load'] }))).MetricAlarms![0]!.AlarmActions, [policyArn]);
  // The step policy reads the alarm's datapoints (the last three periods': a late datum leaves some): feed a load of 10, below the threshold, all along.
  let feeding = true;
  const feed = (async () => {
    while (feeding) {
      await cw.send(new PutMetricDataCommand({ Namespace: 'WebApp', MetricData: [{ MetricName: 'Load', Dimensions: dims, Value: 10 }] }));
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  try {
    await waitFor('the alarm evaluated to OK', async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['web-load'] }))).MetricAlarms![0]!.StateValue === 'OK');
    assert.equal(await desired(), 0);
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'web-load', StateValue: 'ALARM', StateReason: 'load drill' }));
    assert.equal(await desired(), 1, 'load 10 is 40 below the threshold: the step [-inf, 0) adds one');
    assert.equal((await actions()).length, 1);
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'web-load', StateValue: 'OK', StateReason: 'drill over' }));
    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['web-load'] }));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'web-load', StateValue: 'ALARM', StateReason: 'drill with actions off' }));
    assert.equal(await desired(), 1);
    assert.equal((await actions()).length, 1, 'the policy did not run');
  } finally {
    feeding = false;
    await feed;
  }
});
