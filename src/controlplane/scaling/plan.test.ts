import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScalingPolicy, StepAdjustment } from '../../model/scaling.js';
import { adjust, roundPercentChange, selectStep, targetTracking, type TargetInput } from './arithmetic.js';
import { planPolicy } from './plan.js';
import type { GroupView, Trigger } from './types.js';

const NOW = Date.UTC(2026, 10, 22, 1, 2, 0);
const sized = (desiredCapacity: number, minSize = 1, maxSize = 10) => ({ minSize, maxSize, desiredCapacity });

describe('target tracking arithmetic', () => {
  const base: TargetInput = { group: sized(2), warmed: 2, warming: 0, metric: 83, target: 50, direction: 'out', disableScaleIn: false };
  const cases: { name: string; i: Partial<TargetInput>; capacity: number; held?: RegExp; why?: RegExp }[] = [
    { name: 'scale out proportionally: ceil(2 × 83 / 50) = 4', i: {}, capacity: 4, why: /^ceil\(2 × 83\.0 \/ 50\) = 4$/ },
    { name: 'just above the target still adds one', i: { metric: 51 }, capacity: 3 },
    { name: 'capped at the max size', i: { metric: 400, group: sized(2, 1, 5) }, capacity: 5, why: /= 16, capped at the max size 5/ },
    { name: 'warming instances are not counted: 2 warmed at 83% need 4, desired 4 already', i: { group: sized(4), warming: 2 }, capacity: 4, why: /already 4 \(2 instances still warming up\)/ },
    { name: 'warming instances: a bigger need still adds the difference', i: { group: sized(3), warming: 1, metric: 120 }, capacity: 5 },
    { name: 'no warmed instance: held', i: { warmed: 0, warming: 2 }, capacity: 2, held: /2 instances still warming up/ },
    { name: 'scale in to the low threshold: ceil(4 × 20 / 45) = 2', i: { direction: 'in', group: sized(4), warmed: 4, metric: 20 }, capacity: 2, why: /ceil\(4 × 20\.0 \/ 45\) = 2/ },
    { name: 'scale in never below min', i: { direction: 'in', group: sized(4, 3), warmed: 4, metric: 1 }, capacity: 3, why: /raised to the min size 3/ },
    { name: 'scale in that would land above the low threshold keeps capacity', i: { direction: 'in', group: sized(3), warmed: 3, metric: 33 }, capacity: 3 },
    { name: 'disableScaleIn holds', i: { direction: 'in', group: sized(4), warmed: 4, metric: 10, disableScaleIn: true }, capacity: 4, held: /disableScaleIn/ },
    { name: 'warmup holds scale-in', i: { direction: 'in', group: sized(4), warmed: 3, warming: 1, metric: 10 }, capacity: 4, held: /1 instance still warming up: scale-in waits/ },
    { name: 'with the group total: ceil(166 / 50) = 4', i: { total: 166 }, capacity: 4, why: /^ceil\(166\.0 \/ 50\) = 4$/ },
    { name: 'the total, not warmed × metric: 120 in all needs 3 (a per-instance mean of 83 over 2 would say 4)', i: { total: 120 }, capacity: 3 },
    { name: 'a total needs no warmed instance (load measured at the load balancer)', i: { warmed: 0, warming: 1, group: sized(1), total: 1800, target: 600 }, capacity: 3 },
    { name: 'scale in on the total: ceil(60 / 45) = 2', i: { direction: 'in', group: sized(4), warmed: 4, metric: 15, total: 60 }, capacity: 2, why: /ceil\(60\.0 \/ 45\) = 2/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = targetTracking({ ...base, ...c.i });
      assert.equal(r.capacity, c.capacity);
      if (c.held) assert.match(r.held ?? '', c.held);
      else assert.equal(r.held, undefined);
      if (c.why) assert.match(r.why, c.why);
    });
  }
});

describe('adjustments', () => {
  const cases: { name: string; type: 'ChangeInCapacity' | 'ExactCapacity' | 'PercentChangeInCapacity'; adj: number; desired: number; mam?: number; want: number }[] = [
    { name: 'ChangeInCapacity +2', type: 'ChangeInCapacity', adj: 2, desired: 3, want: 5 },
    { name: 'ChangeInCapacity -5 stops at min', type: 'ChangeInCapacity', adj: -5, desired: 3, want: 1 },
    { name: 'ExactCapacity', type: 'ExactCapacity', adj: 7, desired: 3, want: 7 },
    { name: 'ExactCapacity above max', type: 'ExactCapacity', adj: 70, desired: 3, want: 10 },
    { name: 'PercentChange 50% of 5 = 2.5 rounds down to 2', type: 'PercentChangeInCapacity', adj: 50, desired: 5, want: 7 },
    { name: 'PercentChange 10% of 3 = 0.3 becomes 1', type: 'PercentChangeInCapacity', adj: 10, desired: 3, want: 4 },
    { name: 'PercentChange -10% of 3 becomes -1', type: 'PercentChangeInCapacity', adj: -10, desired: 3, want: 2 },
    { name: 'PercentChange -67% of 9 = -6.03 rounds up to -6', type: 'PercentChangeInCapacity', adj: -67, desired: 9, want: 3 },
    { name: 'PercentChange with minAdjustmentMagnitude 2', type: 'PercentChangeInCapacity', adj: 10, desired: 3, mam: 2, want: 5 },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(adjust({ group: sized(c.desired), adjustmentType: c.type, adjustment: c.adj, minAdjustmentMagnitude: c.mam }).capacity, c.want));
  }
  it('rounds percent changes as AWS', () => assert.deepEqual([12.7, 0.2, -0.2, -6.67, 0].map(roundPercentChange), [12, 1, -1, -6, 0]));
});

