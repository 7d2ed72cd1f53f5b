/**
 * Weighted choice among a forward action's target groups (ALB's weighted
 * target groups). A group with weight 0 is never chosen. Validation requires
 * at least one weight > 0; if none is, the first group is chosen rather than
 * failing the request. Called per request: no allocation.
 */
import type { Random } from '../../core/random.js';
import type { ForwardAction } from '../../model/load-balancer.js';

export function pickTargetGroup(action: ForwardAction, random: Random): string {
  const groups = action.targetGroups;
  // One group (the common case): no draw, so a single-group config consumes no randomness.
  if (groups.length === 1) return groups[0]!.targetGroup;
  let total = 0;
  for (let i = 0; i < groups.length; i++) total += Math.max(0, groups[i]!.weight);
  if (total <= 0) return groups[0]!.targetGroup;
  let r = random.next() * total;
  for (let i = 0; i < groups.length; i++) {
    const w = Math.max(0, groups[i]!.weight);
    if (w === 0) continue;
    if (r < w) return groups[i]!.targetGroup;
    r -= w;
  }
  // Float rounding can leave r == remaining weight; the last positive-weight group owns that edge.
  for (let i = groups.length - 1; i >= 0; i--) if (groups[i]!.weight > 0) return groups[i]!.targetGroup;
  return groups[0]!.targetGroup;
}
