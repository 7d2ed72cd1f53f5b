/**
 * Active health checks for every registered target, per target group, as an
 * ALB node runs them: each target probed every intervalSeconds (the first probe
 * right away), at most one probe in flight per target, a probe that outlives
 * timeoutSeconds counted as Target.Timeout. Health lives in state.ts; this file
 * only schedules probes and feeds their results in.
 *
 * onChange fires when what DescribeTargetHealth shows for a target changes
 * (state, reason or description): not on registration (a new target is
 * `initial`, ask health()), not on removal, not on checks that change nothing.
 */
import type { Clock, Timer } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { Random } from '../../core/random.js';
import { targetKey, type HealthCheck, type Target, type TargetHealth, type TargetHealthDescription } from '../../model/target-group.js';
import { parseMatcher, type Matcher } from './matcher.js';
import type { ProbeFn, ProbeResult } from './probe.js';
import { probeTarget } from './probe-tcp.js';
import { applyResult, DESCRIPTIONS, disabledHealth, initialHealth, markSuspect, sameHealth, startingHealth, type HealthState } from './state.js';

export type HealthChangeFn = (group: string, key: string, health: TargetHealth) => void;

export interface HealthCheckerOptions {
  clock: Clock;
  onChange: HealthChangeFn;
  /** Defaults to probeTarget (HTTP, HTTPS or TCP by the group's check); tests pass a scripted fake. */
  probe?: ProbeFn;
  /** The address to probe; defaults to target.id (targets registered by IP). */
  resolveHost?: (target: Target) => string;
  /**
   * When given, a new target's first probe is delayed by a random part of
   * min(interval, 1 s), so a group of many targets is not probed all at once.
   * Without it the first probe is immediate.
   */
  random?: Random;
  log?: Logger;
}

const NOT_REGISTERED: TargetHealth = { state: 'unused', reason: 'Target.NotRegistered', description: DESCRIPTIONS.notRegistered };
const MAX_SPREAD_MS = 1000;

interface Tracked {
  readonly key: string;
  target: Target;
  state: HealthState;
  timer?: Timer;
  watchdog?: Timer;
  /** Sequence number of the probe in flight; 0 when none. Results of any other probe are stale. */
  probing: number;
}

interface Group {
  readonly name: string;
  settings: HealthCheck;
  matches: Matcher;
  readonly targets: Map<string, Tracked>;
}

export class HealthChecker {
  private readonly groups = new Map<string, Group>();
  private readonly probeFn: ProbeFn;
  private seq = 0;
  private stopped = false;

  constructor(private readonly opts: HealthCheckerOptions) {
    this.probeFn = opts.probe ?? probeTarget;
  }

  /**
   * Creates or updates a group: targets not listed are dropped, new ones start
   * `initial` (or `unavailable` with checks disabled), targets that stay keep
   * their health across settings changes. Toggling `enabled` resets health.
   * The traffic port is each target's own port. Throws ValidationError on a bad
   * matcher, before changing anything.
   */
  setGroup(name: string, settings: HealthCheck, targets: readonly Target[]): void {
    const matches = parseMatcher(settings.matcher);
    const now = this.opts.clock.now();
    const existing = this.groups.get(name);
    const g: Group = existing ?? { name, settings, matches, targets: new Map() };
    const old = existing?.settings ?? settings;
    g.settings = settings;
    g.matches = matches;
    this.groups.set(name, g);

    const wanted = new Map(targets.map((t) => [targetKey(t), t]));
    for (const [key, t] of g.targets) {
      if (!wanted.has(key)) {
        this.cancel(t);
        g.targets.delete(key);
      }
    }
    const toggled = old.enabled !== settings.enabled;
    const retimed = old.intervalSeconds !== settings.intervalSeconds;
    for (const [key, target] of wanted) {
      const t = g.targets.get(key);
      if (!t) {
        const fresh: Tracked = { key, target, state: startingHealth(settings, now), probing: 0 };
        g.targets.set(key, fresh);
        if (settings.enabled) this.schedule(g, fresh, this.firstDelay(settings));
        continue;
      }
      t.target = target;
      if (toggled) {
        this.cancel(t);
        this.update(g, t, settings.enabled ? initialHealth(now) : disabledHealth(now));
        if (settings.enabled) this.schedule(g, t, this.firstDelay(settings));
      } else if (retimed && settings.enabled) {
        t.timer?.cancel(); // the probe in flight, if any, still counts
        this.schedule(g, t, settings.intervalSeconds * 1000);
      }
    }
  }

  removeGroup(name: string): void {
    const g = this.groups.get(name);
    if (!g) return;
    for (const t of g.targets.values()) this.cancel(t);
    this.groups.delete(name);
  }

