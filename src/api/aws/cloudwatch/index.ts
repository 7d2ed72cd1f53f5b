/**
 * CloudWatch (API 2010-08-01) operations over shoal's metrics store and its
 * alarms: metrics (PutMetricData, GetMetricStatistics, GetMetricData,
 * ListMetrics) and metric alarms (Put/Describe/DescribeForMetric/Delete,
 * SetAlarmState, Enable/DisableAlarmActions, DescribeAlarmHistory).
 * See docs/aws-api.md ("CloudWatch").
 */
import type { Operations } from '../common/op.js';
import { alarmRuntimeOps } from './alarm-runtime.js';
import { alarmOps } from './alarms.js';
import type { CloudWatchDeps } from './deps.js';
import { metricDataOps } from './metric-data.js';
import { metricOps } from './metrics.js';

export type { CloudWatchDeps } from './deps.js';

export function operations(d: CloudWatchDeps): Operations {
  return { ...metricOps(d), ...metricDataOps(d), ...alarmOps(d), ...alarmRuntimeOps(d) };
}
