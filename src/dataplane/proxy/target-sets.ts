/**
 * The routable view of each target group, rebuilt on every snapshot and on a
 * passive failure. Selection only asks "which targets can take a request";
 * the balancer picks among them.
 */
import type { Random } from '../../core/random.js';
import type { Algorithm } from '../../model/target-group.js';
import { createBalancer, type Balancer } from '../balancer/index.js';
import type { Snapshot, TargetGroupSnapshot } from '../snapshot.js';
import { UpstreamTarget } from './upstream.js';
import { GroupStickiness, StickyPolicy } from '../sticky/policy.js';
import { groupByZone, ZoneSpread, type Zone } from '../tcp/zones.js';
import { StickyTokens } from '../sticky/tokens.js';

export class GroupRuntime {
  readonly name: string;
  readonly algorithm: Algorithm;
  readonly balancer: Balancer;
  /** Targets that take new requests: healthy ones, or all registered ones when none is healthy (fail open). */
  candidates: UpstreamTarget[] = [];
  /** Registered and not draining. */
  members: UpstreamTarget[] = [];
  /** Why no target can take a request, from the control plane (the 503 says it); undefined when it did not say. */
  unserved: string | undefined;
  /** Sticky sessions (sticky/policy.ts); null when off, and for source_ip stickiness (sourceSticky). */
  sticky: StickyPolicy | null = null;
  /** Network groups (tcp/flow.ts): stickiness by client address; PROXY v2; the client's address kept; termination on deregistration. */
  sourceSticky = false;
  proxyProtocolV2 = false;
  preserveClientIp = false;
  connectionTermination = false;
  /** Network groups with cross-zone load balancing off (tcp/zones.ts): the candidates by zone, and the zones' turns. */
  zones: Zone<UpstreamTarget>[] = [];
  /** Made on first use (no random draw for groups that never need it, so other seeded sequences stay as they were). */
  private spread: ZoneSpread | null = null;
  private readonly makeBalancer: () => Balancer;
  /** What the balancer was built for: a snapshot that changes it gets a new one. */
  readonly shape: string;

  constructor(snapshot: TargetGroupSnapshot, random: Random) {
    this.name = snapshot.name;
    this.algorithm = snapshot.algorithm;
    this.shape = shapeOf(snapshot);
    const options = { anomalyMitigation: snapshot.anomalyMitigation === true };
    this.balancer = createBalancer(snapshot.algorithm, random, options);
    this.makeBalancer = () => createBalancer(snapshot.algorithm, random, options);
    this.random = random;
  }

  private readonly random: Random;

  /** Cross-zone off (tcp/zones.ts): the zones' turns and a balancer per zone. */
  get zoneSpread(): ZoneSpread {
    this.spread ??= new ZoneSpread(this.makeBalancer, this.random.next() * 1024);
    return this.spread;
  }

  /** Slow start for the per-zone balancers too (the group's own one is set by the caller). */
  setZoneSlowStart(targets: TargetGroupSnapshot['targets'], now: number): void {
    this.spread?.setSlowStart(targets, now);
  }

  tickZones(now: number): void {
    this.spread?.tick(now);
  }

  /** The candidate a sticky cookie pins the request to, if it still is one. Sticky groups only. */
  pinned(cookieHeader: string | undefined): UpstreamTarget | undefined {
    const key = this.sticky!.pinned(cookieHeader);
    if (key === null) return undefined;
    for (const c of this.candidates) if (c.key === key) return c;
    return undefined;
  }

  recompute(): void {
    const healthy = this.members.filter((t) => !t.suspect && (t.state === 'healthy' || t.state === 'unavailable'));
    if (healthy.length > 0) this.candidates = healthy;
    else {
      // Fail open as ALB does: when no target is healthy, route to all registered ones,
      // preferring those not just seen refusing connections.
      const notSuspect = this.members.filter((t) => !t.suspect);
      this.candidates = notSuspect.length > 0 ? notSuspect : this.members.slice();
    }
    this.zones = groupByZone(this.candidates, (t) => t.zone);
  }
}

export class TargetSets {
  private readonly upstreams = new Map<string, UpstreamTarget>();
  private groups = new Map<string, GroupRuntime>();
  private readonly random: Random;

