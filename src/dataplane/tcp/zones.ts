/**
 * Cross-zone load balancing off (a network load balancer's default, as AWS):
 * on AWS each zone's load balancer node sends only to targets in its zone,
 * and DNS spreads clients evenly over the nodes. shoal is one node, so it
 * makes the same shares itself: new connections go round robin over the
 * zones that have candidates, then to a target of that zone by the group's
 * algorithm (one balancer per zone, so each zone keeps its own rotation).
 * A zone of 1 target next to a zone of 3 so gets half the connections, as
 * on AWS; with cross-zone on it would get a quarter.
 *
 * Targets with no zone count as one zone of their own ('').
 */
import { isAvoided, wrap, type Balancer, type SlowStartTarget, type Upstream } from '../balancer/balancer.js';

export interface Zone<T extends Upstream = Upstream> {
  readonly name: string;
  readonly members: readonly T[];
}

/** The candidates by zone, zones in name order (stable across snapshots). Called when candidates change, not per connection. */
export function groupByZone<T extends Upstream>(candidates: readonly T[], zoneOf: (t: T) => string): Zone<T>[] {
  const by = new Map<string, T[]>();
  for (const c of candidates) {
    const z = zoneOf(c);
    let list = by.get(z);
    if (list === undefined) by.set(z, (list = []));
    list.push(c);
  }
  return [...by.keys()].sort().map((name) => ({ name, members: by.get(name)! }));
}

export class ZoneSpread {
  private turn: number;
  private readonly inZone = new Map<string, Balancer>();

  /** `make` builds a zone's balancer (the group's algorithm); `start` offsets the zone rotation between workers. */
  constructor(private readonly make: () => Balancer, start = 0) {
    this.turn = Math.max(0, Math.floor(start));
  }

  /**
   * The next zone in turn that has a target other than `avoid`, and a target
   * of it. A zone whose only target is avoided is passed over (the retry goes
   * to another zone, as a client would retry another node's address).
   */
  pick(zones: readonly Zone[], avoid?: Upstream): Upstream | undefined {
    const n = zones.length;
    for (let k = 0; k < n; k++) {
      const i = wrap(wrap(this.turn, n) + k, n);
      const z = zones[i]!;
      if (z.members.length === 1 && isAvoided(z.members[0]!, avoid)) continue;
      const u = this.balancer(z.name).pick(z.members, avoid);
      if (u !== undefined) {
        this.turn = i + 1;
        return u;
      }
    }
    return undefined;
  }

  setSlowStart(targets: readonly SlowStartTarget[], now: number): void {
    for (const b of this.inZone.values()) b.setSlowStart(targets, now);
  }

  tick(now: number): void {
    for (const b of this.inZone.values()) b.tick(now);
  }

  private balancer(zone: string): Balancer {
    let b = this.inZone.get(zone);
    if (b === undefined) this.inZone.set(zone, (b = this.make()));
    return b;
  }
}
