/**
 * Instance refresh (StartInstanceRefresh and friends) as the group's state
 * keeps it: the preferences as given (defaults filled in), the resolved
 * template versions it moves between, and the progress the plan observed.
 */
import type { LaunchTemplateVersionRef } from '../../../model/auto-scaling.js';
import type { GroupState } from '../types.js';

export type RefreshStatus =
  | 'Pending' | 'InProgress' | 'Successful' | 'Failed' | 'Cancelling' | 'Cancelled'
  | 'RollbackInProgress' | 'RollbackSuccessful' | 'RollbackFailed';

/** AWS's RefreshPreferences (the subset shoal implements; see docs/instance-refresh.md). */
export interface RefreshPreferences {
  /** Percent of desired capacity that stays InService, healthy and warm. Default 90. */
  minHealthyPercentage: number;
  /** Percent of desired capacity the group may grow to; above 100 launches before it terminates. Default 100. */
  maxHealthyPercentage: number;
  /** Seconds after launch before a new instance counts as warm (it must also pass its health checks). Default: the group's health check grace period. */
  instanceWarmup: number;
  checkpointPercentages: number[];
  /** Seconds to wait at each checkpoint. Default 3600. */
  checkpointDelay: number;
  skipMatching: boolean;
  autoRollback: boolean;
  /** Alarms that fail (or, with autoRollback, roll back) the refresh when one is in ALARM. */
  alarms: string[];
  /**
   * An ECS deployment's circuit breaker (not an AWS Auto Scaling field): on,
   * the refresh fails (or rolls back) once `threshold` new instances in a row
   * failed before passing their health checks; off, failing new instances never
   * stop it. Absent: AWS Auto Scaling's rule (launches paused by failures stop it).
   */
  circuitBreaker?: { enabled: boolean; threshold: number };
}

/** A launch template version, resolved to its number. */
export interface TemplateRef {
  name: string;
  version: number;
}

export interface InstanceRefresh {
  instanceRefreshId: string;
  status: RefreshStatus;
  statusReason?: string;
  startTime: number;
  endTime?: number;
  percentageComplete: number;
  /** Instances still to replace (AWS InstancesToUpdate). */
  instancesToUpdate: number;
  preferences: RefreshPreferences;
  /** As given (AWS DesiredConfiguration.LaunchTemplate); absent: the group's own template. */
  desiredConfiguration?: { name: string; version: LaunchTemplateVersionRef };
  /** Where the refresh moves instances to, and where a rollback moves them back to. */
  target: TemplateRef;
  previous: TemplateRef;
  /** Ids chosen for replacement at the start (or at rollback). */
  toReplace: string[];
  total: number;
  /** Checkpoints passed, and the latest one reached (waiting until reachedAt + checkpointDelay). */
  checkpointsDone: number[];
  checkpointAt?: number;
  rollbackReason?: string;
}

export const ACTIVE: readonly RefreshStatus[] = ['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress'];

/** Refresh state lives on the group (newest first; terminal ones kept for describe, capped). */
export interface RefreshHolder {
  refreshes?: InstanceRefresh[];
}

export const KEEP_REFRESHES = 20;

export function activeRefresh(s: GroupState): InstanceRefresh | undefined {
  const r = s.refreshes?.[0];
  return r && ACTIVE.includes(r.status) ? r : undefined;
}

/** A patch to the active refresh, applied by the executor. */
export type RefreshUpdate = Partial<Pick<InstanceRefresh,
  'status' | 'statusReason' | 'percentageComplete' | 'instancesToUpdate' | 'toReplace' | 'total' | 'checkpointsDone' | 'checkpointAt' | 'rollbackReason'>>;

export const TERMINAL_ROLLBACK: Record<string, RefreshStatus> = { Successful: 'RollbackSuccessful', Failed: 'RollbackFailed' };
