import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ManualClock, systemClock } from '../core/clock.js';
import { silentLogger } from '../core/log.js';
import type { AlarmAction } from '../model/scaling.js';
import { createMemoryStore } from '../store/index.js';
import { postWebhook, runCommand } from './notify.js';
import { AlarmService } from './service.js';
import { FakeMetrics } from './testing.js';
import type { AlarmDefinition, AlarmEvent } from './types.js';

const START = Date.UTC(2026, 10, 22, 1, 0, 0);
const DIMS = [{ name: 'AutoScalingGroupName', value: 'app' }];

function alarm(o: Partial<AlarmDefinition> = {}): AlarmDefinition {
  return {
    alarmName: 'cpu-high', owner: 'config', namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: DIMS, statistic: 'Average',
    period: 10, evaluationPeriods: 3, datapointsToAlarm: 3, comparisonOperator: 'GreaterThanThreshold', threshold: 50,
    treatMissingData: 'missing', actionsEnabled: true, alarmActions: [], okActions: [], insufficientDataActions: [], ...o,
  };
}

function setup(defs: AlarmDefinition[]) {
  const clock = new ManualClock(START);
  const store = createMemoryStore(clock);
  const metrics = new FakeMetrics();
  const events: { action: AlarmAction; e: AlarmEvent }[] = [];
  const svc = new AlarmService({ store, clock, log: silentLogger, metrics: () => metrics, actions: { invoke: (action, e) => void events.push({ action, e }) } });
  svc.sync(defs);
  /** Feeds one value per second for `seconds`, then ticks the service once per second. */
  const run = async (seconds: number, value: (t: number) => number | undefined) => {
    for (let i = 0; i < seconds; i++) {
      const v = value(clock.now());
      if (v !== undefined) metrics.add('AWS/EC2', 'CPUUtilization', DIMS, clock.now(), v);
      clock.advance(1000);
      await svc.tick();
    }
  };
  return { clock, store, metrics, svc, events, run };
}

