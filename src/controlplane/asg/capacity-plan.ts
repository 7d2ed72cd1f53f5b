/**
 * Capacity (pure): launches when the group counts fewer instances than desired
 * (Pending and InService, healthy, not terminating: what AWS counts), picks
 * instances to terminate when it counts more, and launches one instance in a
 * short zone when zones are out of balance (AZRebalance: launch first; the
 * next pass then scales in from the long zone). While a zone is impaired
 * (its engine does not answer), launches go to the group's other zones and
 * AZRebalance waits: once the zone is back, rebalancing moves its share back.
 */
import { paused } from './backoff.js';
import { cause } from './causes.js';
import type { Action, Desired } from './plan-types.js';
import { pickForTermination } from './termination.js';
import { counts, type Backoff, type InstanceRecord } from './types.js';
import { isWarmReady } from './warm-pool/types.js';
import { availableZones, chooseZones, countByZone, rebalanceZone } from './zones.js';

type CapacityAction = Extract<Action, { kind: 'launch' | 'startTerminate' }>;

/** What an instance refresh changes: capacity runs `want` (desired + its surge); its launches quote the refresh. */
export interface CapacityOverride {
  want: number;
  launchCause?: (from: number, to: number) => string;
}

/** The group's instances as this pass sees them, its back-off, and the zones that cannot take launches now. */
export interface CapacityView {
  instances: readonly InstanceRecord[];
  backoff: Backoff;
  impaired: ReadonlyMap<string, string>;
}

export function planCapacity(d: Desired, v: CapacityView, now: number, over?: CapacityOverride): CapacityAction[] {
  const { instances, backoff, impaired } = v;
  const live = instances.filter(counts);
  const n = live.length;
  const want = over?.want ?? d.state.desiredCapacity;
  const suspended = (p: string) => d.state.suspended.includes(p as never);
  const byZone = countByZone(d.spec.zones, live.map((r) => r.availabilityZone));
  const prefix = d.state.lastCapacityChange && !d.state.lastCapacityChange.consumed ? d.state.lastCapacityChange.text + ' ' : '';
  if (n < want) {
    if (suspended('Launch') || paused(backoff, now)) return [];
    const down = d.spec.zones.filter((z) => impaired.has(z));
    const elsewhere = down.length > 0 ? ` (${down.map((z) => `${z} unavailable: ${impaired.get(z)}`).join('; ')})` : '';
    return chooseZones(availableZones(d.spec.zones, impaired), byZone, want - n).map((zone) => ({
      kind: 'launch', zone, reason: `capacity ${n} < desired ${want}${elsewhere}`,
      cause: over?.launchCause && !prefix ? over.launchCause(n, want) : prefix + cause.launch(now, n, want),
    }));
  }
  if (n > want) {
    if (suspended('Terminate')) return [];
    const candidates = live.filter((r) => r.lifecycleState === 'InService' || r.lifecycleState === 'Pending');
    const picks = pickForTermination(candidates, n - want, {
      policies: d.spec.terminationPolicies, zones: d.spec.zones, now,
      current: { templateName: d.spec.templateName, templateVersion: d.spec.templateVersion },
    });
    return picks.map((c, i) => ({
      kind: 'startTerminate', instanceId: c.instanceId, reason: `capacity ${n - i} > desired ${want}`,
      cause: prefix + cause.scaleIn(now, n - i, n - i - 1, c.instanceId),
    }));
  }
  const settling = instances.some((r) => r.lifecycleState !== 'InService' && r.lifecycleState !== 'Standby' && !isWarmReady(r));
  if (settling || suspended('AZRebalance') || suspended('Launch') || suspended('Terminate') || paused(backoff, now)) return [];
  if (d.spec.zones.some((z) => impaired.has(z))) return [];
  const zone = rebalanceZone(d.spec.zones, byZone);
  return zone ? [{ kind: 'launch', zone, reason: `AZRebalance: ${zone} is short`, cause: cause.rebalanceLaunch(now) }] : [];
}
