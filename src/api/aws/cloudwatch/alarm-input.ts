/**
 * PutMetricAlarm's input as an alarm record: the config file's fields
 * (alarms[] in docs/alarms.md, PutMetricAlarm's names camelCased), which the
 * model then checks by the config's own rules. What the config has no field
 * for is kept in the record's meta (Unit, EvaluateLowSampleCountPercentile)
 * or refused with a clear error (metric math, anomaly detection, SNS topics).
 */
import { parsePolicyArn } from '../autoscaling/shapes.js';
import type { Input } from '../common/op.js';
import { combination, invalid, missing, need } from './errors.js';
import { checkPeriod } from './metrics.js';

type Raw = Record<string, unknown>;

export interface AlarmInput {
  raw: Raw;
  meta: Raw;
}

/** Actions: Auto Scaling policy ARNs run the policy; shoal has no SNS, EC2 or Systems Manager actions. */
function actionsIn(v: unknown, member: string): string[] {
  const list = (v as string[] | undefined) ?? [];
  for (const a of list) {
    if (parsePolicyArn(a)) continue;
    const service = /^arn:aws[a-z-]*:([a-z0-9-]+):/.exec(a)?.[1];
    throw invalid(`${member}: shoal runs Auto Scaling policy actions (arn:aws:autoscaling:...:scalingPolicy:...:autoScalingGroupName/GROUP:policyName/POLICY); `
      + `${service ? `${service} actions are` : `'${a.slice(0, 200)}' is`} not supported. For notifications, use a command or webhook action in the config file (docs/alarms.md).`);
  }
  return list;
}

export function alarmInput(input: Input): AlarmInput {
  const name = need<string>(input, 'AlarmName');
  if (input.Metrics !== undefined) throw invalid('Metric math alarms (Metrics) are not supported by shoal; give Namespace, MetricName, Dimensions and Statistic or ExtendedStatistic.');
  if (input.ThresholdMetricId !== undefined) throw invalid('Anomaly detection alarms (ThresholdMetricId) are not supported by shoal; give a Threshold.');
  if (input.EvaluationCriteria !== undefined || input.EvaluationInterval !== undefined) throw invalid('EvaluationCriteria and EvaluationInterval (PromQL alarms) are not supported by shoal.');
  if (input.Statistic !== undefined && input.ExtendedStatistic !== undefined) throw combination('Statistic and ExtendedStatistic are mutually exclusive: specify one of them.');
  if (input.Statistic === undefined && input.ExtendedStatistic === undefined) throw missing('Must specify either Statistic or ExtendedStatistic.');
  if (input.Threshold === undefined) throw missing('The parameter Threshold is required.');
  if (input.EvaluateLowSampleCountPercentile !== undefined && !['evaluate', 'ignore'].includes(input.EvaluateLowSampleCountPercentile as string)) {
    throw invalid('EvaluateLowSampleCountPercentile must be evaluate or ignore.');
  }
  const raw: Raw = {
    alarmName: name,
    ...(input.AlarmDescription !== undefined ? { alarmDescription: input.AlarmDescription } : {}),
    namespace: need(input, 'Namespace'),
    metricName: need(input, 'MetricName'),
    dimensions: ((input.Dimensions as Array<{ Name: string; Value: string }> | undefined) ?? []).map((x) => ({ name: x.Name, value: x.Value })),
    ...(input.Statistic !== undefined ? { statistic: input.Statistic } : { extendedStatistic: input.ExtendedStatistic }),
    period: checkPeriod(need(input, 'Period')),
    evaluationPeriods: need(input, 'EvaluationPeriods'),
    ...(input.DatapointsToAlarm !== undefined ? { datapointsToAlarm: input.DatapointsToAlarm } : {}),
    comparisonOperator: need(input, 'ComparisonOperator'),
    threshold: input.Threshold,
    ...(input.TreatMissingData !== undefined ? { treatMissingData: input.TreatMissingData } : {}),
    actionsEnabled: input.ActionsEnabled ?? true,
    alarmActions: actionsIn(input.AlarmActions, 'AlarmActions'),
    okActions: actionsIn(input.OKActions, 'OKActions'),
    insufficientDataActions: actionsIn(input.InsufficientDataActions, 'InsufficientDataActions'),
  };
  if (!['missing', 'ignore', 'breaching', 'notBreaching', undefined].includes(raw.treatMissingData as string | undefined)) {
    throw invalid(`TreatMissingData must be one of breaching, notBreaching, ignore, missing; got ${String(raw.treatMissingData)}.`);
  }
  if (typeof raw.comparisonOperator === 'string' && /Band|LowerThreshold|UpperThreshold/.test(raw.comparisonOperator)) {
    throw invalid(`ComparisonOperator ${raw.comparisonOperator} is for anomaly detection alarms, which shoal does not support; use GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold or LessThanOrEqualToThreshold.`);
  }
  const meta: Raw = {
    ...(input.Unit !== undefined ? { unit: input.Unit } : {}),
    ...(input.EvaluateLowSampleCountPercentile !== undefined ? { evaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile } : {}),
  };
  return { raw, meta };
}
