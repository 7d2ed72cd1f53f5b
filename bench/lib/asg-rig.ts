/**
 * Shared by the Auto Scaling benches (scaling-latency, scaling-reaction): the
 * healthy targets of the group's target group, "settled" (one instance in
 * service and healthy, nothing draining, and with a warm pool one frozen pool
 * member), and the small number formatting of their reports.
 */
import { waitFor, type AsgDaemon } from '../../test/e2e/asg-support.js';

export interface SettleRig { name: string; s: AsgDaemon; warm: boolean }

export const healthyTargets = (s: AsgDaemon) => (s.daemon.control.describeTargetHealth('app') ?? []).filter((h) => h.targetHealth.state === 'healthy');

/** One instance in service and healthy, nothing draining, and (warm) a frozen pool member. */
export async function settled(r: SettleRig): Promise<void> {
  const g = r.s.asg.group('app')!;
  await waitFor(`${r.name} settled`, () => {
    const live = g.state.instances.filter((x) => !x.lifecycleState.startsWith('Warmed:'));
    const pool = g.state.instances.filter((x) => x.lifecycleState === 'Warmed:Stopped');
    return live.length === 1 && healthyTargets(r.s).length === 1 && (!r.warm || pool.length === 1) || undefined;
  }, 120_000);
}

/** Nearest-rank percentile. */
export const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
/** ms as seconds with two decimals. */
export const s1 = (ms: number) => (ms / 1000).toFixed(2);