describe('AlarmService', () => {
  it('starts in INSUFFICIENT_DATA, goes OK, to ALARM after 3 high periods and back to OK after one low one', async () => {
    const s = setup([alarm()]);
    assert.equal(s.svc.status('cpu-high')!.state, 'INSUFFICIENT_DATA');
    await s.run(40, () => 20);
    assert.equal(s.svc.status('cpu-high')!.state, 'OK');
    await s.run(20, () => 80);
    assert.equal(s.svc.status('cpu-high')!.state, 'OK', '2 of 3 high is not enough');
    await s.run(12, () => 80); // the third high period ends at 01:01:10 and is evaluated 2 s later
    assert.equal(s.svc.status('cpu-high')!.state, 'ALARM');
    assert.equal(s.svc.status('cpu-high')!.stateReason, 'Threshold Crossed: 3 out of the last 3 datapoints [80.0 (22/11/26 01:01:00), 80.0 (22/11/26 01:00:50), '
      + '80.0 (22/11/26 01:00:40)] were greater than the threshold (50.0) (minimum 3 datapoints for OK -> ALARM transition).');
    await s.run(10, () => 20);
    assert.equal(s.svc.status('cpu-high')!.state, 'OK');
    const summaries = s.svc.alarmHistory('cpu-high').map((h) => (h as { HistorySummary: string }).HistorySummary);
    assert.deepEqual(summaries, ['Alarm updated from ALARM to OK', 'Alarm updated from OK to ALARM', 'Alarm updated from INSUFFICIENT_DATA to OK']);
  });

  it('with missing data, a new alarm judges the datapoints it has (1 of 1 at first, as CloudWatch)', async () => {
    const s = setup([alarm()]);
    await s.run(12, () => 80);
    assert.equal(s.svc.status('cpu-high')!.state, 'ALARM');
    assert.equal(s.svc.status('cpu-high')!.stateReason, 'Threshold Crossed: 1 datapoint [80.0 (22/11/26 01:00:00)] was greater than the threshold (50.0).');
  });

  it('evaluates each period once, after it is complete', async () => {
    const s = setup([alarm({ evaluationPeriods: 1, datapointsToAlarm: 1 })]);
    await s.run(10, () => 80); // the first period (01:00:00-01:00:10) is complete at :10, evaluated after the lag
    assert.equal(s.svc.status('cpu-high')!.state, 'INSUFFICIENT_DATA');
    await s.run(2, () => 80);
    assert.equal(s.svc.status('cpu-high')!.state, 'ALARM');
    assert.equal(s.svc.status('cpu-high')!.lastEvaluatedEnd, START + 10_000);
  });

  it('runs notifications on changes only, scaling actions at every evaluation while in ALARM', async () => {
    const notify: AlarmAction = { type: 'command', command: 'true' };
    const policy: AlarmAction = { type: 'scalingPolicy', autoScalingGroup: 'app', policy: 'up' };
    const s = setup([alarm({ alarmActions: [notify, policy] })]);
    await s.run(63, () => 80);
    const kinds = s.events.map((x) => `${x.action.type}${x.e.changed ? '!' : ''}`);
    // evaluations at :12, :22, ... :62: the change runs both, the five after it re-run the policy only
    assert.deepEqual(kinds, ['command!', 'scalingPolicy!', 'scalingPolicy', 'scalingPolicy', 'scalingPolicy', 'scalingPolicy', 'scalingPolicy']);
  });

  it('percentile statistics and custom sources', async () => {
    const s = setup([alarm({ statistic: 'p90', evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 85 })]);
    await s.run(12, (t) => ((t - START) / 1000 === 9 ? 99 : 10)); // one slow second in ten: p90 of 10 values is the 9th
    assert.equal(s.svc.status('cpu-high')!.state, 'OK');
    const src = setup([alarm({ source: () => [{ timestamp: START, value: 90, sampleCount: 1 }], evaluationPeriods: 1, datapointsToAlarm: 1 })]);
    await src.run(12, () => undefined);
    assert.equal(src.svc.status('cpu-high')!.state, 'ALARM');
  });

  it('set-alarm-state moves the state until the next evaluation, and runs actions', async () => {
    const s = setup([alarm({ alarmActions: [{ type: 'scalingPolicy', autoScalingGroup: 'app', policy: 'up' }] })]);
    await s.svc.setAlarmState('cpu-high', 'ALARM', 'testing');
    assert.equal(s.svc.status('cpu-high')!.state, 'ALARM');
    assert.equal(s.events.length, 1);
    await s.run(33, () => 10);
    assert.equal(s.svc.status('cpu-high')!.state, 'OK');
  });

  it('set-alarm-state keeps its reason data, replacing what an evaluation left', async () => {
    const s = setup([alarm({ evaluationPeriods: 1, datapointsToAlarm: 1 })]);
    await s.run(12, () => 80);
    assert.equal((s.svc.status('cpu-high')!.stateReasonData as { threshold: number }).threshold, 50);
    await s.svc.setAlarmState('cpu-high', 'OK', 'drill', { drill: true });
    assert.deepEqual(s.svc.status('cpu-high')!.stateReasonData, { drill: true });
    await s.svc.setAlarmState('cpu-high', 'ALARM', 'drill again');
    assert.equal(s.svc.status('cpu-high')!.stateReasonData, undefined, 'no data given: none kept');
  });

  it('disabled actions (the runtime switch) run nothing, on changes or while in ALARM; undefined hands back to the spec', async () => {
    const policy: AlarmAction = { type: 'scalingPolicy', autoScalingGroup: 'app', policy: 'up' };
    const s = setup([alarm({ evaluationPeriods: 1, datapointsToAlarm: 1, alarmActions: [policy] })]);
    s.svc.setActionsEnabled('cpu-high', false);
    await s.run(32, () => 80);
    assert.equal(s.svc.status('cpu-high')!.state, 'ALARM');
    assert.equal(s.events.length, 0);
    assert.equal(s.svc.describe(['cpu-high'])[0]!.ActionsEnabled, false);
    s.svc.setActionsEnabled('cpu-high', undefined);
    assert.equal(s.svc.status('cpu-high')!.actionsEnabled, undefined);
    await s.run(10, () => 80);
    assert.deepEqual(s.events.map((x) => x.e.changed), [false], 'the spec enables them again: the next evaluation in ALARM re-runs the policy');
    const off = setup([alarm({ actionsEnabled: false, alarmActions: [policy] })]);
    off.svc.setActionsEnabled('cpu-high', true);
    await off.svc.setAlarmState('cpu-high', 'ALARM', 'drill');
    assert.equal(off.events.length, 1, 'the switch also enables what the spec disables');
    assert.throws(() => s.svc.setActionsEnabled('nope', false), /Alarm nope not found/);
  });

  it('configuration updates land in the history, which outlives the alarm', async () => {
    const s = setup([alarm(), alarm({ alarmName: 'other' })]);
    s.svc.recordConfigurationUpdate('cpu-high', 'Alarm "cpu-high" created', { type: 'Create' });
    await s.svc.setAlarmState('cpu-high', 'ALARM', 'drill');
    s.svc.sync([alarm({ alarmName: 'other' })]);
    assert.equal(s.svc.status('cpu-high'), undefined);
    assert.deepEqual(s.svc.historyNames(), ['cpu-high']);
    const h = s.svc.alarmHistory('cpu-high');
    assert.deepEqual(h.map((x) => [x.HistoryItemType, x.HistorySummary]), [['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'], ['ConfigurationUpdate', 'Alarm "cpu-high" created']]);
    assert.deepEqual(JSON.parse(h[1]!.HistoryData), { version: '1.0', type: 'Create' });
  });
});

