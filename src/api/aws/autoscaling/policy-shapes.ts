/**
 * Scaling policies between AWS's PutScalingPolicy members and the config's
 * scalingPolicies entries, and back to AWS's ScalingPolicy shape.
 */
import { ownedAlarmName } from '../../../controlplane/scaling/owned-alarms.js';
import type { AlarmSpec, ScalingPolicy, TargetTrackingConfiguration } from '../../../model/scaling.js';
import { ACCOUNT_ID, required, validation, type Input } from '../common/op.js';
import { unsupported } from './context.js';
import { camelKeys } from './shapes.js';

type Raw = Record<string, unknown>;

function drop(o: Raw): Raw {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function targetTracking(t: Input): Raw {
  const c = t.CustomizedMetricSpecification as Input | undefined;
  if (c?.Metrics !== undefined) throw unsupported('CustomizedMetricSpecification.Metrics (metric math)');
  if (c && (c.MetricName === undefined || c.Namespace === undefined || c.Statistic === undefined)) {
    throw validation('CustomizedMetricSpecification needs MetricName, Namespace and Statistic.');
  }
  const p = t.PredefinedMetricSpecification as Input | undefined;
  return drop({
    targetValue: t.TargetValue, disableScaleIn: t.DisableScaleIn,
    predefinedMetricSpecification: p ? drop({ predefinedMetricType: p.PredefinedMetricType, resourceLabel: p.ResourceLabel }) : undefined,
    customizedMetricSpecification: c ? drop({ namespace: c.Namespace, metricName: c.MetricName, dimensions: camelKeys(c.Dimensions ?? []), statistic: c.Statistic, unit: c.Unit }) : undefined,
    // AWS's high-resolution metrics period (10, 30, 60 s) is what shoal's alarms evaluate on.
    period: c?.Period,
  });
}

/** PutScalingPolicy -> a scalingPolicies entry of the config. */
export function policyRaw(input: Input): Raw {
  const name = required<string>(input, 'PolicyName');
  if (input.PredictiveScalingConfiguration !== undefined || input.PolicyType === 'PredictiveScaling') throw unsupported('Predictive scaling');
  const tt = input.TargetTrackingConfiguration as Input | undefined;
  return drop({
    name, policyType: input.PolicyType ?? 'SimpleScaling', enabled: input.Enabled,
    adjustmentType: input.AdjustmentType, scalingAdjustment: input.ScalingAdjustment,
    minAdjustmentMagnitude: input.MinAdjustmentMagnitude ?? input.MinAdjustmentStep,
    cooldown: input.Cooldown, metricAggregationType: input.MetricAggregationType,
    stepAdjustments: input.StepAdjustments ? camelKeys(input.StepAdjustments) : undefined,
    estimatedInstanceWarmup: input.EstimatedInstanceWarmup,
    targetTrackingConfiguration: tt ? targetTracking(tt) : undefined,
  });
}

export function alarmArn(region: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${ACCOUNT_ID}:alarm:${name}`;
}

/** The alarms that run a policy: a target tracking policy's own, or the config's alarms naming it. */
export function policyAlarms(group: string, p: ScalingPolicy, alarms: readonly AlarmSpec[]): string[] {
  if (p.policyType === 'TargetTrackingScaling') {
    const high = ownedAlarmName(group, p.name, 'High');
    return p.targetTrackingConfiguration.disableScaleIn ? [high] : [high, ownedAlarmName(group, p.name, 'Low')];
  }
  return alarms.filter((a) => [...a.alarmActions, ...a.okActions, ...a.insufficientDataActions]
    .some((x) => x.type === 'scalingPolicy' && x.autoScalingGroup === group && x.policy === p.name)).map((a) => a.alarmName);
}

function trackingShape(t: TargetTrackingConfiguration): Raw {
  const c = t.customizedMetric;
  return drop({
    PredefinedMetricSpecification: t.predefinedMetricType ? drop({ PredefinedMetricType: t.predefinedMetricType, ResourceLabel: t.resourceLabel }) : undefined,
    CustomizedMetricSpecification: c ? {
      MetricName: c.metricName, Namespace: c.namespace, Dimensions: c.dimensions.map((x) => ({ Name: x.name, Value: x.value })), Statistic: c.statistic,
      ...(t.period !== 60 ? { Period: t.period } : {}),
    } : undefined,
    TargetValue: t.targetValue, DisableScaleIn: t.disableScaleIn,
  });
}

/** AWS's ScalingPolicy shape (without ARN and alarms: the caller adds them). */
export function policyShape(p: ScalingPolicy): Raw {
  const base = { PolicyName: p.name, PolicyType: p.policyType, Enabled: p.enabled };
  if (p.policyType === 'TargetTrackingScaling') {
    return drop({ ...base, EstimatedInstanceWarmup: p.estimatedInstanceWarmup, TargetTrackingConfiguration: trackingShape(p.targetTrackingConfiguration) });
  }
  if (p.policyType === 'StepScaling') {
    return drop({
      ...base, AdjustmentType: p.adjustmentType, MinAdjustmentMagnitude: p.minAdjustmentMagnitude, MetricAggregationType: p.metricAggregationType,
      EstimatedInstanceWarmup: p.estimatedInstanceWarmup,
      StepAdjustments: p.stepAdjustments.map((s) => drop({ MetricIntervalLowerBound: s.metricIntervalLowerBound, MetricIntervalUpperBound: s.metricIntervalUpperBound, ScalingAdjustment: s.scalingAdjustment })),
    });
  }
  return drop({ ...base, AdjustmentType: p.adjustmentType, ScalingAdjustment: p.scalingAdjustment, MinAdjustmentMagnitude: p.minAdjustmentMagnitude, Cooldown: p.cooldown });
}
