/**
 * Executes the refresh's updates on the group's state: status changes get an
 * activity in the history, a rollback picks the instances to move back, and a
 * successful refresh with a desired configuration leaves the group on it.
 */
import type { ActivityLog } from '../activity.js';
import { iso } from '../causes.js';
import type { GroupState } from '../types.js';
import { counts } from '../types.js';
import { activeRefresh, ACTIVE, type InstanceRefresh, type RefreshUpdate } from './types.js';

export function applyRefresh(s: GroupState, u: RefreshUpdate, o: { activities: ActivityLog; now: number; configured: string }): void {
  const r = activeRefresh(s);
  if (!r) return;
  const was = r.status;
  Object.assign(r, u);
  for (const [k, v] of Object.entries(u)) if (v === undefined) delete (r as unknown as Record<string, unknown>)[k];
  if (u.status === 'RollbackInProgress' && was !== 'RollbackInProgress') startRollback(s, r, o.now);
  if (u.status === undefined || u.status === was) return;
  if (!ACTIVE.includes(r.status)) r.endTime = o.now;
  if (r.status === 'Successful' && r.desiredConfiguration) {
    s.launchTemplate = { name: r.desiredConfiguration.name, version: r.desiredConfiguration.version, configured: o.configured };
  }
  // The group stays on what it rolled back to, until its configured template changes.
  if (r.status === 'RollbackSuccessful') s.launchTemplate = { name: r.previous.name, version: r.previous.version, configured: o.configured };
  if (r.status === 'InProgress') return;
  o.activities.record(s, {
    description: `Instance refresh ${r.instanceRefreshId}: ${r.status}`,
    cause: `At ${iso(o.now)} instance refresh ${r.instanceRefreshId} went from ${was} to ${r.status}: ${r.statusReason ?? ''}`.trim(),
    details: { 'Percentage complete': String(r.percentageComplete), 'Launch template': `${r.target.name} version ${r.target.version}` },
  }, r.status.endsWith('Failed') ? 'Failed' : r.status === 'Cancelled' ? 'Cancelled' : 'Successful');
}

/**
 * Instances not on the previous template go back to it; checkpoints no longer
 * apply. The failures that stopped the refresh were the new template's: the
 * back-off starts over, so the rollback launches at once and is judged on its own.
 */
export function startRollback(s: GroupState, r: InstanceRefresh, now: number): void {
  s.backoff = { failures: 0 };
  const moved = s.instances.filter((x) => counts(x) && (x.templateName !== r.previous.name || x.templateVersion !== r.previous.version));
  Object.assign(r, {
    status: 'RollbackInProgress', toReplace: moved.map((x) => x.instanceId), total: moved.length,
    instancesToUpdate: moved.length, percentageComplete: 0,
  });
  delete r.checkpointAt;
  r.statusReason = `Rolling back${r.rollbackReason ? `: ${r.rollbackReason}` : ''} (${moved.length} instance(s) to move back to ${r.previous.name} version ${r.previous.version}, since ${iso(now)})`;
}
