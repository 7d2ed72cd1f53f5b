/**
 * The instance refresh's part of a pass (pure, style.md rule 2). Runs after the
 * health verdicts and before capacity: it may terminate a batch of old
 * instances and tells capacity how many instances to run (desired + surge);
 * capacity then launches the replacements with the refresh's template.
 *
 * One batch at a time: while a new instance has not passed its health checks
 * and its warmup, nothing else is terminated. Then, in order: an alarm in
 * ALARM or launches paused by failing new instances fail the refresh (or roll
 * it back with autoRollback); Cancelling ends once no batch is in flight; a
 * checkpoint waits out its delay; no old instance left ends it; else the next
 * batch. See batch.ts for the sizes.
 */
import { paused } from '../backoff.js';
import { iso } from '../causes.js';
import type { Action, Desired, Observed } from '../plan-types.js';
import { pickForTermination } from '../termination.js';
import { counts, type InstanceRecord } from '../types.js';
import { batchSize, bounds, surge } from './batch.js';
import { activeRefresh, type InstanceRefresh, type RefreshUpdate } from './types.js';

export interface RefreshPlan {
  actions: Action[];
  /** Instances capacity should run: desired plus the refresh's surge. */
  want: number;
  /** The cause of capacity's launches while a refresh replaces instances. */
  launchCause?: (from: number, to: number) => string;
}

const update = (u: RefreshUpdate, reason: string): Action => ({ kind: 'refresh', update: u, reason });

export function isReady(r: InstanceRecord, warmupS: number, now: number): boolean {
  return r.lifecycleState === 'InService' && r.proven && r.healthStatus === 'Healthy' && now >= r.launchedAt + warmupS * 1000;
}

export function planRefresh(d: Desired, view: readonly InstanceRecord[], o: Observed, now: number): RefreshPlan {
  const desired = d.state.desiredCapacity;
  const r = activeRefresh(d.state);
  if (!r) return { actions: [], want: desired };
  const out: Action[] = [];
  const rollingBack = r.status === 'RollbackInProgress';
  if (r.status === 'Pending') out.push(update({ status: 'InProgress', statusReason: 'Replacing instances' }, 'refresh started'));
  const live = view.filter(counts);
  const replace = new Set(r.toReplace);
  const old = live.filter((x) => replace.has(x.instanceId));
  const p = r.preferences;
  const ready = live.filter((x) => isReady(x, p.instanceWarmup, now));
  const inFlight = live.filter((x) => !replace.has(x.instanceId) && !ready.includes(x));
  const b = bounds(desired, p);
  const plan = (actions: Action[], oldLeft = old.length): RefreshPlan => ({
    actions: [...out, ...actions], want: desired + (r.status === 'Cancelling' ? 0 : surge(desired, b, oldLeft)),
    launchCause: (from, to) => `At ${iso(now)} an instance was started in response to instance refresh ${r.instanceRefreshId}${rollingBack ? ' (rollback)' : ''}, increasing the capacity from ${from} to ${to}.`,
  });
  if (d.state.suspended.includes('InstanceRefresh')) {
    return plan(reasonOnly(r, 'Waiting: the InstanceRefresh process is suspended'), 0);
  }
  const stop = failure(d, r, o, now);
  if (stop) return plan([stop], 0);
  const percent = r.total === 0 ? 100 : Math.floor((100 * (r.total - old.length)) / r.total);
  const progress: RefreshUpdate = inFlight.length === 0 && percent !== r.percentageComplete ? { percentageComplete: percent } : {};
  const left: RefreshUpdate = old.length !== r.instancesToUpdate ? { instancesToUpdate: old.length } : {};
  if (r.status === 'Cancelling') {
    if (inFlight.length > 0) return plan(reasonOnly(r, `Cancelling: waiting for ${inFlight.length} new instance(s) to finish`), 0);
    return plan([update({ ...progress, ...left, status: 'Cancelled', statusReason: 'Cancelled by a user request' }, 'cancel complete')], 0);
  }
  if (inFlight.length > 0) {
    const ids = inFlight.map((x) => x.instanceId).join(', ');
    return plan(withPatch(r, left, `Waiting for new instance(s) ${ids} to pass health checks and warm up (${p.instanceWarmup} s)`));
  }
  if (r.checkpointAt !== undefined && !rollingBack) {
    const until = r.checkpointAt + p.checkpointDelay * 1000;
    const cp = r.checkpointsDone[r.checkpointsDone.length - 1];
    if (now < until) return plan(withPatch(r, { ...progress, ...left }, `Waiting at checkpoint ${cp}% until ${iso(until)}`));
    out.push(update({ checkpointAt: undefined }, `checkpoint ${cp}% delay over`));
  }
  if (old.length === 0 && live.length >= desired) {
    const status = rollingBack ? 'RollbackSuccessful' : 'Successful';
    return plan([update({ ...left, percentageComplete: 100, status, statusReason: rollingBack ? 'Rolled back to the previous configuration' : 'All instances replaced' }, 'refresh complete')]);
  }
  const next = rollingBack ? undefined : p.checkpointPercentages.find((c) => !r.checkpointsDone.includes(c));
  if (next !== undefined && percent >= next && percent < 100) {
    return plan([update({ ...progress, ...left, checkpointsDone: [...r.checkpointsDone, next], checkpointAt: now, statusReason: `Reached checkpoint ${next}%` }, `checkpoint ${next}% reached`)]);
  }
  const k = batchSize(ready.length, b, old.length);
  const picks = pickForTermination(old.filter((x) => x.lifecycleState === 'InService' || x.lifecycleState === 'Pending'), k, {
    policies: ['Default'], zones: d.spec.zones, now, current: { templateName: d.spec.templateName, templateVersion: d.spec.templateVersion },
  });
  const terms: Action[] = picks.map((x) => ({
    kind: 'startTerminate', instanceId: x.instanceId, reason: `instance refresh ${r.instanceRefreshId}: batch of ${picks.length} (${ready.length} ready, at least ${b.floor} stay)`,
    cause: `At ${iso(now)} an instance was taken out of service in response to instance refresh ${r.instanceRefreshId}${rollingBack ? ' (rollback)' : ''}. At ${iso(now)} instance ${x.instanceId} was selected for termination.`,
  }));
  const patch = { ...progress, ...left };
  const reason = picks.length > 0 ? `Replacing ${picks.length} instance(s); ${old.length - picks.length} left after this batch`
    : `Waiting for capacity: ${ready.length} ready, at least ${b.floor} must stay`;
  return plan([...withPatch(r, patch, reason), ...terms], old.length - picks.length);
}

