/**
 * Warm pools (PutWarmPool / DescribeWarmPool / DeleteWarmPool): pre-booted
 * instances kept beside the group, not counted in its capacity and not in its
 * target groups, taken first on scale-out. Their lifecycle states are AWS's:
 *
 *   (launch) -> Warmed:Pending -- booted, app listening --> Warmed:Stopped (frozen) | Warmed:Running
 *   scale-out takes one: thaw -> Pending -> registered -> InService
 *   scale-in with reuseOnScaleIn: drain -> Warmed:Pending -> Warmed:Stopped | Warmed:Running
 *   surplus, outdated or unhealthy: Warmed:Terminating -> gone
 */
import type { WarmPoolConfig } from '../../../model/auto-scaling.js';
import type { GroupState, InstanceRecord } from '../types.js';

export type PoolState = WarmPoolConfig['poolState'];

/** minSize, maxGroupPreparedCapacity (absent: the group's max size), poolState (Stopped = frozen), instanceReusePolicy. */
export type WarmPoolSpec = WarmPoolConfig;

export interface WarmPoolState {
  spec: WarmPoolSpec;
  /** DeleteWarmPool was called: the pool drains to nothing, then the state goes. */
  deleting?: boolean;
  /** The config file's warm pool when last applied (JSON), so a reload changes the pool only when the file did. */
  configured?: string;
}

export const WARM_STATES = ['Warmed:Pending', 'Warmed:Stopped', 'Warmed:Running', 'Warmed:Terminating'] as const;
export type WarmState = (typeof WARM_STATES)[number];

export function isWarm(r: InstanceRecord): boolean {
  return r.lifecycleState.startsWith('Warmed:');
}

/** Pool members that can serve a scale-out at once (booted; frozen or running). */
export function isWarmReady(r: InstanceRecord): boolean {
  return (r.lifecycleState === 'Warmed:Stopped' || r.lifecycleState === 'Warmed:Running') && r.healthStatus === 'Healthy' && !r.terminating;
}

/** How many instances the pool should hold: max(minSize, maxGroupPreparedCapacity - desired). */
export function poolTarget(s: GroupState): number {
  const w = s.warmPool;
  if (!w || w.deleting) return 0;
  const prepared = w.spec.maxGroupPreparedCapacity ?? s.maxSize;
  return Math.max(w.spec.minSize, prepared - s.desiredCapacity);
}

export const DEFAULT_WARM_POOL: WarmPoolSpec = { minSize: 0, poolState: 'Stopped', instanceReusePolicy: { reuseOnScaleIn: false } };
