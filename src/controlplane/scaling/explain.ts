/**
 * What `shoal explain GROUP` and DescribePolicies show: the group's sizes and
 * warmup, each policy with its alarms (state, reason, last datapoints) and
 * what it would do now (explain only),
 * the cooldown, the scheduled actions with their next run, and the last
 * decisions, newest first (including the ones that changed nothing).
 */
import { actionName } from '../../alarms/types.js';
import { nextRun } from './scheduled.js';
import { reachesPolicy, type PolicyPreview, type ScalingService } from './service.js';
import { groupView } from './warmup.js';
import type { Decision } from './types.js';
import type { AutoScalingService } from '../asg/service.js';
import { validationError } from '../../core/errors.js';

export interface Explanation {
  group: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  warmed: number;
  warming: number;
  cooldownUntil?: string;
  policies: Record<string, unknown>[];
  scheduledActions: Record<string, unknown>[];
  decisions: Decision[];
}

/** DescribePolicies for one group, AWS's field names plus the alarms' states. */
export function describePolicies(s: ScalingService, group: string, previews?: readonly PolicyPreview[]): Record<string, unknown>[] {
  const gc = s.groupConfig(group);
  if (!gc) throw validationError(`AutoScalingGroup name not found - AutoScalingGroup ${group} not found`);
  const triggering = (policy: string) => s.alarms.definitions().filter((d) =>
    [...d.alarmActions, ...d.okActions, ...d.insufficientDataActions].some((a) => reachesPolicy(a, group, policy)));
  return gc.scalingPolicies.map((p) => {
    const alarms = triggering(p.name).map((d) => {
      const st = s.alarms.status(d.alarmName);
      return { AlarmName: d.alarmName, StateValue: st?.state, StateReason: st?.stateReason, LastDatapoints: st?.lastEvaluated.map((x) => x.value) ?? [] };
    });
    return {
      AutoScalingGroupName: group, PolicyName: p.name, PolicyType: p.policyType, Enabled: p.enabled,
      PolicyARN: actionName({ type: 'scalingPolicy', autoScalingGroup: group, policy: p.name }),
      ...(p.policyType === 'TargetTrackingScaling' ? { TargetTrackingConfiguration: p.targetTrackingConfiguration, EstimatedInstanceWarmup: p.estimatedInstanceWarmup } : {}),
      ...(p.policyType === 'StepScaling' ? { AdjustmentType: p.adjustmentType, StepAdjustments: p.stepAdjustments, MetricAggregationType: p.metricAggregationType, MinAdjustmentMagnitude: p.minAdjustmentMagnitude } : {}),
      ...(p.policyType === 'SimpleScaling' ? { AdjustmentType: p.adjustmentType, ScalingAdjustment: p.scalingAdjustment, Cooldown: p.cooldown, MinAdjustmentMagnitude: p.minAdjustmentMagnitude } : {}),
      WarmupSeconds: s.warmupOf(gc, p),
      Alarms: alarms,
      ...(previews ? { Now: previews.find((x) => x.policy === p.name) } : {}),
    };
  });
}

/**
 * A group's explanation when the daemon runs no scaling service (its config
 * has no alarms, policies or scheduled actions): its sizes, and no policies,
 * actions or decisions.
 */
export function explainUnscaled(asg: AutoScalingService | undefined, group: string): Explanation {
  const g = asg?.group(group);
  if (!g || g.deleting) throw validationError(`AutoScalingGroup name not found - AutoScalingGroup ${group} not found`);
  const st = g.state;
  const inService = st.instances.filter((r) => r.lifecycleState === 'InService' && !r.terminating).length;
  return { group, minSize: st.minSize, maxSize: st.maxSize, desiredCapacity: st.desiredCapacity, warmed: inService, warming: 0, policies: [], scheduledActions: [], decisions: [] };
}

export function explain(s: ScalingService, asg: AutoScalingService | undefined, group: string, now: number, limit = 20): Explanation {
  const g = asg?.group(group);
  const gc = s.groupConfig(group);
  if (!gc || !g) throw validationError(`AutoScalingGroup name not found - AutoScalingGroup ${group} not found, or it has no scaling policies, scheduled actions or alarms`);
  const book = s.book(group);
  const view = groupView(book, g.state, s.warmupOf(gc), now);
  const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
  return {
    group, minSize: view.minSize, maxSize: view.maxSize, desiredCapacity: view.desiredCapacity, warmed: view.warmed, warming: view.warming,
    ...(book.cooldown.until !== undefined && book.cooldown.until > now ? { cooldownUntil: iso(book.cooldown.until)! } : {}),
    policies: describePolicies(s, group, s.preview(group)),
    scheduledActions: gc.scheduledActions.map((a) => ({
      ScheduledActionName: a.scheduledActionName, Recurrence: a.recurrence, TimeZone: a.timeZone, StartTime: iso(a.startTime), EndTime: iso(a.endTime),
      MinSize: a.minSize, MaxSize: a.maxSize, DesiredCapacity: a.desiredCapacity,
      LastRun: iso(book.lastRun[a.scheduledActionName]), NextRun: iso(nextRun(a, book.lastRun[a.scheduledActionName] ?? now)),
    })),
    decisions: s.decisions.list(group, limit),
  };
}