function reasonOnly(r: InstanceRefresh, reason: string): Action[] {
  return r.statusReason === reason ? [] : [update({ statusReason: reason }, reason)];
}

function withPatch(r: InstanceRefresh, patch: RefreshUpdate, reason: string): Action[] {
  const u: RefreshUpdate = r.statusReason === reason ? patch : { ...patch, statusReason: reason };
  return Object.keys(u).length > 0 ? [update(u, reason)] : [];
}

/** Alarm in ALARM, or new instances failing (launches paused): fail, or roll back. */
function failure(d: Desired, r: InstanceRefresh, o: Observed, now: number): Action | undefined {
  if (r.status === 'Cancelling') return undefined;
  const alarm = r.preferences.alarms.find((a) => o.alarms?.get(a) === 'ALARM');
  const breaker = r.preferences.circuitBreaker;
  const b = d.state.backoff;
  const failing = breaker ? breaker.enabled && b.failures >= breaker.threshold : paused(b, now);
  const why = alarm ? `alarm ${alarm} is in ALARM`
    : failing ? `${breaker ? `the circuit breaker tripped: ${b.failures} new tasks in a row failed` : 'new instances fail their health checks'} (${b.lastReason ?? 'see the activity history'})` : undefined;
  if (!why) return undefined;
  if (r.status === 'RollbackInProgress') {
    return alarm ? undefined : update({ status: 'RollbackFailed', statusReason: `Rollback failed: ${why}` }, why);
  }
  if (r.preferences.autoRollback) return update({ status: 'RollbackInProgress', rollbackReason: why, statusReason: `Rolling back: ${why}` }, why);
  return update({ status: 'Failed', statusReason: `Failed: ${why}` }, why);
}
