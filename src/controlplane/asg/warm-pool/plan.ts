/**
 * The warm pool's part of a pass (pure). Capacity's launches are served from
 * the pool first (ready members, then ones still booting), the rest launch
 * fresh; scale-in sends instances back to the pool when reuseOnScaleIn is on;
 * booted members are frozen (Stopped) or left running (Running); the pool is
 * refilled to its size, trimmed above it, and members on another template
 * than the group's are replaced.
 */
import { paused } from '../backoff.js';
import { iso } from '../causes.js';
import type { Action, Desired, Observed } from '../plan-types.js';
import { counts, type InstanceRecord } from '../types.js';
import { availableZones, chooseZones, countByZone } from '../zones.js';
import { isWarm, isWarmReady, poolTarget } from './types.js';

type Launch = Extract<Action, { kind: 'launch' }>;
type Terminate = Extract<Action, { kind: 'startTerminate' }>;

const current = (d: Desired, r: InstanceRecord) => r.templateName === d.spec.templateName && r.templateVersion === d.spec.templateVersion;

/** Replaces capacity's launches with instances from the pool where it can (ready ones first, same zone first). */
export function serveFromPool(d: Desired, o: Observed, launches: readonly Launch[], now: number): Action[] {
  if (!d.state.warmPool) return [...launches];
  const usable = (r: InstanceRecord) => !r.terminating && r.healthStatus === 'Healthy' && r.launched && !o.busy.has(r.instanceId) && current(d, r)
    && (isWarmReady(r) || r.lifecycleState === 'Warmed:Pending');
  const pool = d.state.instances.filter(usable).sort((a, b) => Number(isWarmReady(b)) - Number(isWarmReady(a)));
  return launches.map((l): Action => {
    if (l.warm) return l;
    const i = pool.findIndex((r) => r.availabilityZone === l.zone && isWarmReady(r));
    const at = i >= 0 ? i : pool.length > 0 ? 0 : -1;
    if (at < 0) return l;
    const [r] = pool.splice(at, 1);
    return {
      kind: 'fromWarmPool', instanceId: r!.instanceId, reason: `${l.reason}: taken from the warm pool (${r!.lifecycleState})`,
      cause: l.cause.includes('an instance was started') ? l.cause.replace('an instance was started', 'an instance was taken from the warm pool') : `${l.cause} At ${iso(now)} an instance was taken from the warm pool.`,
    };
  });
}

/** Scale-in terminations go back to the pool when reuseOnScaleIn is on and the instance is on the group's template. */
export function reuseOnScaleIn(d: Desired, terms: readonly Terminate[]): Terminate[] {
  const w = d.state.warmPool;
  if (!w || w.deleting || !w.spec.instanceReusePolicy.reuseOnScaleIn) return [...terms];
  return terms.map((t) => {
    const r = d.state.instances.find((x) => x.instanceId === t.instanceId);
    return r && current(d, r) ? { ...t, toWarmPool: true, reason: `${t.reason}; back to the warm pool (reuseOnScaleIn)` } : t;
  });
}

/** What capacity does to the pool in this pass: members it takes, instances it sends back (reuseOnScaleIn). */
export interface PoolMoves {
  taken: ReadonlySet<string>;
  returning: number;
  /** Zones of the fresh launches capacity makes in this pass. */
  launching: readonly string[];
}

/** Freezing booted members, refilling and trimming the pool. */
export function planWarmPool(d: Desired, o: Observed, now: number, moves: PoolMoves): Action[] {
  const taken = moves.taken;
  const w = d.state.warmPool;
  if (!w) return [];
  const out: Action[] = [];
  const members = d.state.instances.filter((r) => isWarm(r) && !r.terminating && !taken.has(r.instanceId));
  const returning = d.state.instances.filter((r) => r.terminating?.toWarmPool).length + moves.returning;
  const to = w.spec.poolState === 'Stopped' ? 'Warmed:Stopped' : 'Warmed:Running';
  for (const r of members) {
    if (o.busy.has(r.instanceId) || r.healthStatus !== 'Healthy' || !r.launched) continue;
    const obs = o.instances.get(r.instanceId);
    const booted = obs?.state === 'running' && obs.bootStatus === 'succeeded' && obs.listening !== false;
    if ((r.lifecycleState === 'Warmed:Pending' && booted) || (isWarmReady(r) && r.lifecycleState !== to)) {
      out.push({ kind: 'warmReady', instanceId: r.instanceId, to, reason: r.lifecycleState === 'Warmed:Pending' ? 'booted and listening' : `pool state is now ${w.spec.poolState}` });
    }
  }
  const outdated = members.filter((r) => !current(d, r));
  const keep = members.filter((r) => current(d, r) && r.healthStatus === 'Healthy');
  const target = poolTarget(d.state);
  const surplus = [...keep].sort((a, b) => Number(isWarmReady(a)) - Number(isWarmReady(b)) || b.launchedAt - a.launchedAt)
    .slice(0, Math.max(0, keep.length + returning - target));
  for (const r of [...outdated, ...surplus]) {
    const why = outdated.includes(r) ? `on ${r.templateName} version ${r.templateVersion}, the group launches version ${d.spec.templateVersion}` : `the pool holds more than its size ${target}`;
    out.push({ kind: 'startTerminate', instanceId: r.instanceId, reason: `warm pool: ${why}`, cause: `At ${iso(now)} an instance was taken out of the warm pool: ${why}.` });
  }
  const missing = target - (keep.length - surplus.length) - returning;
  if (missing > 0 && !d.state.suspended.includes('Launch') && !paused(d.state.backoff, now)) {
    // Zones as if the pool were in service: a member then sits where the next scale-out wants one.
    const inService = d.state.instances.filter(counts).map((r) => r.availabilityZone);
    const byZone = countByZone(d.spec.zones, [...inService, ...moves.launching, ...keep.map((r) => r.availabilityZone)]);
    for (const zone of chooseZones(availableZones(d.spec.zones, o.impairedZones ?? new Map()), byZone, missing)) {
      out.push({
        kind: 'launch', zone, warm: true, reason: `warm pool ${keep.length - surplus.length + returning} < size ${target}`,
        cause: `At ${iso(now)} an instance was started in response to a difference between the desired and actual warm pool size, increasing it to ${target}.`,
      });
    }
  }
  return out;
}
