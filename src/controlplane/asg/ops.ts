/**
 * User operations on groups (the Auto Scaling API's actions), with AWS's
 * validation and messages. Each changes the group's state, records the
 * activity when AWS would, and asks for a pass; the plan does the rest.
 */
import { ShoalError, validationError } from '../../core/errors.js';
import { cause, iso } from './causes.js';
import type { GroupController } from './group.js';
import type { AutoScalingService } from './service.js';
import { PROCESSES, type InstanceRecord, type ProcessName } from './types.js';

export function groupOf(s: AutoScalingService, name: string): GroupController {
  const g = s.group(name);
  if (!g || g.deleting) throw validationError(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);
  return g;
}

export function memberOf(s: AutoScalingService, instanceId: string): { g: GroupController; r: InstanceRecord } {
  const g = s.owner(instanceId);
  const r = g?.find(instanceId);
  if (!g || !r) throw validationError(`Instance Id not found - No managed instance found for instance ID: ${instanceId}`);
  return { g, r };
}

function changeDesired(s: AutoScalingService, g: GroupController, to: number, text: string): void {
  g.state.desiredCapacity = to;
  g.state.lastCapacityChange = { text, consumed: false };
  g.persist();
  s.poke();
}

export function setDesiredCapacity(s: AutoScalingService, name: string, n: number): void {
  const g = groupOf(s, name);
  if (!Number.isInteger(n) || n < 0) throw validationError(`DesiredCapacity must be a whole number of at least 0 (got ${n})`);
  if (n > g.state.maxSize) throw validationError(`New SetDesiredCapacity value ${n} is above max value ${g.state.maxSize} for the AutoScalingGroup.`);
  if (n < g.state.minSize) throw validationError(`New SetDesiredCapacity value ${n} is below min value ${g.state.minSize} for the AutoScalingGroup.`);
  changeDesired(s, g, n, cause.setDesired(s.clockNow(), g.state.desiredCapacity, n));
}

