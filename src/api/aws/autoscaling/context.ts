/**
 * What every Auto Scaling operation looks up: a group's record (owner, id,
 * tags, meta), its effective spec (the normalized config the controllers
 * run) and its runtime controller, with AWS's errors for an unknown group.
 */
import { ShoalError } from '../../../core/errors.js';
import type { AutoScalingGroup } from '../../../model/auto-scaling.js';
import type { ResourceRecord } from '../../../resources/records.js';
import type { AutoScalingService } from '../../../controlplane/asg/service.js';
import type { GroupController } from '../../../controlplane/asg/group.js';
import type { ScalingService } from '../../../controlplane/scaling/service.js';
import * as asgOps from '../../../controlplane/asg/ops.js';
import { awsError, validation } from '../common/op.js';
import { launchTags } from './tag-view.js';
import type { AutoScalingDeps } from './deps.js';

export const KIND = 'autoScalingGroups' as const;

/** AWS's words for a group that does not exist (UpdateAutoScalingGroup, SetDesiredCapacity, ...). */
export function groupNotFound(name: string): ShoalError {
  return validation(`AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);
}

export interface GroupRef {
  rec: ResourceRecord;
  spec: AutoScalingGroup;
  /** The running controller; undefined until the Auto Scaling service has the group. */
  g: GroupController | undefined;
}

export function findGroup(d: AutoScalingDeps, name: string): GroupRef | undefined {
  const rec = d.model.get(KIND, name);
  const spec = d.model.effective?.autoScalingGroups.find((s) => s.name === name);
  if (!rec || !spec) return undefined;
  const g = d.asg()?.group(name);
  return { rec, spec, g: g && !g.deleting ? g : undefined };
}

export function groupRef(d: AutoScalingDeps, name: unknown): GroupRef {
  if (typeof name !== 'string') throw groupNotFound(String(name));
  const ref = findGroup(d, name);
  if (!ref) throw groupNotFound(name);
  return ref;
}

/** Every group the model has, in the config's order. */
export function allGroups(d: AutoScalingDeps): GroupRef[] {
  return (d.model.effective?.autoScalingGroups ?? []).map((s) => findGroup(d, s.name)).filter((r): r is GroupRef => r !== undefined);
}

/** The running Auto Scaling service (runtime operations need it). */
export function service(d: AutoScalingDeps): AutoScalingService {
  const s = d.asg();
  if (!s) throw awsError('ServiceUnavailable', 'The Auto Scaling service is starting; retry in a moment.', 503);
  return s;
}

/** The group's controller, for runtime operations: it exists once the service has applied the group. */
export function controller(d: AutoScalingDeps, name: unknown): { ref: GroupRef; svc: AutoScalingService; g: GroupController } {
  const ref = groupRef(d, name);
  const svc = service(d);
  const g = ref.g ?? svc.group(ref.spec.name);
  if (!g || g.deleting) throw groupNotFound(ref.spec.name);
  return { ref, svc, g };
}

export function scaling(d: AutoScalingDeps): ScalingService | undefined {
  return d.scaling();
}

/** Model errors in Auto Scaling's words: a taken name is AlreadyExists, a missing record the group's not-found. */
export async function modelWrite<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof ShoalError && err.code === 'AlreadyExists') throw awsError('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`);
    if (err instanceof ShoalError && err.code === 'NotFound') throw groupNotFound(name);
    throw err;
  }
}

/** A config change refused by shoal where AWS would take it: say so, never succeed silently. */
export function unsupported(what: string): ShoalError {
  return validation(`${what} is not supported by shoal.`);
}

/** Hands the group's PropagateAtLaunch tags to its controller (new instances carry them). */
export function syncLaunchTags(d: AutoScalingDeps, name: string): void {
  const rec = d.model.get(KIND, name);
  const svc = d.asg();
  const g = svc?.group(name);
  if (rec && svc && g && !g.deleting) asgOps.setLaunchTags(svc, name, launchTags(rec));
}
