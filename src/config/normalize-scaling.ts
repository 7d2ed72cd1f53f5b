/** Scaling policies, scheduled actions and alarms: schema output to model (normalize.ts calls these). */
import type { AlarmSpec, ScalingPolicy, ScheduledAction } from '../model/scaling.js';
import type { z } from 'zod';
import type { alarmSchema } from './schema-alarms.js';
import type { scalingPolicySchema, scheduledActionSchema } from './schema-scaling.js';

type PolicyInput = z.output<typeof scalingPolicySchema>;
type ScheduledInput = z.output<typeof scheduledActionSchema>;
type AlarmInput = z.output<typeof alarmSchema>;

const opt = <K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> => (v === undefined ? {} : ({ [key]: v } as Record<K, V>));

export function scalingPolicy(p: PolicyInput): ScalingPolicy {
  const base = { name: p.name, enabled: p.enabled };
  switch (p.policyType) {
    case 'TargetTrackingScaling': {
      const t = p.targetTrackingConfiguration!;
      const c = t.customizedMetricSpecification;
      return {
        ...base, policyType: 'TargetTrackingScaling', ...opt('estimatedInstanceWarmup', p.estimatedInstanceWarmup),
        targetTrackingConfiguration: {
          targetValue: t.targetValue, disableScaleIn: t.disableScaleIn, period: t.period,
          ...opt('predefinedMetricType', t.predefinedMetricType ?? t.predefinedMetricSpecification?.predefinedMetricType),
          ...opt('resourceLabel', t.resourceLabel ?? t.predefinedMetricSpecification?.resourceLabel),
          ...(c ? { customizedMetric: { namespace: c.namespace, metricName: c.metricName, dimensions: c.dimensions.map((d) => ({ ...d })), statistic: c.statistic } } : {}),
        },
      };
    }
    case 'StepScaling':
      return {
        ...base, policyType: 'StepScaling', adjustmentType: p.adjustmentType!, metricAggregationType: p.metricAggregationType ?? 'Average',
        stepAdjustments: p.stepAdjustments!.map((s) => ({ ...s })), ...opt('minAdjustmentMagnitude', p.minAdjustmentMagnitude),
        ...opt('estimatedInstanceWarmup', p.estimatedInstanceWarmup),
      };
    case 'SimpleScaling':
      return {
        ...base, policyType: 'SimpleScaling', adjustmentType: p.adjustmentType!, scalingAdjustment: p.scalingAdjustment!,
        ...opt('minAdjustmentMagnitude', p.minAdjustmentMagnitude), ...opt('cooldown', p.cooldown),
      };
  }
}

export function scheduledAction(a: ScheduledInput): ScheduledAction {
  return {
    scheduledActionName: a.scheduledActionName, timeZone: a.timeZone, ...opt('startTime', a.startTime), ...opt('endTime', a.endTime),
    ...opt('recurrence', a.recurrence), ...opt('minSize', a.minSize), ...opt('maxSize', a.maxSize), ...opt('desiredCapacity', a.desiredCapacity),
  };
}

export function alarm(a: AlarmInput): AlarmSpec {
  return {
    alarmName: a.alarmName, ...opt('alarmDescription', a.alarmDescription), namespace: a.namespace, metricName: a.metricName,
    dimensions: a.dimensions.map((d) => ({ ...d })), statistic: a.statistic ?? a.extendedStatistic!, period: a.period,
    evaluationPeriods: a.evaluationPeriods, datapointsToAlarm: a.datapointsToAlarm ?? a.evaluationPeriods, comparisonOperator: a.comparisonOperator,
    threshold: a.threshold, treatMissingData: a.treatMissingData, actionsEnabled: a.actionsEnabled,
    alarmActions: [...a.alarmActions], okActions: [...a.okActions], insufficientDataActions: [...a.insufficientDataActions],
  };
}
