/**
 * The ASG reconciler's plan (style.md rule 2): plan(desired, observed, now) ->
 * actions, each with its reason. Pure; the controller executes the actions.
 * One pass: health checks, then the crash-loop back-off they imply, then the
 * lifecycle steps, then the replacement of unhealthy instances, then capacity
 * (which already sees this pass's verdicts, so a replacement launch goes out
 * in the same pass as the unhealthy instance starts draining).
 */
import { nextBackoff, pauseMessage, paused } from './backoff.js';
import { planCapacity } from './capacity-plan.js';
import { planHealth } from './health-plan.js';
import { planLifecycle } from './lifecycle-plan.js';
import type { Action, Desired, Observed } from './plan-types.js';
import { planRefresh } from './refresh/plan.js';
import type { InstanceRecord } from './types.js';
import { planWarmPool, reuseOnScaleIn, serveFromPool } from './warm-pool/plan.js';

export function plan(d: Desired, o: Observed, now: number): Action[] {
  const health = planHealth(d, o, now);
  const failures = health.flatMap((a) => (a.kind === 'markUnhealthy' && a.countsAsFailure ? [a] : []));
  const proven = health.some((a) => a.kind === 'markProven');
  const backoff = failures.length > 0 || proven ? nextBackoff(d.state.backoff, failures, proven, now) : d.state.backoff;
  const out: Action[] = [...health];
  if (backoff !== d.state.backoff) {
    const pausing = failures.length > 0 && paused(backoff, now);
    const reason = pausing ? pauseMessage(backoff)
      : failures.length > 0 ? `instance failure ${backoff.failures} in a row: relaunching at once` : 'an instance passed its health checks: crash-loop count reset';
    out.push({ kind: 'setBackoff', backoff, paused: pausing, reason });
  }
  out.push(...planLifecycle(d, o, now));
  const verdicts = new Map(health.map((a) => [a.instanceId, a]));
  const replace: Action[] = [];
  const view: InstanceRecord[] = d.state.instances.map((r) => {
    const v = verdicts.get(r.instanceId);
    if (v?.kind !== 'markUnhealthy' && r.healthStatus !== 'Unhealthy') return r;
    const cause = v?.kind === 'markUnhealthy' ? v.cause : (r.unhealthyCause ?? '');
    const next: InstanceRecord = { ...r, healthStatus: 'Unhealthy' };
    if (!r.terminating && r.lifecycleState !== 'Standby' && replaces(d)) {
      replace.push({ kind: 'startTerminate', instanceId: r.instanceId, cause, reason: `unhealthy: ${v?.kind === 'markUnhealthy' ? v.reason : r.unhealthyReason}` });
    }
    return next;
  });
  out.push(...replace);
  const refresh = planRefresh(d, view, o, now);
  out.push(...refresh.actions);
  const leaving = new Set(refresh.actions.flatMap((a) => (a.kind === 'startTerminate' ? [a.instanceId] : [])));
  const afterRefresh = view.map((r) => (leaving.has(r.instanceId) ? { ...r, lifecycleState: 'Terminating' as const } : r));
  const capacity = planCapacity(d, { instances: afterRefresh, backoff, impaired: o.impairedZones ?? new Map() }, now, refresh);
  const served = serveFromPool(d, o, capacity.filter((a) => a.kind === 'launch'), now);
  const scaleIn = reuseOnScaleIn(d, capacity.filter((a) => a.kind === 'startTerminate'));
  out.push(...served, ...scaleIn);
  const taken = new Set(served.flatMap((a) => (a.kind === 'fromWarmPool' ? [a.instanceId] : [])));
  const launching = served.flatMap((a) => (a.kind === 'launch' ? [a.zone] : []));
  out.push(...planWarmPool(d, o, now, { taken, returning: scaleIn.filter((a) => a.toWarmPool).length, launching }));
  return once(out);
}

/** One termination per instance per pass (health, refresh and the warm pool may each pick the same one). */
function once(actions: Action[]): Action[] {
  const seen = new Set<string>();
  return actions.filter((a) => {
    if (a.kind !== 'startTerminate') return true;
    if (seen.has(a.instanceId)) return false;
    seen.add(a.instanceId);
    return true;
  });
}

function replaces(d: Desired): boolean {
  return !d.state.suspended.includes('ReplaceUnhealthy') && !d.state.suspended.includes('Terminate');
}
