/**
 * Why a target group has no target that can take a request, when an Auto
 * Scaling group is meant to fill it: the data plane's 503 says this in its
 * body and in `x-shoal-reason` (issue 8), where AWS answers a bare 503.
 *
 * API
 *   unservedReason(groups, now) -> string | undefined
 *     `groups`: the Auto Scaling groups attached to the target group. The
 *     first that explains itself wins: launches paused by the crash-loop
 *     back-off (with the `shoal logs ... --boot` command), suspended launches,
 *     desired capacity 0, instances still booting, or capacity converging.
 */
import { paused, pauseMessage } from './backoff.js';
import type { GroupController } from './group.js';
import { statusLines } from './describe.js';

export function unservedReason(groups: readonly GroupController[], now: number): string | undefined {
  for (const g of groups) {
    const s = g.state;
    const name = `Auto Scaling group ${g.spec.name}`;
    if (paused(s.backoff, now)) return `${name}: ${pauseMessage(s.backoff)}`;
    if (s.suspended.includes('Launch')) return `${name}: the Launch process is suspended (shoal resume-processes ${g.spec.name})`;
    if (s.desiredCapacity === 0) return `${name} has a desired capacity of 0`;
    const booting = s.instances.filter((r) => r.lifecycleState === 'Pending' || r.lifecycleState === 'Pending:Wait');
    if (booting.length > 0) {
      const first = booting[0]!.instanceId;
      return `${name}: ${booting.length} instance(s) still launching (${first} is ${booting[0]!.lifecycleState}; see shoal logs ${first} --boot)`;
    }
    const lines = statusLines(g, now);
    if (lines.length > 0) return `${name}: ${lines.join('; ')}`;
  }
  return undefined;
}
