/**
 * StartInstanceRefresh, DescribeInstanceRefreshes, CancelInstanceRefresh and
 * RollbackInstanceRefresh: validation with AWS's error codes and messages;
 * the plan (plan.ts) does the work on the next passes.
 */
import { ShoalError, validationError } from '../../../core/errors.js';
import { randomHex } from '../../../core/random.js';
import type { LaunchTemplateVersionRef } from '../../../model/auto-scaling.js';
import { iso } from '../causes.js';
import { groupOf } from '../ops.js';
import type { AutoScalingService } from '../service.js';
import { counts } from '../types.js';
import { startRollback } from './apply.js';
import { effectiveTemplate } from './template.js';
import { activeRefresh, KEEP_REFRESHES, type InstanceRefresh, type RefreshPreferences } from './types.js';

export interface StartRefreshInput {
  preferences?: Partial<RefreshPreferences>;
  desiredConfiguration?: { name?: string; version: LaunchTemplateVersionRef | string };
  /** What a rollback returns to, when not what the group launches now (an ECS deployment: the config already names the new revision). */
  previous?: { name: string; version: number };
  /** The activity's cause; default "a user request started ...". */
  cause?: string;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw validationError(message);
}

/** An ECS deployment (it has a circuit breaker) takes ECS's percentages: minimumHealthyPercent 0..100 and maximumPercent 100..200, any spread. */
export function preferences(p: Partial<RefreshPreferences>, graceS: number): RefreshPreferences {
  const ecs = p.circuitBreaker !== undefined;
  const out: RefreshPreferences = {
    minHealthyPercentage: p.minHealthyPercentage ?? 90, maxHealthyPercentage: p.maxHealthyPercentage ?? 100,
    instanceWarmup: p.instanceWarmup ?? graceS, checkpointPercentages: p.checkpointPercentages ?? [],
    checkpointDelay: p.checkpointDelay ?? 3600, skipMatching: p.skipMatching ?? false, autoRollback: p.autoRollback ?? false,
    alarms: p.alarms ?? [], ...(p.circuitBreaker ? { circuitBreaker: { ...p.circuitBreaker } } : {}),
  };
  const int = (v: number) => Number.isInteger(v);
  check(int(out.minHealthyPercentage) && out.minHealthyPercentage >= 0 && out.minHealthyPercentage <= 100, `MinHealthyPercentage must be a whole number from 0 to 100 (got ${out.minHealthyPercentage})`);
  check(int(out.maxHealthyPercentage) && out.maxHealthyPercentage >= 100 && out.maxHealthyPercentage <= 200, `MaxHealthyPercentage must be a whole number from 100 to 200 (got ${out.maxHealthyPercentage})`);
  check(ecs || out.maxHealthyPercentage - out.minHealthyPercentage <= 100, `The difference between MaxHealthyPercentage and MinHealthyPercentage must be at most 100 (got ${out.minHealthyPercentage} and ${out.maxHealthyPercentage})`);
  check(!(out.minHealthyPercentage === 100 && out.maxHealthyPercentage === 100), 'MinHealthyPercentage 100 needs MaxHealthyPercentage above 100 (launch before terminate), or nothing could ever be replaced');
  check(int(out.instanceWarmup) && out.instanceWarmup >= 0, `InstanceWarmup must be a whole number of seconds, at least 0 (got ${out.instanceWarmup})`);
  check(int(out.checkpointDelay) && out.checkpointDelay >= 0 && out.checkpointDelay <= 172800, `CheckpointDelay must be 0 to 172800 seconds (got ${out.checkpointDelay})`);
  const cps = out.checkpointPercentages;
  check(cps.every((c, i) => int(c) && c >= 1 && c <= 100 && (i === 0 || c > cps[i - 1]!)), `CheckpointPercentages must be whole numbers from 1 to 100 in increasing order (got ${cps.join(', ')})`);
  check(out.alarms.every((a) => typeof a === 'string' && a.length > 0), 'AlarmSpecification.Alarms must be alarm names');
  return out;
}

export function startInstanceRefresh(svc: AutoScalingService, group: string, input: StartRefreshInput = {}): InstanceRefresh {
  const g = groupOf(svc, group);
  const s = g.state;
  const busy = activeRefresh(s);
  if (busy) throw new ShoalError('InstanceRefreshInProgress', `An Instance Refresh is already in progress and blocks the execution of this Instance Refresh (${busy.instanceRefreshId}, ${busy.status}). Cancel it first, or wait.`);
  const prefs = preferences(input.preferences ?? {}, g.spec.healthCheckGracePeriod);
  check(!prefs.autoRollback || input.desiredConfiguration !== undefined, 'AutoRollback needs a DesiredConfiguration (a launch template version to roll back from)');
  const current = input.previous ?? effectiveTemplate(s, g.spec.launchTemplate);
  const prev = svc.templates.resolve(current.name, current.version);
  const want = input.desiredConfiguration;
  const name = want?.name ?? current.name;
  const target = want ? svc.templates.resolve(name, want.version) : prev;
  const isTarget = (x: { templateName: string; templateVersion: number }) => x.templateName === name && x.templateVersion === target.versionNumber;
  const chosen = s.instances.filter((x) => counts(x) && !x.protectedFromScaleIn && !(prefs.skipMatching && isTarget(x)));
  const now = svc.clockNow();
  const r: InstanceRefresh = {
    instanceRefreshId: refreshId(svc), status: 'Pending', statusReason: 'Waiting for the next pass', startTime: now,
    percentageComplete: 0, instancesToUpdate: chosen.length, preferences: prefs,
    ...(want ? { desiredConfiguration: { name, version: want.version as LaunchTemplateVersionRef } } : {}),
    target: { name, version: target.versionNumber }, previous: { name: current.name, version: prev.versionNumber },
    toReplace: chosen.map((x) => x.instanceId), total: chosen.length, checkpointsDone: [],
  };
  s.refreshes = [r, ...(s.refreshes ?? [])].slice(0, KEEP_REFRESHES);
  svc.activities.record(s, {
    description: `Instance refresh ${r.instanceRefreshId}: started`,
    cause: `At ${iso(now)} ${input.cause ?? 'a user request'} started an instance refresh of ${chosen.length} instance(s) to ${name} version ${target.versionNumber} (min healthy ${prefs.minHealthyPercentage}%, max healthy ${prefs.maxHealthyPercentage}%, warmup ${prefs.instanceWarmup} s).`,
  }, 'Successful');
  g.persist();
  svc.poke();
  return r;
}

