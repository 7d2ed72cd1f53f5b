/**
 * Bad scaling policies, scheduled actions and alarms: each fails at its
 * file:line:column and field path, saying what is allowed (errors.test.ts style).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, type ConfigIssue } from './errors.js';
import { parseConfig } from './load.js';

/** One group "g" (line 3); `extra` is indented YAML under the group, starting at line 8. */
function asg(extra: string, tail = ''): string {
  return `launchTemplates: [{ name: tmpl, versions: [{ imageId: ./a }] }]
autoScalingGroups:
  - name: g
    launchTemplate: { name: tmpl }
    minSize: 1
    maxSize: 3
    availabilityZones: [zone-a]
${extra}${tail}`;
}
const policy = (p: string) => asg(`    scalingPolicies:\n      - ${p}\n`);
const scheduled = (a: string) => asg(`    scheduledActions:\n      - ${a}\n`);
const ALARM = 'alarmName: hi, namespace: AWS/EC2, metricName: CPUUtilization, statistic: Average, evaluationPeriods: 3, comparisonOperator: GreaterThanThreshold, threshold: 50';
const alarm = (a: string) => asg(`    scalingPolicies: [{ name: up, adjustmentType: ChangeInCapacity, scalingAdjustment: 1 }]\n`, `alarms:\n  - { ${a} }\n`);

interface Case { name: string; yaml: string; at: string; path: string; message: string }
const P = 'autoScalingGroups[0].scalingPolicies[0]';
const S = 'autoScalingGroups[0].scheduledActions[0]';