  /** Health as DescribeTargetHealth reports it; unused/Target.NotRegistered for unknown targets. */
  health(group: string, key: string): TargetHealth {
    return this.groups.get(group)?.targets.get(key)?.state.health ?? NOT_REGISTERED;
  }

  /** When the target became healthy, if it is healthy now (slow start counts from there). */
  healthySince(group: string, key: string): number | undefined {
    const s = this.groups.get(group)?.targets.get(key)?.state;
    return s?.health.state === 'healthy' ? s.since : undefined;
  }

  /** Every target of a group with its health, in registration order; [] for an unknown group. */
  describe(group: string): TargetHealthDescription[] {
    const g = this.groups.get(group);
    if (!g) return [];
    return [...g.targets.values()].map((t) => ({
      target: t.target,
      healthCheckPort: String(this.portOf(g, t)),
      targetHealth: t.state.health,
    }));
  }

  /**
   * Passive detection from the data plane (a refused or reset connection): see
   * state.ts markSuspect. `group` undefined means every group holding the
   * target. Returns whether any target's health changed.
   */
  markSuspect(group: string | undefined, key: string, description: string): boolean {
    const now = this.opts.clock.now();
    let changed = false;
    for (const g of group === undefined ? this.groups.values() : [this.groups.get(group)]) {
      const t = g?.targets.get(key);
      if (g && t) changed = this.update(g, t, markSuspect(t.state, now, description)) || changed;
    }
    return changed;
  }

  /** Cancels every timer and ignores probes still in flight. */
  stop(): void {
    this.stopped = true;
    for (const name of [...this.groups.keys()]) this.removeGroup(name);
  }

  private firstDelay(settings: HealthCheck): number {
    const random = this.opts.random;
    if (!random) return 0;
    return Math.floor(random.next() * Math.min(settings.intervalSeconds * 1000, MAX_SPREAD_MS));
  }

  /** First probe after `delay` ms (0: now), then one every intervalSeconds. */
  private schedule(g: Group, t: Tracked, delay: number): void {
    const clock = this.opts.clock;
    const intervalMs = g.settings.intervalSeconds * 1000;
    const tick = (): void => this.probe(g, t);
    const start = (): void => {
      t.timer = clock.every(intervalMs, tick);
      tick();
    };
    if (delay <= 0) start();
    else t.timer = clock.after(delay, start);
  }

  private probe(g: Group, t: Tracked): void {
    if (t.probing !== 0 || this.stopped) return; // one probe in flight per target
    const seq = ++this.seq;
    t.probing = seq;
    const { settings, matches } = g;
    const timeoutMs = settings.timeoutSeconds * 1000;
    // The checker enforces the timeout itself, whatever the probe function does.
    t.watchdog = this.opts.clock.after(timeoutMs, () =>
      this.settle(g, t, seq, { ok: false, kind: 'timeout', detail: `no result within ${timeoutMs} ms` }),
    );
    const host = this.opts.resolveHost?.(t.target) ?? t.target.id;
    let pending: Promise<ProbeResult>;
    try {
      pending = this.probeFn({ host, port: this.portOf(g, t), path: settings.path, timeoutMs, matches, protocol: settings.protocol }, this.opts.clock);
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.then(
      (result) => this.settle(g, t, seq, result),
      (err: unknown) => {
        this.opts.log?.error({ group: g.name, target: t.key, err: errorMessage(err) }, 'health check probe threw');
        this.settle(g, t, seq, { ok: false, kind: 'error', detail: `health check could not run: ${errorMessage(err)}` });
      },
    );
  }

  private settle(g: Group, t: Tracked, seq: number, result: ProbeResult): void {
    if (t.probing !== seq || this.stopped) return; // stale: timed out, removed or rescheduled
    t.probing = 0;
    t.watchdog?.cancel();
    t.watchdog = undefined;
    this.update(g, t, applyResult(t.state, result, g.settings, this.opts.clock.now()));
  }

  /** Stores the new state; reports it when the visible health changed. Returns whether it did. */
  private update(g: Group, t: Tracked, next: HealthState): boolean {
    const prev = t.state;
    t.state = next;
    if (sameHealth(prev.health, next.health)) return false;
    try {
      this.opts.onChange(g.name, t.key, next.health);
    } catch (err) {
      this.opts.log?.error({ group: g.name, target: t.key, err: errorMessage(err) }, 'health onChange handler threw');
    }
    return true;
  }

  private cancel(t: Tracked): void {
    t.timer?.cancel();
    t.watchdog?.cancel();
    t.timer = undefined;
    t.watchdog = undefined;
    t.probing = 0;
  }

  private portOf(g: Group, t: Tracked): number {
    return g.settings.port === 'traffic-port' ? t.target.port : g.settings.port;
  }
}
