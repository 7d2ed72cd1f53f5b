/**
 * Scaling policies, scheduled actions and CloudWatch-style alarms as the
 * config declares them: spec only, AWS's field names in camelCase
 * (PutScalingPolicy, PutScheduledUpdateGroupAction, PutMetricAlarm).
 * Defaults are filled in by the config (src/config/normalize.ts).
 */
import type { Dimension } from '../metrics/types.js';

export type AdjustmentType = 'ChangeInCapacity' | 'ExactCapacity' | 'PercentChangeInCapacity';
export type MetricAggregationType = 'Average' | 'Minimum' | 'Maximum';

export const PREDEFINED_METRICS = ['ASGAverageCPUUtilization', 'ASGAverageNetworkIn', 'ASGAverageNetworkOut', 'ALBRequestCountPerTarget'] as const;
export type PredefinedMetricType = (typeof PREDEFINED_METRICS)[number];

/** A CloudWatch metric and the statistic to read it with. */
export interface MetricSpec {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  /** Sum, Average, Minimum, Maximum, SampleCount, or a percentile such as p90. */
  statistic: string;
}

export interface TargetTrackingConfiguration {
  targetValue: number;
  /** Exactly one of predefined / customized. */
  predefinedMetricType?: PredefinedMetricType;
  /**
   * ALBRequestCountPerTarget only: AWS's `app/LB/ID/targetgroup/TG/ID`, or
   * shoal's shorter `LB/TG`. Default: the group's only target group.
   */
  resourceLabel?: string;
  customizedMetric?: MetricSpec;
  disableScaleIn: boolean; // default false
  /** shoal extension: the period of the policy's alarms, seconds. Default 60 (AWS's only value). */
  period: number;
}

export interface StepAdjustment {
  /** Relative to the alarm's threshold; absent means minus infinity. */
  metricIntervalLowerBound?: number;
  /** Relative to the alarm's threshold; absent means plus infinity. */
  metricIntervalUpperBound?: number;
  scalingAdjustment: number;
}

interface PolicyBase {
  name: string;
  /** AWS: Enabled, default true. A disabled policy ignores its alarms. */
  enabled: boolean;
}

export interface TargetTrackingPolicy extends PolicyBase {
  policyType: 'TargetTrackingScaling';
  targetTrackingConfiguration: TargetTrackingConfiguration;
  /** Seconds; default: the group's defaultInstanceWarmup, else its defaultCooldown (as AWS). */
  estimatedInstanceWarmup?: number;
}

export interface StepScalingPolicy extends PolicyBase {
  policyType: 'StepScaling';
  adjustmentType: AdjustmentType;
  stepAdjustments: StepAdjustment[];
  minAdjustmentMagnitude?: number;
  metricAggregationType: MetricAggregationType; // default Average
  estimatedInstanceWarmup?: number;
}

export interface SimpleScalingPolicy extends PolicyBase {
  policyType: 'SimpleScaling';
  adjustmentType: AdjustmentType;
  scalingAdjustment: number;
  minAdjustmentMagnitude?: number;
  /** Seconds; default: the group's defaultCooldown. */
  cooldown?: number;
}

export type ScalingPolicy = TargetTrackingPolicy | StepScalingPolicy | SimpleScalingPolicy;

/** PutScheduledUpdateGroupAction. At least one of minSize/maxSize/desiredCapacity. */
export interface ScheduledAction {
  scheduledActionName: string;
  /** One-off: when it runs. Recurring: not before this. Milliseconds since the epoch. */
  startTime?: number;
  /** Recurring only: not after this. */
  endTime?: number;
  /** Unix cron, five fields (minute hour day-of-month month day-of-week). */
  recurrence?: string;
  /** IANA zone of the recurrence; default UTC. */
  timeZone: string;
  minSize?: number;
  maxSize?: number;
  desiredCapacity?: number;
}

export type ComparisonOperator =
  | 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/**
 * What an alarm does on a state: run a scaling policy (named, or by AWS's
 * policy ARN), run a local command (shoal's stand-in for an SNS topic with an
 * email subscription), or POST an SNS-style JSON message to a URL.
 */
export type AlarmAction =
  | { type: 'scalingPolicy'; autoScalingGroup: string; policy: string }
  | { type: 'command'; command: string }
  | { type: 'webhook'; url: string };

export interface AlarmSpec extends MetricSpec {
  alarmName: string;
  alarmDescription?: string;
  /** Seconds: 1, 5, 10, 30 or a multiple of 60. */
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number; // default evaluationPeriods
  comparisonOperator: ComparisonOperator;
  threshold: number;
  treatMissingData: TreatMissingData; // default missing
  actionsEnabled: boolean; // default true
  alarmActions: AlarmAction[];
  okActions: AlarmAction[];
  insufficientDataActions: AlarmAction[];
}
