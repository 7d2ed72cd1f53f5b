/**
 * Which instances scale-in removes (pure; table-tested in termination.test.ts).
 *
 * As on AWS, zones come first: an instance in a zone the group no longer lists,
 * else one in the zone with the most instances (ties: the zone later in the
 * group's list) that has an unprotected instance. Within that zone the group's
 * termination policies apply in order; a policy that cannot decide passes to
 * the next, and Default ends every list.
 *
 * Default = OldestLaunchTemplate, then ClosestToNextInstanceHour, then (shoal's
 * tiebreak where AWS picks at random) the oldest launch, then the instance id.
 * AllocationStrategy only matters for mixed-instance groups, which shoal does
 * not have: it passes to the next policy (so, Default).
 */
import type { TerminationPolicy } from '../../model/auto-scaling.js';

export interface Candidate {
  instanceId: string;
  availabilityZone: string;
  launchedAt: number;
  templateName: string;
  templateVersion: number;
  protectedFromScaleIn: boolean;
}

export interface RankContext {
  policies: readonly TerminationPolicy[];
  zones: readonly string[];
  current: { templateName: string; templateVersion: number };
  now: number;
}

type Compare = (a: Candidate, b: Candidate, ctx: RankContext) => number;

const HOUR = 3_600_000;
const untilNextHour = (c: Candidate, now: number): number => HOUR - ((now - c.launchedAt) % HOUR);
const outdated = (c: Candidate, ctx: RankContext): boolean =>
  c.templateName !== ctx.current.templateName || c.templateVersion !== ctx.current.templateVersion;

const oldestTemplate: Compare = (a, b, ctx) =>
  Number(outdated(b, ctx)) - Number(outdated(a, ctx)) || (outdated(a, ctx) ? a.templateVersion - b.templateVersion : 0);
const oldestInstance: Compare = (a, b) => a.launchedAt - b.launchedAt;
const closestToHour: Compare = (a, b, ctx) => untilNextHour(a, ctx.now) - untilNextHour(b, ctx.now);

const COMPARE: Record<TerminationPolicy, Compare> = {
  Default: (a, b, ctx) => oldestTemplate(a, b, ctx) || closestToHour(a, b, ctx) || oldestInstance(a, b, ctx),
  AllocationStrategy: () => 0,
  OldestLaunchTemplate: oldestTemplate,
  OldestLaunchConfiguration: oldestTemplate,
  ClosestToNextInstanceHour: closestToHour,
  NewestInstance: (a, b) => b.launchedAt - a.launchedAt,
  OldestInstance: oldestInstance,
};

/** Orders candidates of one zone: the first is terminated first. */
export function rankInZone(candidates: readonly Candidate[], ctx: RankContext): Candidate[] {
  const policies: TerminationPolicy[] = [...ctx.policies, 'Default'];
  return [...candidates].sort((a, b) => {
    for (const p of policies) {
      const r = COMPARE[p](a, b, ctx);
      if (r !== 0) return r;
    }
    return a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0;
  });
}

/** The zone scale-in takes from next, among zones that hold an unprotected instance. */
export function zoneToShrink(all: readonly Candidate[], ctx: RankContext): string | undefined {
  const open = new Set(all.filter((c) => !c.protectedFromScaleIn).map((c) => c.availabilityZone));
  const stray = [...open].find((z) => !ctx.zones.includes(z));
  if (stray !== undefined) return stray;
  let best: string | undefined;
  let bestCount = -1;
  for (const z of ctx.zones) {
    if (!open.has(z)) continue;
    const n = all.filter((c) => c.availabilityZone === z).length;
    if (n >= bestCount) {
      best = z;
      bestCount = n;
    }
  }
  return best;
}

/** Picks `count` instances to terminate, one at a time (zones are recounted after each pick). */
export function pickForTermination(all: readonly Candidate[], count: number, ctx: RankContext): Candidate[] {
  const pool = [...all];
  const out: Candidate[] = [];
  while (out.length < count) {
    const zone = zoneToShrink(pool, ctx);
    if (zone === undefined) break;
    const pick = rankInZone(pool.filter((c) => c.availabilityZone === zone && !c.protectedFromScaleIn), ctx)[0]!;
    out.push(pick);
    pool.splice(pool.indexOf(pick), 1);
  }
  return out;
}
