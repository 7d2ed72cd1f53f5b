import type { InstanceObservation } from '../provider.js';
import type { InstanceMeta } from './meta.js';
import type { ProcStat } from './proc.js';

/**
 * The process provider's status check, as a function of what /proc shows.
 *
 * Boot ends (and the console splits into boot log and app log) at the first of:
 * - the boot script exits: status 0 -> succeeded; otherwise failed, with the
 *   impairment "boot script exited with status N";
 * - the boot script process exec's another program (`exec node server.js`):
 *   the script has handed over to the app -> succeeded;
 * - something listens on the instance's host:port (an app started in the
 *   foreground or by `npm start`) -> succeeded.
 * A foreground process that never listens keeps the boot running; that is not
 * an impairment by itself.
 *
 * The instance stops by itself (state `stopped`) when its process group is empty.
 */
export interface ProcView {
  /** Living members of the instance's process group. */
  members: readonly ProcStat[];
  listening: boolean;
  /** The boot script process now runs another program (it exec'd its app). */
  handedOver: boolean;
  /** Console stream end now (where boot output ends if boot ends now). */
  consoleEnd: number;
  /** This daemon spawned the process and its exit event has not arrived yet. */
  awaitingExit: boolean;
  /** This provider has seen the instance alive (false on the first look after adoption). */
  seenAlive: boolean;
}

function describeExit(exit: NonNullable<InstanceMeta['exit']>): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with status ${exit.code}`;
}

/** Moves meta forward; returns whether it changed. Only for instances in state `running`. */
export function advance(meta: InstanceMeta, view: ProcView, now: number): boolean {
  if (meta.state !== 'running') return false;
  let changed = false;
  let scriptJustFinished = false;
  const leaderAlive = view.members.some((p) => p.pid === meta.pid);
  if (meta.bootStatus === 'running') {
    let outcome: 'succeeded' | 'failed' | undefined;
    if (meta.exit) {
      outcome = meta.exit.code === 0 ? 'succeeded' : 'failed';
      scriptJustFinished = outcome === 'succeeded';
      if (outcome === 'failed') meta.impairedReason = `Boot script ${describeExit(meta.exit)}; see the boot log`;
    } else if (leaderAlive && view.handedOver) {
      outcome = 'succeeded';
    } else if (view.listening) {
      outcome = 'succeeded';
    } else if (!leaderAlive && !view.awaitingExit) {
      outcome = 'failed';
      meta.impairedReason = view.seenAlive
        ? 'Boot script ended (exit status unknown: shoal adopted this instance after a restart); see the boot log'
        : 'Boot script ended while shoal was down (exit status unknown); see the boot log';
    }
    if (outcome) {
      meta.bootStatus = outcome;
      meta.bootEnd = view.consoleEnd;
      changed = true;
    }
  }
  if (view.members.length === 0 && !view.awaitingExit) {
    meta.state = 'stopped';
    meta.endedAt = now;
    meta.impairedReason ??= scriptJustFinished
      ? 'Boot script finished and left no process running'
      : stopReason(meta, view);
    if (meta.bootEnd === undefined) meta.bootEnd = view.consoleEnd;
    changed = true;
  }
  return changed;
}

function stopReason(meta: InstanceMeta, view: ProcView): string {
  if (!view.seenAlive) return 'Instance process exited while shoal was down';
  if (meta.exit) return `Instance process ${describeExit(meta.exit)}; no process of the instance is left`;
  return 'No process of the instance is left (exit status unknown: adopted after a shoal restart)';
}

/** The observation of an instance (usage filled in by the caller). */
export function toObservation(meta: InstanceMeta, alive: boolean): InstanceObservation {
  const obs: InstanceObservation = {
    instanceId: meta.spec.instanceId,
    state: meta.state,
    privateIp: meta.privateIp,
    host: meta.host,
    port: meta.port,
    availabilityZone: meta.spec.availabilityZone,
    instanceType: meta.spec.instanceType,
    templateVersion: meta.spec.templateVersion,
    tags: { ...meta.spec.tags },
    bootStatus: meta.bootStatus,
    launchedAt: meta.launchedAt,
  };
  if (meta.impairedReason !== undefined) obs.impairedReason = meta.impairedReason;
  if (alive) obs.pid = meta.pid;
  if (meta.frozen && meta.state === 'running') obs.frozen = true;
  if (meta.endedAt !== undefined) obs.endedAt = meta.endedAt;
  return obs;
}
