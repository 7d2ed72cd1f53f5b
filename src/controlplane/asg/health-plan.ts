/**
 * Health checks of a group's instances (pure). EC2 checks always apply; ELB
 * checks too when healthCheckType is ELB. An instance that is stopped or gone
 * is unhealthy at once; the other checks wait out healthCheckGracePeriod from
 * launch. ELB means `unhealthy` in any of its target groups (not `initial`).
 * An instance is "proven" once it passed: healthy in all its target groups
 * (ELB), or booted and still running after min(grace, 30 s) (EC2). A failure
 * before that counts toward the crash-loop back-off (backoff.ts).
 */
import type { InstanceObservation } from '../../providers/provider.js';
import { cause } from './causes.js';
import type { Action, Desired, Observed } from './plan-types.js';
import type { InstanceRecord } from './types.js';

type HealthAction = Extract<Action, { kind: 'markUnhealthy' | 'markProven' }>;

const EC2_PROOF_MS = 30_000;

export function planHealth(d: Desired, o: Observed, now: number): HealthAction[] {
  if (d.state.suspended.includes('HealthCheck')) return [];
  const out: HealthAction[] = [];
  for (const r of d.state.instances) {
    if (!r.launched || r.terminating || r.healthStatus === 'Unhealthy' || r.lifecycleState === 'Standby') continue;
    if (o.busy.has(r.instanceId)) continue;
    const verdict = check(r, o.instances.get(r.instanceId), o, d, now);
    if (verdict) out.push(verdict);
  }
  return out;
}

function check(r: InstanceRecord, obs: InstanceObservation | undefined, o: Observed, d: Desired, now: number): HealthAction | undefined {
  const id = r.instanceId;
  const unhealthy = (reason: string, c: string, bootFailure = false): HealthAction => ({
    kind: 'markUnhealthy', instanceId: id, reason, cause: c, countsAsFailure: !r.proven, bootFailure,
  });
  if (!obs) return unhealthy('The instance no longer exists (its provider does not know it)', cause.stopped(now));
  if (obs.state === 'stopped' || obs.state === 'terminated') {
    const why = obs.impairedReason ?? `Instance is ${obs.state}`;
    const boot = obs.bootStatus === 'failed';
    return unhealthy(boot ? `${why} (shoal logs ${id} --boot)` : why, cause.stopped(now), boot);
  }
  const inGrace = now < r.launchedAt + d.spec.healthCheckGracePeriod * 1000;
  if (inGrace && !proofDue(r, obs, o, d, now)) return undefined;
  if (!inGrace && obs.impairedReason) return unhealthy(obs.impairedReason, cause.impaired(now), obs.bootStatus === 'failed');
  const elb = d.spec.healthCheckType === 'ELB' && d.spec.targetGroups.length > 0;
  const failing = elb && r.registered ? (o.targets.get(id) ?? []).find((t) => t.state === 'unhealthy') : undefined;
  if (!inGrace && failing) {
    return unhealthy(`Target group ${failing.group}: ${failing.description ?? 'health checks failed'}`, cause.elb(now));
  }
  if (!r.proven && proofDue(r, obs, o, d, now)) {
    return { kind: 'markProven', instanceId: id, reason: elb ? 'healthy in all its target groups' : 'booted and running' };
  }
  return undefined;
}

function proofDue(r: InstanceRecord, obs: InstanceObservation, o: Observed, d: Desired, now: number): boolean {
  if (r.proven || obs.state !== 'running' || obs.impairedReason) return false;
  if (d.spec.healthCheckType === 'ELB' && d.spec.targetGroups.length > 0) {
    const states = o.targets.get(r.instanceId) ?? [];
    return r.registered && states.length === d.spec.targetGroups.length && states.every((t) => t.state === 'healthy');
  }
  return obs.bootStatus === 'succeeded' && now >= r.launchedAt + Math.min(d.spec.healthCheckGracePeriod * 1000, EC2_PROOF_MS);
}