describe('AlarmService: a growing statistic alarms before its period ends', () => {
  const LB = [{ name: 'LoadBalancer', value: 'app/web/0123456789abcdef' }];
  const requests = (o: Partial<AlarmDefinition> = {}) => alarm({
    alarmName: 'busy', namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: LB, statistic: 'Sum',
    evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 100, ...o,
  });
  /** `n` values of the alarm's metric in each of the next `seconds` seconds, ticking once a second. */
  async function feed(s: ReturnType<typeof setup>, def: AlarmDefinition, seconds: number, n: number) {
    for (let i = 0; i < seconds; i++) {
      s.metrics.add(def.namespace, def.metricName, def.dimensions, s.clock.now(), n);
      s.clock.advance(1000);
      await s.svc.tick();
    }
  }

  it('a request Sum past the threshold 3 s into its period alarms then; OK still waits for a complete period', async () => {
    const def = requests({ alarmActions: [{ type: 'scalingPolicy', autoScalingGroup: 'app', policy: 'up' }] });
    const s = setup([def]);
    await feed(s, def, 2, 40);
    assert.equal(s.svc.status('busy')!.state, 'INSUFFICIENT_DATA', '80 requests so far');
    await feed(s, def, 1, 40);
    const st = s.svc.status('busy')!;
    assert.equal(st.state, 'ALARM', '120 requests 3 s into the period: the period cannot end below 100');
    assert.equal(st.stateReason, 'Threshold Crossed: 1 datapoint [120.0 (22/11/26 01:00:00)] was greater than the threshold (100.0). '
      + 'The period from 22/11/26 01:00:00 is still filling; its Sum can only grow.');
    assert.equal(st.lastEvaluatedEnd, START, 'the filling period is evaluated again once complete');
    assert.deepEqual(s.events.map((x) => x.e.changed), [true]);
    await feed(s, def, 9, 5); // 01:00:03-:12: the first period completes at 155 requests and is evaluated at :12
    assert.equal(s.svc.status('busy')!.state, 'ALARM');
    assert.equal(s.svc.status('busy')!.lastEvaluatedEnd, START + 10_000);
    assert.deepEqual(s.events.map((x) => x.e.changed), [true, false], 'the complete period re-runs the scaling action');
    await feed(s, def, 9, 5); // the second period: 50 requests, OK only when it is complete (at :22)
    assert.equal(s.svc.status('busy')!.state, 'ALARM');
    await feed(s, def, 1, 5);
    assert.equal(s.svc.status('busy')!.state, 'OK');
  });

  it('never for an Average, nor for a Sum that PutMetricData could make shrink', async () => {
    const avg = alarm({ evaluationPeriods: 1, datapointsToAlarm: 1 });
    const custom = requests({ alarmName: 'custom', namespace: 'MyApp' });
    const s = setup([avg, custom]);
    for (let i = 0; i < 11; i++) {
      s.metrics.add(avg.namespace, avg.metricName, avg.dimensions, s.clock.now(), 90);
      s.metrics.add(custom.namespace, custom.metricName, custom.dimensions, s.clock.now(), 40);
      s.clock.advance(1000);
      await s.svc.tick();
    }
    assert.deepEqual([s.svc.status('cpu-high')!.state, s.svc.status('custom')!.state], ['INSUFFICIENT_DATA', 'INSUFFICIENT_DATA'], 'both wait for :10 + the lag');
    s.clock.advance(1000);
    await s.svc.tick();
    assert.deepEqual([s.svc.status('cpu-high')!.state, s.svc.status('custom')!.state], ['ALARM', 'ALARM']);
  });
});

describe('notifications', () => {
  const event = (): AlarmEvent => ({ alarm: alarm(), state: 'ALARM', previous: 'OK', changed: true, reason: 'Threshold Crossed: x', evaluated: [], at: START });

  it('a command gets the alarm in its environment', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'shoal-alarm-')), 'out');
    await runCommand(`printf '%s|%s|%s' "$ALARM_NAME" "$NEW_STATE" "$REASON" > ${out}`, event(), { clock: systemClock });
    assert.equal(readFileSync(out, 'utf8'), 'cpu-high|ALARM|Threshold Crossed: x');
    await assert.rejects(runCommand('exit 3', event(), { clock: systemClock }), /exited with 3/);
  });

  it('a webhook gets an SNS-style notification (loopback)', async () => {
    let got: Record<string, string> | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => { got = JSON.parse(Buffer.concat(chunks).toString('utf8')); res.end('ok'); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      await postWebhook(`http://127.0.0.1:${port}/hook`, event(), { clock: systemClock, messageId: 'm-1' });
      assert.equal(got!.Type, 'Notification');
      assert.equal(got!.Subject, 'ALARM: "cpu-high" in local-1');
      const msg = JSON.parse(got!.Message!) as Record<string, unknown>;
      assert.equal(msg.NewStateValue, 'ALARM');
      assert.equal(msg.OldStateValue, 'OK');
    } finally {
      server.close();
    }
  });
});