  constructor(random: Random) {
    this.random = random;
  }

  group(name: string): GroupRuntime | undefined {
    return this.groups.get(name);
  }

  /** Every upstream this worker knows, for in-flight reports. */
  all(): IterableIterator<UpstreamTarget> {
    return this.upstreams.values();
  }

  /** `now`: epoch ms, for slow-start weights. */
  apply(snapshot: Snapshot, now: number): void {
    const next = new Map<string, GroupRuntime>();
    const seen = new Set<string>();
    this.tokens(snapshot.stickySecret);
    for (const tg of Object.values(snapshot.targetGroups)) {
      const old = this.groups.get(tg.name);
      // Keep the balancer (its rotation, its anomaly table) across snapshots unless its algorithm or options changed.
      const group = old && old.shape === shapeOf(tg) ? old : new GroupRuntime(tg, this.random);
      group.members = [];
      group.unserved = tg.unserved;
      const bySource = tg.stickiness?.type === 'source_ip';
      group.sticky = tg.stickiness && !bySource ? new StickyPolicy(tg.name, tg.stickiness, this.tokens(snapshot.stickySecret)) : null;
      group.sourceSticky = bySource;
      group.proxyProtocolV2 = tg.proxyProtocolV2 === true;
      group.preserveClientIp = tg.preserveClientIp === true;
      group.connectionTermination = tg.connectionTermination === true;
      for (const t of tg.targets) {
        const u = this.upstream(t.key, t.host, t.port);
        u.tls = tg.protocol === 'HTTPS' || tg.protocol === 'TLS';
        u.state = t.state;
        u.zone = t.availabilityZone ?? '';
        u.suspect = false;
        seen.add(t.key);
        if (t.state !== 'draining' && t.state !== 'unused') group.members.push(u);
      }
      group.recompute();
      group.balancer.setSlowStart(tg.targets, now);
      group.setZoneSlowStart(tg.targets, now);
      next.set(tg.name, group);
    }
    this.groups = next;
    for (const [key, u] of this.upstreams) {
      if (!seen.has(key) && u.inflight === 0) {
        u.closeIdle();
        this.upstreams.delete(key);
      }
    }
  }

  private stickyTokens: StickyTokens | null = null;

  /** One cookie authenticator per secret (the secret does not change while the daemon runs). */
  tokens(secret: string): StickyTokens {
    if (this.stickyTokens === null || this.stickySecret !== secret) {
      this.stickyTokens = new StickyTokens(secret);
      this.stickySecret = secret;
      this.groupSticky.clear();
    }
    return this.stickyTokens;
  }

  private stickySecret = '';
  private readonly groupSticky = new Map<string, GroupStickiness>();

  /** forwardConfig.targetGroupStickinessConfig of a load balancer's actions, one per duration. */
  groupStickiness(loadBalancer: string, durationSeconds: number): GroupStickiness {
    const key = `${loadBalancer}/${durationSeconds}`;
    let gs = this.groupSticky.get(key);
    if (gs === undefined) this.groupSticky.set(key, (gs = new GroupStickiness(`lb:${loadBalancer}`, durationSeconds, this.tokens(this.stickySecret))));
    return gs;
  }

  /** The worker's once-a-second tick: slow-start weights move on. */
  tick(now: number): void {
    for (const g of this.groups.values()) {
      g.balancer.tick(now);
      g.tickZones(now);
    }
  }

  /** A connection to this target was refused or reset: stop sending it new requests until the next snapshot. */
  markSuspect(key: string): void {
    const u = this.upstreams.get(key);
    if (!u || u.suspect) return;
    u.suspect = true;
    u.closeIdle();
    for (const g of this.groups.values()) if (g.members.includes(u)) g.recompute();
  }

  private upstream(key: string, host: string, port: number): UpstreamTarget {
    let u = this.upstreams.get(key);
    if (!u) {
      u = new UpstreamTarget(key, host, port);
      this.upstreams.set(key, u);
    }
    return u;
  }
}

function shapeOf(tg: TargetGroupSnapshot): string {
  return `${tg.algorithm}/${tg.anomalyMitigation === true}`;
}