export function cancelInstanceRefresh(svc: AutoScalingService, group: string): string {
  const g = groupOf(svc, group);
  const r = activeRefresh(g.state);
  if (!r || r.status === 'RollbackInProgress') throw new ShoalError('ActiveInstanceRefreshNotFound', `No in progress or pending Instance Refresh found for Auto Scaling group ${group}`);
  if (r.status !== 'Cancelling') Object.assign(r, { status: 'Cancelling', statusReason: 'Cancelling: no new batch starts' });
  g.persist();
  svc.poke();
  return r.instanceRefreshId;
}

export function rollbackInstanceRefresh(svc: AutoScalingService, group: string): string {
  const g = groupOf(svc, group);
  const r = activeRefresh(g.state);
  if (!r || r.status === 'Cancelling' || r.status === 'RollbackInProgress') throw new ShoalError('ActiveInstanceRefreshNotFound', `No in progress or pending Instance Refresh found for Auto Scaling group ${group}`);
  if (!r.desiredConfiguration) throw new ShoalError('IrreversibleInstanceRefresh', 'This instance refresh cannot be rolled back: it was started without a DesiredConfiguration, so there is no previous configuration to return to. Cancel it instead.');
  r.rollbackReason = 'a user request';
  startRollback(g.state, r, svc.clockNow());
  g.persist();
  svc.poke();
  return r.instanceRefreshId;
}

/** DescribeInstanceRefreshes, AWS's field names. */
export function describeInstanceRefreshes(svc: AutoScalingService, group: string): Record<string, unknown>[] {
  const g = groupOf(svc, group);
  return (g.state.refreshes ?? []).map((r) => ({
    InstanceRefreshId: r.instanceRefreshId, AutoScalingGroupName: group, Status: r.status, StatusReason: r.statusReason,
    StartTime: iso(r.startTime), EndTime: r.endTime !== undefined ? iso(r.endTime) : undefined,
    PercentageComplete: r.percentageComplete, InstancesToUpdate: r.instancesToUpdate,
    Preferences: {
      MinHealthyPercentage: r.preferences.minHealthyPercentage, MaxHealthyPercentage: r.preferences.maxHealthyPercentage,
      InstanceWarmup: r.preferences.instanceWarmup, CheckpointPercentages: r.preferences.checkpointPercentages,
      CheckpointDelay: r.preferences.checkpointDelay, SkipMatching: r.preferences.skipMatching, AutoRollback: r.preferences.autoRollback,
      AlarmSpecification: { Alarms: r.preferences.alarms },
    },
    DesiredConfiguration: r.desiredConfiguration ? { LaunchTemplate: { LaunchTemplateName: r.desiredConfiguration.name, Version: String(r.desiredConfiguration.version) } } : undefined,
    RollbackDetails: r.rollbackReason ? { RollbackReason: r.rollbackReason, PreviousLaunchTemplate: `${r.previous.name} version ${r.previous.version}` } : undefined,
    Checkpoints: checkpoints(r),
  }));
}

/**
 * shoal's JSON API only (AWS says it in StatusReason): each checkpoint passed,
 * waited at (until when), or ahead. A refresh ends at 100 % without waiting
 * there, so a finished refresh has passed every checkpoint up to its percentage.
 */
function checkpoints(r: InstanceRefresh): Array<{ Percentage: number; State: 'Passed' | 'Waiting' | 'Ahead'; WaitingUntil?: string }> {
  const current = r.checkpointAt !== undefined ? r.checkpointsDone[r.checkpointsDone.length - 1] : undefined;
  return r.preferences.checkpointPercentages.map((p) => p === current
    ? { Percentage: p, State: 'Waiting' as const, WaitingUntil: iso(r.checkpointAt! + r.preferences.checkpointDelay * 1000) }
    : { Percentage: p, State: r.checkpointsDone.includes(p) || (r.status === 'Successful' && r.percentageComplete >= p) ? 'Passed' as const : 'Ahead' as const });
}

function refreshId(svc: AutoScalingService): string {
  const h = (n: number) => randomHex(svc.random, n);
  return `${h(8)}-${h(4)}-${h(4)}-${h(4)}-${h(12)}`;
}