describe('step selection (bounds relative to the threshold)', () => {
  const up: StepAdjustment[] = [
    { metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 1 },
    { metricIntervalLowerBound: 10, metricIntervalUpperBound: 20, scalingAdjustment: 2 },
    { metricIntervalLowerBound: 20, scalingAdjustment: 3 },
  ];
  const down: StepAdjustment[] = [
    { metricIntervalUpperBound: -10, scalingAdjustment: -2 },
    { metricIntervalLowerBound: -10, metricIntervalUpperBound: 0, scalingAdjustment: -1 },
  ];
  const cases: [string, StepAdjustment[], number, number | undefined][] = [
    ['0 above: lower bound inclusive', up, 0, 1], ['9.9 above', up, 9.9, 1], ['10 above: upper bound exclusive', up, 10, 2],
    ['25 above: open upper bound', up, 25, 3], ['below the threshold: nothing in the scale-out steps', up, -1, undefined],
    ['-10 below: upper bound inclusive below', down, -10, -2], ['-3 below', down, -3, -1], ['0: lower bounds exclusive below, but 0 is "above"', down, 0, undefined],
  ];
  for (const [name, steps, diff, want] of cases) it(name, () => assert.equal(selectStep(steps, diff)?.scalingAdjustment, want));
});

describe('planPolicy', () => {
  const group = (o: Partial<GroupView> = {}): GroupView => ({ name: 'app', ...sized(2), warmed: 2, warming: 0, alarmsSuspended: false, ...o });
  const alarm = (values: number[], o: Partial<Extract<Trigger, { kind: 'alarm' }>> = {}): Trigger => ({
    kind: 'alarm', alarmName: 'TargetTracking-app-cpu50-AlarmHigh', state: 'ALARM', threshold: 50, metricLabel: 'average CPU', unit: '%', role: 'high',
    evaluated: values.map((value, i) => ({ timestamp: NOW - (i + 1) * 10_000, value, breaching: true })), ...o,
  });
  const tt: ScalingPolicy = { name: 'cpu50', enabled: true, policyType: 'TargetTrackingScaling', targetTrackingConfiguration: { targetValue: 50, predefinedMetricType: 'ASGAverageCPUUtilization', disableScaleIn: false, period: 10 } };
  const stepPolicy: ScalingPolicy = { name: 'steps', enabled: true, policyType: 'StepScaling', adjustmentType: 'ChangeInCapacity', metricAggregationType: 'Average',
    stepAdjustments: [{ metricIntervalLowerBound: 0, metricIntervalUpperBound: 20, scalingAdjustment: 1 }, { metricIntervalLowerBound: 20, scalingAdjustment: 3 }] };
  const simple: ScalingPolicy = { name: 'add1', enabled: true, policyType: 'SimpleScaling', adjustmentType: 'ChangeInCapacity', scalingAdjustment: 1 };
  const noCooldown = { inProgress: false };

  it('explains a target tracking scale-out in AWS words with the numbers', () => {
    const d = planPolicy({ policy: tt, cooldownSeconds: 300 }, { group: group(), trigger: alarm([83, 84, 82]), cooldown: noCooldown }, NOW);
    assert.equal(d.kind, 'scale');
    assert.equal(d.to, 4);
    assert.equal(d.cause, 'At 2026-11-22T01:02:00Z a monitor alarm TargetTracking-app-cpu50-AlarmHigh in state ALARM triggered policy cpu50 changing the desired capacity from 2 to 4: '
      + 'average CPU 83.0% over 3 datapoints vs target 50%; ceil(2 × 83.0 / 50) = 4.');
  });

  it('sizes the group on its total load, so a datapoint read before a scale-out weighs the same as one read after', () => {
    // 1 instance at 120%-worth of load, then 2 sharing it at 60%: 120% in all throughout
    const trigger = alarm([60, 60, 120]);
    if (trigger.kind === 'alarm') trigger.evaluated.forEach((x) => { x.total = 120; });
    const d = planPolicy({ policy: tt, cooldownSeconds: 300 }, { group: group(), trigger, cooldown: noCooldown }, NOW);
    assert.equal(d.to, 3, 'ceil(120 / 50) = 3, where ceil(2 × 80 / 50) would overshoot to 4');
    assert.match(d.cause, /changing the desired capacity from 2 to 3: average CPU 80\.0% \(120\.0% for the whole group\) over 3 datapoints vs target 50%; ceil\(120\.0 \/ 50\) = 3\.$/);
  });

  it('scales out on request load while every instance is still warming up', () => {
    const rc: ScalingPolicy = { ...tt, name: 'rc', targetTrackingConfiguration: { targetValue: 600, predefinedMetricType: 'ALBRequestCountPerTarget', disableScaleIn: false, period: 10 } };
    const trigger = alarm([1800], { metricLabel: 'requests per target', unit: '/min', threshold: 600 });
    const warming = group({ desiredCapacity: 1, warmed: 0, warming: 1 });
    assert.equal(planPolicy({ policy: rc, cooldownSeconds: 300 }, { group: warming, trigger, cooldown: noCooldown }, NOW).kind, 'held', 'without a total: nothing measured to scale on');
    if (trigger.kind === 'alarm') trigger.evaluated[0]!.total = 1800;
    const d = planPolicy({ policy: rc, cooldownSeconds: 300 }, { group: warming, trigger, cooldown: noCooldown }, NOW);
    assert.deepEqual([d.kind, d.to], ['scale', 3]);
  });

  it('holds scale-in while instances warm up, and says so', () => {
    const d = planPolicy({ policy: tt, cooldownSeconds: 300 }, { group: group({ desiredCapacity: 4, warmed: 2, warming: 2 }), trigger: alarm([10], { role: 'low', threshold: 45 }), cooldown: noCooldown }, NOW);
    assert.equal(d.kind, 'held');
    assert.match(d.cause, /which held the desired capacity at 4: 2 instances still warming up: scale-in waits for them; average CPU 10\.0% over 1 datapoint vs target 50%/);
  });

  it('step scaling picks the step by distance from the threshold, and counts warming instances as added', () => {
    const fresh = planPolicy({ policy: stepPolicy, cooldownSeconds: 300 }, { group: group(), trigger: alarm([75, 80, 70]), cooldown: noCooldown }, NOW);
    assert.equal(fresh.to, 5);
    assert.match(fresh.cause, /average CPU 75\.0% \(Average of 3 datapoints\), 25\.0 above the threshold 50: step \[20, \+∞\) → \+3; 2 \+ 3 = 5\.$/);
    const warming = planPolicy({ policy: stepPolicy, cooldownSeconds: 300 }, { group: group({ desiredCapacity: 3, warmed: 2, warming: 1 }), trigger: alarm([60]), cooldown: noCooldown }, NOW);
    assert.equal(warming.kind, 'none');
    assert.match(warming.cause, /already covered by 1 instance warming up/);
  });

  it('simple scaling waits for its activity, then its cooldown', () => {
    const p = { policy: simple, cooldownSeconds: 300 };
    assert.match(planPolicy(p, { group: group(), trigger: alarm([90]), cooldown: { inProgress: true } }, NOW).cause, /held the desired capacity at 2: the previous scaling activity has not completed/);
    const cool = planPolicy(p, { group: group(), trigger: alarm([90]), cooldown: { inProgress: false, until: NOW + 60_000 } }, NOW);
    assert.match(cool.cause, /held the desired capacity at 2: cooldown until 2026-11-22T01:03:00Z/);
    const go = planPolicy(p, { group: group(), trigger: alarm([90]), cooldown: { inProgress: false, until: NOW - 1 } }, NOW);
    assert.deepEqual([go.kind, go.to, go.cooldownSeconds], ['scale', 3, 300]);
    const user = planPolicy(p, { group: group(), trigger: { kind: 'user', honorCooldown: false }, cooldown: { inProgress: false, until: NOW + 60_000 } }, NOW);
    assert.equal(user.cause, 'At 2026-11-22T01:02:00Z a user request executed policy add1 changing the desired capacity from 2 to 3: ChangeInCapacity +1; 2 + 1 = 3.');
  });

  it('does nothing when disabled or when AlarmNotification is suspended', () => {
    assert.equal(planPolicy({ policy: { ...tt, enabled: false }, cooldownSeconds: 0 }, { group: group(), trigger: alarm([90]), cooldown: noCooldown }, NOW).kind, 'none');
    assert.match(planPolicy({ policy: tt, cooldownSeconds: 0 }, { group: group({ alarmsSuspended: true }), trigger: alarm([90]), cooldown: noCooldown }, NOW).summary, /AlarmNotification/);
  });
});
