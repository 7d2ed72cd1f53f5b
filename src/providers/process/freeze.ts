/**
 * Warm pools' Warmed:Stopped on the process provider: SIGSTOP to the instance's
 * process group freezes every process in it (memory, sockets and address kept;
 * no CPU). SIGCONT thaws it. The kernel still completes TCP handshakes on a
 * frozen listener's backlog, so a frozen instance must not be registered in a
 * target group (the ASG deregisters before freezing and registers after thawing).
 * Processes that left the group (setsid) are not frozen: the same limit as terminate().
 */
import { ShoalError, notFound } from '../../core/errors.js';
import { INCORRECT_INSTANCE_STATE, INSTANCE_NOT_FOUND } from '../provider.js';
import type { InstanceMeta } from './meta.js';
import { killGroup } from './stop.js';

/** Sets the frozen flag and signals the group; returns whether meta changed (to be written). */
export function setFrozen(instanceId: string, meta: InstanceMeta | undefined, frozen: boolean): boolean {
  if (!meta) throw notFound(INSTANCE_NOT_FOUND, `The instance ID '${instanceId}' does not exist`);
  if (meta.state !== 'running') {
    throw new ShoalError(INCORRECT_INSTANCE_STATE, `The instance '${instanceId}' is not in a state from which it can be ${frozen ? 'frozen' : 'thawed'} (it is ${meta.state})`);
  }
  killGroup(meta.pid, frozen ? 'SIGSTOP' : 'SIGCONT');
  if ((meta.frozen ?? false) === frozen) return false;
  if (frozen) meta.frozen = true;
  else delete meta.frozen;
  return true;
}

/** A frozen group keeps a SIGTERM pending until it runs again: wake it so it can exit. */
export function wakeToStop(meta: InstanceMeta): void {
  if (!meta.frozen) return;
  killGroup(meta.pid, 'SIGCONT');
  delete meta.frozen;
}