const cases: Case[] = [
  { name: 'target tracking without a configuration', yaml: policy('{ name: p, policyType: TargetTrackingScaling }'), at: '9:9', path: `${P}.targetTrackingConfiguration`, message: 'missing required field "targetTrackingConfiguration"; it is needed by TargetTrackingScaling policies' },
  { name: 'target value 0', yaml: policy('{ name: p, policyType: TargetTrackingScaling, targetTrackingConfiguration: { predefinedMetricType: ASGAverageCPUUtilization, targetValue: 0 } }'), at: '9:147', path: `${P}.targetTrackingConfiguration.targetValue`, message: 'must be a number greater than 0 (got 0)' },
  { name: 'predefined metric typo', yaml: policy('{ name: p, policyType: TargetTrackingScaling, targetTrackingConfiguration: { predefinedMetricType: ASGAverageCPU, targetValue: 50 } }'), at: '9:108', path: `${P}.targetTrackingConfiguration.predefinedMetricType`, message: 'did you mean "ASGAverageCPUUtilization"?' },
  { name: 'both predefined and customized', yaml: policy('{ name: p, policyType: TargetTrackingScaling, targetTrackingConfiguration: { targetValue: 5 } }'), at: '9:84', path: `${P}.targetTrackingConfiguration`, message: 'needs exactly one of predefinedMetricType' },
  { name: 'alarm period 15 s', yaml: policy('{ name: p, policyType: TargetTrackingScaling, targetTrackingConfiguration: { predefinedMetricType: ASGAverageCPUUtilization, targetValue: 50, period: 15 } }'), at: '9:159', path: `${P}.targetTrackingConfiguration.period`, message: 'must be 1, 5, 10, 30 or a multiple of 60 (seconds) (got 15)' },
  { name: 'a step field on a target tracking policy', yaml: policy('{ name: p, policyType: TargetTrackingScaling, cooldown: 60, targetTrackingConfiguration: { predefinedMetricType: ASGAverageCPUUtilization, targetValue: 50 } }'), at: '9:55', path: `${P}.cooldown`, message: 'is only for SimpleScaling policies (this one is TargetTrackingScaling)' },
  { name: 'simple scaling without an adjustment', yaml: policy('{ name: p, adjustmentType: ChangeInCapacity }'), at: '9:9', path: `${P}.scalingAdjustment`, message: 'missing required field "scalingAdjustment"; it is needed by SimpleScaling policies' },
  { name: 'adjustment type typo', yaml: policy('{ name: p, adjustmentType: ChangeCapacity, scalingAdjustment: 1 }'), at: '9:36', path: `${P}.adjustmentType`, message: 'did you mean "ChangeInCapacity"?' },
  { name: 'minAdjustmentMagnitude without percent', yaml: policy('{ name: p, adjustmentType: ChangeInCapacity, scalingAdjustment: 1, minAdjustmentMagnitude: 2 }'), at: '9:76', path: `${P}.minAdjustmentMagnitude`, message: 'is only for adjustmentType PercentChangeInCapacity' },
  { name: 'ExactCapacity below 0', yaml: policy('{ name: p, adjustmentType: ExactCapacity, scalingAdjustment: -1 }'), at: '9:70', path: `${P}.scalingAdjustment`, message: 'must be ≥ 0 with ExactCapacity (got -1)' },
  { name: 'step scaling without steps', yaml: policy('{ name: p, policyType: StepScaling, adjustmentType: ChangeInCapacity }'), at: '9:9', path: `${P}.stepAdjustments`, message: 'missing required field "stepAdjustments"' },
  {
    name: 'overlapping steps', at: '9:182', path: `${P}.stepAdjustments[1]`, message: 'overlaps stepAdjustments[0] (20 vs 10): steps must not overlap or leave gaps',
    yaml: policy('{ name: p, policyType: StepScaling, adjustmentType: ChangeInCapacity, stepAdjustments: [{ metricIntervalLowerBound: 0, metricIntervalUpperBound: 20, scalingAdjustment: 1 }, { metricIntervalLowerBound: 10, scalingAdjustment: 2 }] }'),
  },
  {
    name: 'a gap between steps', at: '9:182', path: `${P}.stepAdjustments[1]`, message: 'leaves a gap after stepAdjustments[0]',
    yaml: policy('{ name: p, policyType: StepScaling, adjustmentType: ChangeInCapacity, stepAdjustments: [{ metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 1 }, { metricIntervalLowerBound: 20, scalingAdjustment: 2 }] }'),
  },
  { name: 'bad aggregation type', yaml: policy('{ name: p, policyType: StepScaling, adjustmentType: ChangeInCapacity, metricAggregationType: Avg, stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }] }'), at: '9:102', path: `${P}.metricAggregationType`, message: 'must be one of Average, Minimum, Maximum' },
  { name: 'PredictiveScaling is refused', yaml: policy('{ name: p, policyType: PredictiveScaling }'), at: '9:32', path: `${P}.policyType`, message: 'must be one of SimpleScaling, StepScaling, TargetTrackingScaling' },
  { name: 'defaultInstanceWarmup range', yaml: asg('    defaultInstanceWarmup: -5\n'), at: '8:28', path: 'autoScalingGroups[0].defaultInstanceWarmup', message: 'must be an integer from 0 to 3600 (got -5)' },

  { name: 'scheduled action with nothing to set', yaml: scheduled('{ scheduledActionName: a, recurrence: "0 9 * * *" }'), at: '9:9', path: S, message: 'needs at least one of minSize, maxSize and desiredCapacity' },
  { name: 'bad cron', yaml: scheduled('{ scheduledActionName: a, recurrence: "0 25 * * *", desiredCapacity: 2 }'), at: '9:47', path: `${S}.recurrence`, message: 'is not a valid cron expression: "25" is not a value from 0 to 23' },
  { name: 'unknown time zone', yaml: scheduled('{ scheduledActionName: a, recurrence: "0 9 * * *", timeZone: Mars/Olympus, desiredCapacity: 2 }'), at: '9:70', path: `${S}.timeZone`, message: 'must be an IANA time zone' },
  { name: 'start time not ISO', yaml: scheduled('{ scheduledActionName: a, startTime: tomorrow, desiredCapacity: 2 }'), at: '9:46', path: `${S}.startTime`, message: 'must be a time in ISO 8601 UTC' },
  { name: 'end before start', yaml: scheduled('{ scheduledActionName: a, recurrence: "0 9 * * *", startTime: "2026-12-01T00:00:00Z", endTime: "2026-11-01T00:00:00Z", desiredCapacity: 2 }'), at: '9:104', path: `${S}.endTime`, message: 'must be after startTime' },
  { name: 'desired outside its own min/max', yaml: scheduled('{ scheduledActionName: a, startTime: "2026-12-01T00:00:00Z", minSize: 2, maxSize: 4, desiredCapacity: 5 }'), at: '9:111', path: `${S}.desiredCapacity`, message: 'must be from minSize to maxSize (got 5)' },
  { name: 'duplicate scheduled action names', yaml: asg('    scheduledActions:\n      - { scheduledActionName: a, startTime: "2026-12-01T00:00:00Z", desiredCapacity: 1 }\n      - { scheduledActionName: a, startTime: "2026-12-02T00:00:00Z", desiredCapacity: 1 }\n'), at: '10:32', path: 'autoScalingGroups[0].scheduledActions[1].scheduledActionName', message: 'scheduled action "a" is already defined at scheduledActions[0]' },

  { name: 'alarm without statistic', yaml: alarm(ALARM.replace(', statistic: Average', '')), at: '10:5', path: 'alarms[0]', message: 'needs exactly one of statistic' },
  { name: 'alarm percentile spelled wrong', yaml: alarm(ALARM.replace('statistic: Average', 'extendedStatistic: p999')), at: '10:89', path: 'alarms[0].extendedStatistic', message: 'must be a percentile p0 to p100' },
  { name: 'alarm datapoints above periods', yaml: alarm(`${ALARM}, datapointsToAlarm: 4`), at: '10:188', path: 'alarms[0].datapointsToAlarm', message: 'must not be greater than evaluationPeriods (4 > 3)' },
  { name: 'alarm operator typo', yaml: alarm(ALARM.replace('GreaterThanThreshold', 'GreaterThan')), at: '10:132', path: 'alarms[0].comparisonOperator', message: 'did you mean "GreaterThanThreshold"?' },
  { name: 'alarm treatMissingData', yaml: alarm(`${ALARM}, treatMissingData: zero`), at: '10:187', path: 'alarms[0].treatMissingData', message: 'must be one of missing, ignore, breaching, notBreaching' },
  { name: 'alarm too long to evaluate', yaml: alarm(`${ALARM.replace('evaluationPeriods: 3', 'evaluationPeriods: 9000')}, period: 10, datapointsToAlarm: 1`), at: '10:109', path: 'alarms[0].evaluationPeriods', message: '× period must be at most 86400 s' },
  { name: 'alarm action shape', yaml: alarm(`${ALARM}, alarmActions: [{ sns: topic }]`), at: '10:184', path: 'alarms[0].alarmActions[0]', message: 'must be { autoScalingGroup, policy }, { command }, { webhook: URL }' },
  { name: 'alarm action names a missing policy', yaml: alarm(`${ALARM}, alarmActions: [{ autoScalingGroup: g, policy: upp }]`), at: '10:184', path: 'alarms[0].alarmActions[0]', message: 'scaling policy "upp" is not defined in group g (did you mean "up"?)' },
  { name: 'alarm action names a missing group (ARN form)', yaml: alarm(`${ALARM}, alarmActions: ["arn:aws:autoscaling:local-1:000000000000:scalingPolicy:x:autoScalingGroupName/h:policyName/up"]`), at: '10:184', path: 'alarms[0].alarmActions[0]', message: 'Auto Scaling group "h" is not defined' },
  { name: 'duplicate alarm names', yaml: `${alarm(ALARM)}  - { ${ALARM} }\n`, at: '11:18', path: 'alarms[1].alarmName', message: 'alarm "hi" is already defined at alarms[0]' },
];

