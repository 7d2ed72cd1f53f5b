/**
 * Moves instances along their lifecycle (pure), design.md "How an instance lives":
 *
 *   (launch) -> Pending [-> Pending:Wait] -> registered -> InService
 *   -> Terminating: deregistered, draining until the registry lets go of its
 *      targets (capped by the deregistration delay) [-> Terminating:Wait]
 *   -> stop (SIGTERM, SIGKILL after the stop timeout) -> gone from the group.
 *
 * A record whose launch call never returned (the daemon died during it) is
 * adopted if the provider knows the instance, else forgotten.
 */
import type { Action, Desired, HookSpec, Observed } from './plan-types.js';
import type { InstanceRecord } from './types.js';

type LifecycleAction = Extract<Action, { kind: 'adopt' | 'forget' | 'putInService' | 'register' | 'wait' | 'hookDone' | 'stop' | 'toWarmPool' }>;

export function planLifecycle(d: Desired, o: Observed, now: number): LifecycleAction[] {
  const out: LifecycleAction[] = [];
  for (const r of d.state.instances) {
    if (o.busy.has(r.instanceId)) continue;
    const a = step(r, d, o, now);
    if (a) out.push(a);
  }
  return out;
}

function nextHook(r: InstanceRecord, d: Desired, transition: HookSpec['transition']): HookSpec | undefined {
  const done = r.wait?.transition === transition ? r.wait.done : [];
  return d.spec.hooks.find((h) => h.transition === transition && !done.includes(h.name));
}

function step(r: InstanceRecord, d: Desired, o: Observed, now: number): LifecycleAction | undefined {
  const id = r.instanceId;
  const obs = o.instances.get(id);
  if (!r.launched) {
    return obs ? { kind: 'adopt', instanceId: id, reason: 'the provider has it: its launch completed while shoal was down' }
      : { kind: 'forget', instanceId: id, reason: 'its launch never reached the provider' };
  }
  if (r.terminating) return terminatingStep(r, d, o, now);
  if (r.lifecycleState.endsWith(':Wait')) return waitStep(r, now);
  if (r.healthStatus !== 'Healthy' || obs?.state !== 'running') return undefined;
  const addToLb = d.spec.targetGroups.length > 0 && !d.state.suspended.includes('AddToLoadBalancer');
  if (r.lifecycleState === 'Pending') {
    const hook = nextHook(r, d, 'autoscaling:EC2_INSTANCE_LAUNCHING');
    if (hook) return { kind: 'wait', instanceId: id, hook: hook.name, reason: `lifecycle hook ${hook.name} on launch` };
    return { kind: 'putInService', instanceId: id, register: addToLb, reason: addToLb ? `registering in ${d.spec.targetGroups.join(', ')}` : 'no target groups to register in' };
  }
  if (r.lifecycleState === 'InService' && addToLb && !r.registered) {
    return { kind: 'register', instanceId: id, reason: 'AddToLoadBalancer is active and the instance is not registered' };
  }
  return undefined;
}

function waitStep(r: InstanceRecord, now: number): LifecycleAction | undefined {
  const w = r.wait;
  if (!w) return undefined;
  if (w.result) return { kind: 'hookDone', instanceId: r.instanceId, result: w.result, reason: `lifecycle action completed with ${w.result}` };
  if (now >= w.deadline) {
    return { kind: 'hookDone', instanceId: r.instanceId, result: w.defaultResult, reason: `heartbeat timeout of ${w.heartbeatTimeout} s ran out: default result ${w.defaultResult}` };
  }
  return undefined;
}

function terminatingStep(r: InstanceRecord, d: Desired, o: Observed, now: number): LifecycleAction | undefined {
  const t = r.terminating!;
  if (r.lifecycleState === 'Terminating:Wait') return waitStep(r, now);
  if (t.stopping) return { kind: 'stop', instanceId: r.instanceId, reason: 'resuming a stop begun before a restart' };
  const drained = !o.draining.has(r.instanceId) || (t.drainDeadline !== undefined && now >= t.drainDeadline);
  if (!drained) return undefined;
  if (t.toWarmPool && o.instances.get(r.instanceId)?.state === 'running') {
    return { kind: 'toWarmPool', instanceId: r.instanceId, reason: 'drained; reuseOnScaleIn returns it to the warm pool' };
  }
  const hook = nextHook(r, d, 'autoscaling:EC2_INSTANCE_TERMINATING');
  if (hook && r.launched && o.instances.get(r.instanceId)?.state === 'running') {
    return { kind: 'wait', instanceId: r.instanceId, hook: hook.name, reason: `lifecycle hook ${hook.name} on termination` };
  }
  const why = o.draining.has(r.instanceId) ? 'the deregistration delay ran out' : 'its targets finished draining';
  return { kind: 'stop', instanceId: r.instanceId, reason: why };
}
