/**
 * Why a target group has no target that can take a request (none registered,
 * all draining, or what the Auto Scaling group meant to fill it is doing), so
 * the data plane's 503 can say so (issue 8). Snapshots carry it as each
 * group's `unserved` note.
 */
import type { TargetHealthState } from '../model/target-group.js';
import type { AutoScalingService } from './asg/service.js';
import { unservedReason } from './asg/unserved.js';

export interface UnservedInputs {
  groups: readonly string[];
  /** The health states of a target group's targets, draining ones included. */
  states(group: string): readonly TargetHealthState[];
  asg: AutoScalingService | undefined;
  now: number;
}

export function unservedReasons(o: UnservedInputs): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of o.groups) {
    const states = o.states(name);
    if (states.some((s) => s !== 'draining' && s !== 'unused')) continue;
    const filling = [...(o.asg?.groups.values() ?? [])].filter((g) => g.spec.targetGroups.includes(name));
    out.set(name, unservedReason(filling, o.now)
      ?? (states.length > 0 ? `every target of target group ${name} is draining` : `target group ${name} has no registered targets`));
  }
  return out;
}

/** A fingerprint of the reasons, to republish only when one changed. */
export function reasonsKey(reasons: ReadonlyMap<string, string>): string {
  return [...reasons].map(([g, r]) => `${g}\t${r}`).join('\n');
}