/** UpdateAutoScalingGroup for the sizes. Desired follows min/max when it falls outside them and was not given. */
export function updateSizes(s: AutoScalingService, name: string, o: { minSize?: number; maxSize?: number; desiredCapacity?: number }): void {
  const g = groupOf(s, name);
  const min = o.minSize ?? g.state.minSize;
  const max = o.maxSize ?? g.state.maxSize;
  if (min > max) throw validationError(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  const desired = o.desiredCapacity ?? Math.min(max, Math.max(min, g.state.desiredCapacity));
  if (desired < min || desired > max) {
    throw validationError(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
  }
  const from = g.state.desiredCapacity;
  Object.assign(g.state, { minSize: min, maxSize: max });
  changeDesired(s, g, desired, cause.constraints(s.clockNow(), { minSize: min, maxSize: max, desiredCapacity: desired }, from));
}

function decrement(g: GroupController, by: number): void {
  const to = g.state.desiredCapacity - by;
  if (to < g.state.minSize) {
    throw validationError(`Decrementing the desired capacity by ${by} would set it to ${to}, below the group's min size ${g.state.minSize}. Lower the min size first, or do not decrement.`);
  }
  g.state.desiredCapacity = to;
}

/** TerminateInstanceInAutoScalingGroup. Without decrement, the group launches a replacement. */
export function terminateInstance(s: AutoScalingService, instanceId: string, shouldDecrement: boolean): InstanceRecord {
  const { g, r } = memberOf(s, instanceId);
  if (r.terminating) return r;
  const from = g.state.desiredCapacity;
  if (shouldDecrement) decrement(g, 1);
  const text = cause.userTerminate(s.clockNow(), instanceId, shouldDecrement ? { from, to: from - 1 } : undefined);
  g.exec.startTerminate(r, text);
  g.persist();
  s.poke();
  return r;
}

/**
 * SetInstanceHealth: Unhealthy takes the instance out of service (the plan
 * replaces it, as after a failed check); Healthy clears a mark not yet acted
 * on. With respectGracePeriod, an instance inside its grace period keeps its
 * status (AWS ignores the call then, without an error).
 */
export function setInstanceHealth(s: AutoScalingService, instanceId: string, status: string, respectGracePeriod = false): void {
  if (status !== 'Healthy' && status !== 'Unhealthy') throw validationError(`HealthStatus must be Healthy or Unhealthy (got ${status})`);
  const { g, r } = memberOf(s, instanceId);
  const now = s.clockNow();
  if (respectGracePeriod && now < r.launchedAt + g.spec.healthCheckGracePeriod * 1000) return;
  if (r.terminating || r.healthStatus === status) return;
  if (status === 'Healthy') {
    Object.assign(r, { healthStatus: 'Healthy' });
    delete r.unhealthyReason;
    delete r.unhealthyCause;
  } else {
    Object.assign(r, { healthStatus: 'Unhealthy', unhealthyReason: 'Set to Unhealthy by a user request (SetInstanceHealth)', unhealthyCause: cause.userHealth(now) });
  }
  g.persist();
  s.poke();
}

/** The group's tags that propagate at launch (CreateOrUpdateTags with PropagateAtLaunch): instances launched from now on carry them. */
export function setLaunchTags(s: AutoScalingService, name: string, tags: Record<string, string>): void {
  const g = groupOf(s, name);
  if (JSON.stringify(g.state.launchTags ?? {}) === JSON.stringify(tags)) return;
  if (Object.keys(tags).length > 0) g.state.launchTags = tags;
  else delete g.state.launchTags;
  g.persist();
}

export function setProtection(s: AutoScalingService, name: string, ids: string[], on: boolean): void {
  const g = groupOf(s, name);
  for (const id of ids) {
    const r = g.find(id);
    if (!r) throw validationError(`The instance ${id} is not part of Auto Scaling group ${name}.`);
    r.protectedFromScaleIn = on;
  }
  g.persist();
}

function inState(g: GroupController, id: string, state: InstanceRecord['lifecycleState']): InstanceRecord {
  const r = g.find(id);
  if (!r) throw validationError(`The instance ${id} is not part of Auto Scaling group ${g.state.name}.`);
  if (r.lifecycleState !== state || r.terminating) throw validationError(`The instance ${id} is not in ${state}.`);
  return r;
}

/** EnterStandby: out of the target groups and not counted; without decrement the group launches a replacement. */
export function enterStandby(s: AutoScalingService, name: string, ids: string[], shouldDecrement: boolean): void {
  const g = groupOf(s, name);
  const rs = ids.map((id) => inState(g, id, 'InService'));
  if (shouldDecrement) decrement(g, rs.length);
  for (const r of rs) {
    g.exec.deregister(r);
    r.lifecycleState = 'Standby';
    s.activities.record(g.state, {
      description: `Moving EC2 instance to Standby: ${r.instanceId}`,
      cause: `At ${iso(s.clockNow())} instance ${r.instanceId} was moved to standby in response to a user request${shouldDecrement ? `, shrinking the capacity from ${g.state.desiredCapacity + rs.length} to ${g.state.desiredCapacity}` : ''}.`,
    }, 'Successful');
  }
  g.persist();
  s.poke();
}

/** ExitStandby: back to Pending (registered again, then InService); desired grows by one each. */
export function exitStandby(s: AutoScalingService, name: string, ids: string[]): void {
  const g = groupOf(s, name);
  const rs = ids.map((id) => inState(g, id, 'Standby'));
  const to = g.state.desiredCapacity + rs.length;
  if (to > g.state.maxSize) throw validationError(`ExitStandby would raise the desired capacity to ${to}, above the group's max size ${g.state.maxSize}.`);
  g.state.desiredCapacity = to;
  for (const r of rs) {
    r.lifecycleState = 'Pending';
    s.activities.record(g.state, {
      description: `Moving EC2 instance out of Standby: ${r.instanceId}`,
      cause: `At ${iso(s.clockNow())} instance ${r.instanceId} was moved out of standby in response to a user request, increasing the capacity from ${to - rs.length} to ${to}.`,
    }, 'Successful');
  }
  g.persist();
  s.poke();
}

/** DetachInstances: out of the group and its target groups; the instance keeps running. */
export function detachInstances(s: AutoScalingService, name: string, ids: string[], shouldDecrement: boolean): void {
  const g = groupOf(s, name);
  const rs = ids.map((id) => {
    const r = g.find(id);
    if (!r || r.terminating) throw validationError(`The instance ${id} is not part of Auto Scaling group ${name}.`);
    return r;
  });
  if (shouldDecrement) decrement(g, rs.filter((r) => r.lifecycleState !== 'Standby').length);
  for (const r of rs) {
    g.exec.deregister(r);
    g.state.instances = g.state.instances.filter((x) => x !== r);
    s.activities.record(g.state, {
      description: `Detaching EC2 instance: ${r.instanceId}`,
      cause: `At ${iso(s.clockNow())} instance ${r.instanceId} was detached in response to a user request${shouldDecrement ? ', shrinking the capacity' : ''}.`,
    }, 'Successful');
  }
  g.persist();
  s.poke();
}

/** AttachInstances: running instances that belong to no group join this one; desired grows by one each. */
export async function attachInstances(s: AutoScalingService, name: string, ids: string[]): Promise<void> {
  const g = groupOf(s, name);
  const to = g.state.desiredCapacity + ids.length;
  if (to > g.state.maxSize) throw validationError(`Attaching ${ids.length} instance(s) to ${name} would raise its desired capacity to ${to}, above its max size ${g.state.maxSize}.`);
  const obs = await Promise.all(ids.map((id) => s.provider.describe(id)));
  obs.forEach((o, i) => {
    if (!o || o.state !== 'running') throw validationError(`Instance ${ids[i]} is not running.`);
    if (s.owner(o.instanceId)) throw validationError(`Instance ${o.instanceId} is already part of an Auto Scaling group.`);
  });
  g.state.desiredCapacity = to;
  for (const o of obs) {
    g.state.instances.push({
      instanceId: o!.instanceId, availabilityZone: o!.availabilityZone, lifecycleState: 'Pending', healthStatus: 'Healthy',
      launchedAt: o!.launchedAt, templateName: g.spec.launchTemplate.name, templateVersion: Number(o!.templateVersion) || 0,
      protectedFromScaleIn: false, launched: true, registered: false, proven: true, target: { id: o!.host, port: o!.port },
    });
    s.activities.record(g.state, {
      description: `Attaching an existing EC2 instance: ${o!.instanceId}`,
      cause: `At ${iso(s.clockNow())} a user request attached instance ${o!.instanceId}, increasing the capacity from ${to - ids.length} to ${to}.`,
    }, 'Successful');
  }
  g.persist();
  s.poke();
}

export function processNames(names: readonly string[] | undefined): ProcessName[] {
  if (!names || names.length === 0) return [...PROCESSES];
  for (const n of names) {
    if (!(PROCESSES as readonly string[]).includes(n)) throw validationError(`Unknown process '${n}'. Processes: ${PROCESSES.join(', ')}`);
  }
  return names as ProcessName[];
}

export function suspendProcesses(s: AutoScalingService, name: string, names?: string[]): void {
  const g = groupOf(s, name);
  g.state.suspended = [...new Set([...g.state.suspended, ...processNames(names)])];
  g.persist();
}

export function resumeProcesses(s: AutoScalingService, name: string, names?: string[]): void {
  const g = groupOf(s, name);
  const drop = new Set(processNames(names));
  g.state.suspended = g.state.suspended.filter((p) => !drop.has(p));
  g.persist();
  s.poke();
}

/** CompleteLifecycleAction, by instance id or token. */
export function completeLifecycleAction(s: AutoScalingService, o: { group: string; hook: string; instanceId?: string; token?: string; result: string }): void {
  const g = groupOf(s, o.group);
  if (o.result !== 'CONTINUE' && o.result !== 'ABANDON') throw validationError(`LifecycleActionResult must be CONTINUE or ABANDON (got ${o.result})`);
  const r = g.state.instances.find((x) => x.wait && x.wait.hook === o.hook && !x.wait.result && (x.instanceId === o.instanceId || x.wait.token === o.token));
  if (!r || !r.lifecycleState.endsWith(':Wait')) {
    throw validationError(`No active Lifecycle Action found with instance ID ${o.instanceId ?? '-'} / token ${o.token ?? '-'} for hook ${o.hook}`);
  }
  r.wait!.result = o.result;
  g.persist();
  s.poke();
}

/** RecordLifecycleActionHeartbeat: the wait starts over. */
export function recordHeartbeat(s: AutoScalingService, o: { group: string; hook: string; instanceId?: string; token?: string }): void {
  const g = groupOf(s, o.group);
  const r = g.state.instances.find((x) => x.wait && x.wait.hook === o.hook && (x.instanceId === o.instanceId || x.wait.token === o.token));
  if (!r?.wait || !r.lifecycleState.endsWith(':Wait')) throw new ShoalError('ValidationError', `No active Lifecycle Action found for hook ${o.hook}`);
  r.wait.deadline = s.clockNow() + r.wait.heartbeatTimeout * 1000;
  g.persist();
}