function issuesOf(yaml: string): ConfigIssue[] {
  try {
    parseConfig(yaml, 'shoal.yaml');
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.issues;
  }
  assert.fail('expected the config to be rejected');
}

describe('scaling policies, scheduled actions and alarms: bad configs say where and what is allowed', () => {
  for (const c of cases) {
    it(c.name, () => {
      const issues = issuesOf(c.yaml);
      const got = issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`).join('\n');
      const match = issues.find((i) => i.path === c.path && i.message.includes(c.message));
      assert.ok(match, `no issue at ${c.path} containing ${JSON.stringify(c.message)}; got:\n${got}`);
      assert.equal(`${match.line}:${match.column}`, c.at, `position of ${c.path}; got:\n${got}`);
    });
  }

  it('a valid config with every kind parses', () => {
    const cfg = parseConfig(asg(`    defaultInstanceWarmup: 30
    scalingPolicies:
      - { name: cpu50, policyType: TargetTrackingScaling, targetTrackingConfiguration: { predefinedMetricType: ASGAverageCPUUtilization, targetValue: 50, period: 10 } }
      - name: steps
        policyType: StepScaling
        adjustmentType: PercentChangeInCapacity
        minAdjustmentMagnitude: 1
        stepAdjustments: [{ metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 10 }, { metricIntervalLowerBound: 10, scalingAdjustment: 30 }]
    scheduledActions:
      - { scheduledActionName: morning, recurrence: "0 8 * * MON-FRI", timeZone: Europe/Berlin, minSize: 2 }
`, `alarms:
  - { ${ALARM}, period: 10, alarmActions: [{ autoScalingGroup: g, policy: steps }, { command: "echo hi" }, { webhook: "http://127.0.0.1:9/x" }] }
`), 'shoal.yaml');
    assert.equal(cfg.alarms[0]!.datapointsToAlarm, 3);
    assert.deepEqual(cfg.alarms[0]!.alarmActions.map((a) => a.type), ['scalingPolicy', 'command', 'webhook']);
    assert.equal(cfg.autoScalingGroups[0]!.defaultInstanceWarmup, 30);
  });
});
