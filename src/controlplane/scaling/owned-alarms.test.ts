import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TargetTrackingPolicy } from '../../model/scaling.js';
import { highRule, targetTrackingAlarms } from './owned-alarms.js';

describe('the alarms a target tracking policy owns', () => {
  const policy = (period: number, disableScaleIn = false): TargetTrackingPolicy => ({
    name: 'cpu50', enabled: true, policyType: 'TargetTrackingScaling',
    targetTrackingConfiguration: { targetValue: 50, predefinedMetricType: 'ASGAverageCPUUtilization', disableScaleIn, period },
  });
  const metric = { metric: { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [], statistic: 'Average' }, label: 'average CPU', unit: '%', source: () => [] };

  for (const [period, n] of [[60, 3], [120, 3], [30, 1], [10, 1], [5, 2], [1, 3]] as const) {
    it(`AlarmHigh with ${period} s periods: ${n} of ${n}`, () => assert.deepEqual(highRule(period), { evaluationPeriods: n, datapointsToAlarm: n }));
  }

  it('AlarmHigh above the target, AlarmLow below 90% of it for 15 of 15; no AlarmLow with disableScaleIn', () => {
    const [high, low] = targetTrackingAlarms('app', policy(10), metric);
    assert.deepEqual([high!.alarmName, high!.comparisonOperator, high!.threshold, high!.evaluationPeriods], ['TargetTracking-app-cpu50-AlarmHigh', 'GreaterThanThreshold', 50, 1]);
    assert.deepEqual([low!.alarmName, low!.comparisonOperator, low!.threshold, low!.evaluationPeriods, low!.datapointsToAlarm], ['TargetTracking-app-cpu50-AlarmLow', 'LessThanThreshold', 45, 15, 15]);
    assert.equal(targetTrackingAlarms('app', policy(60, true), metric).length, 1);
  });
});
