/**
 * PutWarmPool, DescribeWarmPool and DeleteWarmPool, and the config file's
 * `warmPool` (applied at start and on reload only when the file changed it,
 * so a runtime PutWarmPool survives unrelated reloads).
 */
import { ShoalError, validationError } from '../../../core/errors.js';
import { instanceView } from '../describe.js';
import { groupOf } from '../ops.js';
import type { AutoScalingService } from '../service.js';
import type { GroupState } from '../types.js';
import { DEFAULT_WARM_POOL, isWarm, poolTarget, type WarmPoolSpec } from './types.js';

/** Applies the config's warm pool when it differs from what the file said last; returns whether state changed. */
export function syncWarmPool(s: GroupState, spec: WarmPoolSpec | undefined): boolean {
  const text = spec ? JSON.stringify(spec) : undefined;
  if (text === s.warmPool?.configured) return false;
  if (spec) s.warmPool = { spec, configured: text! };
  else s.warmPool = { spec: s.warmPool!.spec, deleting: true };
  return true;
}

export function warmPoolSpec(input: Partial<WarmPoolSpec>): WarmPoolSpec {
  const spec: WarmPoolSpec = { ...DEFAULT_WARM_POOL, ...input, instanceReusePolicy: { ...DEFAULT_WARM_POOL.instanceReusePolicy, ...input.instanceReusePolicy } };
  if (!Number.isInteger(spec.minSize) || spec.minSize < 0) throw validationError(`MinSize must be a whole number of at least 0 (got ${spec.minSize})`);
  const m = spec.maxGroupPreparedCapacity;
  if (m !== undefined && m !== -1 && (!Number.isInteger(m) || m < 0)) throw validationError(`MaxGroupPreparedCapacity must be a whole number of at least 0, or -1 for the group's max size (got ${m})`);
  if (m === -1) delete spec.maxGroupPreparedCapacity;
  if (spec.poolState !== 'Stopped' && spec.poolState !== 'Running') {
    throw validationError(`PoolState must be Stopped or Running (got ${String(spec.poolState)}); Hibernated is not supported by shoal`);
  }
  if (spec.maxGroupPreparedCapacity !== undefined && spec.maxGroupPreparedCapacity < spec.minSize) {
    throw validationError(`MaxGroupPreparedCapacity (${spec.maxGroupPreparedCapacity}) must be at least MinSize (${spec.minSize})`);
  }
  return spec;
}

export function putWarmPool(svc: AutoScalingService, group: string, input: Partial<WarmPoolSpec>): void {
  const g = groupOf(svc, group);
  const spec = warmPoolSpec(input);
  g.state.warmPool = { spec, ...(g.state.warmPool?.configured !== undefined ? { configured: g.state.warmPool.configured } : {}) };
  g.persist();
  svc.poke();
}

/** DeleteWarmPool: the pool empties (its instances terminate); with force, the state goes at once too. */
export function deleteWarmPool(svc: AutoScalingService, group: string): void {
  const g = groupOf(svc, group);
  if (!g.state.warmPool || g.state.warmPool.deleting) throw new ShoalError('ValidationError', `No warm pool found for Auto Scaling group ${group}`);
  g.state.warmPool.deleting = true;
  g.persist();
  svc.poke();
}

/** Drops a deleted pool's state once its last instance is gone (called after each pass). */
export function forgetDeletedPool(s: GroupState): boolean {
  if (!s.warmPool?.deleting || s.instances.some(isWarm)) return false;
  delete s.warmPool;
  return true;
}

export function describeWarmPool(svc: AutoScalingService, group: string): Record<string, unknown> {
  const g = groupOf(svc, group);
  const w = g.state.warmPool;
  const members = g.state.instances.filter(isWarm);
  return {
    WarmPoolConfiguration: w ? {
      MinSize: w.spec.minSize, MaxGroupPreparedCapacity: w.spec.maxGroupPreparedCapacity ?? -1, PoolState: w.spec.poolState,
      InstanceReusePolicy: { ReuseOnScaleIn: w.spec.instanceReusePolicy.reuseOnScaleIn }, Status: w.deleting ? 'PendingDelete' : undefined,
      PoolSize: poolTarget(g.state),
    } : undefined,
    Instances: members.map((r) => instanceView(r, svc.observed.get(r.instanceId))),
  };
}
