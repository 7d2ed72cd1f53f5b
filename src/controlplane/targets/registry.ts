/**
 * Which targets each target group has, in which state: registered targets
 * (the config's static ones plus those registered at runtime) are health
 * checked; deregistered ones drain (drain.ts) before they leave. Produces the
 * target half of the data-plane snapshot and what DescribeTargetHealth shows.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import { targetKey, type Target, type TargetGroup, type TargetHealthDescription } from '../../model/target-group.js';
import type { TargetGroupSnapshot } from '../../dataplane/snapshot.js';
import type { HealthChecker } from '../health/checker.js';
import { planDrain, type DrainEntry, type WorkerReport } from './drain.js';
import { EMPTY_SLOW_START, planSlowStart, type SlowStartMemory } from './slow-start.js';

const DRAINING_HEALTH = {
  state: 'draining',
  reason: 'Target.DeregistrationInProgress',
  description: 'Target deregistration is in progress',
} as const;

interface GroupState {
  spec: TargetGroup;
  /** key -> target, in registration order. */
  registered: Map<string, Target>;
  draining: Map<string, { target: Target; entry: DrainEntry }>;
  /** key -> the sync() call that registered it (slow start: targets registered together). */
  batches: Map<string, number>;
  slowStart: SlowStartMemory;
}

export interface RegistryOptions {
  clock: Clock;
  checker: HealthChecker;
  log: Logger;
  /** Something changed that the data plane must see. */
  onChange: () => void;
}

export class TargetRegistry {
  private readonly groups = new Map<string, GroupState>();
  /** Version the next snapshot will carry; drains remember it. */
  nextVersion = 1;
  private syncs = 0;

  constructor(private readonly o: RegistryOptions) {}

  /**
   * Sets the groups and their registered targets. Targets that disappear
   * start draining; re-registered draining targets come back (initial health).
   * Groups that disappear are dropped at once, with their drains.
   */
  sync(groups: readonly TargetGroup[], registered: ReadonlyMap<string, readonly Target[]>): void {
    const now = this.o.clock.now();
    const batch = ++this.syncs;
    const seen = new Set<string>();
    for (const spec of groups) {
      seen.add(spec.name);
      const g = this.groups.get(spec.name) ?? { spec, registered: new Map(), draining: new Map(), batches: new Map(), slowStart: EMPTY_SLOW_START };
      g.spec = spec;
      const next = new Map<string, Target>();
      for (const t of registered.get(spec.name) ?? []) next.set(targetKey(t), t);
      for (const [key, t] of g.registered) {
        if (!next.has(key)) {
          this.startDrain(g, key, t, now);
          g.batches.delete(key);
        }
      }
      for (const key of next.keys()) {
        g.draining.delete(key);
        if (!g.registered.has(key)) g.batches.set(key, batch);
      }
      g.registered = next;
      this.groups.set(spec.name, g);
      this.o.checker.setGroup(spec.name, spec.healthCheck, [...next.values()]);
    }
    for (const name of [...this.groups.keys()]) {
      if (!seen.has(name)) {
        this.groups.delete(name);
        this.o.checker.removeGroup(name);
      }
    }
    this.o.onChange();
  }

  /** Applies the drain plan to the workers' latest reports. */
  reconcileDrains(reports: readonly WorkerReport[]): void {
    const entries: DrainEntry[] = [];
    for (const g of this.groups.values()) for (const d of g.draining.values()) entries.push(d.entry);
    if (entries.length === 0) return;
    const actions = planDrain(entries, reports, this.o.clock.now());
    for (const a of actions) {
      this.groups.get(a.group)?.draining.delete(a.key);
      this.o.log.info({ targetGroup: a.group, target: a.key, reason: a.reason }, 'target deregistered');
    }
    if (actions.length > 0) this.o.onChange();
  }

  draining(group: string, key: string): boolean {
    return this.groups.get(group)?.draining.has(key) ?? false;
  }

  /** DescribeTargetHealth: registered targets with their health, then draining ones. */
  describe(group: string): TargetHealthDescription[] | undefined {
    const g = this.groups.get(group);
    if (!g) return undefined;
    const out = this.o.checker.describe(group);
    for (const { target } of g.draining.values()) {
      const port = g.spec.healthCheck.port === 'traffic-port' ? target.port : g.spec.healthCheck.port;
      out.push({ target, healthCheckPort: String(port), targetHealth: { ...DRAINING_HEALTH } });
    }
    return out;
  }

  /** The target half of a snapshot; moves each group's slow-start plan on to now. */
  snapshot(): Record<string, TargetGroupSnapshot> {
    const out: Record<string, TargetGroupSnapshot> = {};
    for (const g of this.groups.values()) {
      const durationMs = this.planSlowStart(g);
      const targets: TargetGroupSnapshot['targets'] = [];
      for (const [key, t] of g.registered) {
        const state = this.o.checker.health(g.spec.name, key).state;
        const startedAt = g.slowStart.ramping.get(key);
        targets.push({
          key, host: t.id, port: t.port, state, availabilityZone: t.availabilityZone,
          ...(startedAt === undefined ? {} : { slowStart: { startedAt, endsAt: startedAt + durationMs } }),
        });
      }
      for (const [key, { target }] of g.draining) {
        targets.push({ key, host: target.id, port: target.port, state: 'draining' });
      }
      const a = g.spec.attributes;
      out[g.spec.name] = {
        name: g.spec.name, algorithm: a.algorithm, targets,
        ...(g.spec.protocol !== 'HTTP' ? { protocol: g.spec.protocol } : {}),
        ...(a.proxyProtocolV2 ? { proxyProtocolV2: true } : {}),
        ...(a.preserveClientIp ? { preserveClientIp: true } : {}),
        ...(a.connectionTermination ? { connectionTermination: true } : {}),
        ...(a.anomalyMitigation ? { anomalyMitigation: true } : {}),
        ...(a.stickiness.enabled ? { stickiness: { ...a.stickiness } } : {}),
      };
    }
    return out;
  }

  /** Whether anything is draining (the daemon polls workers only then). */
  hasDrains(): boolean {
    for (const g of this.groups.values()) if (g.draining.size > 0) return true;
    return false;
  }

  /** Slow-start windows as of now (slow-start.ts); returns the group's duration in ms. */
  private planSlowStart(g: GroupState): number {
    const a = g.spec.attributes;
    // The config rejects slow start with least_outstanding_requests (as ALB does); never ramp there.
    const durationMs = a.algorithm === 'round_robin' ? a.slowStartSeconds * 1000 : 0;
    const inputs = [...g.registered.keys()].map((key) => ({
      key,
      healthySince: this.o.checker.healthySince(g.spec.name, key),
      batch: g.batches.get(key) ?? 0,
    }));
    g.slowStart = planSlowStart(g.slowStart, inputs, durationMs, this.o.clock.now());
    return durationMs;
  }

  private startDrain(g: GroupState, key: string, target: Target, now: number): void {
    const delayMs = g.spec.attributes.deregistrationDelaySeconds * 1000;
    if (delayMs === 0) return;
    g.draining.set(key, {
      target,
      entry: { group: g.spec.name, key, sinceVersion: this.nextVersion, startedAt: now, deadline: now + delayMs },
    });
  }
}
