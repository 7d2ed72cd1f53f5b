/**
 * The daemon's metrics: the store (metrics.db in the state dir) and shoal's
 * own producers on the clock: every second the AWS/EC2 and AWS/AutoScaling
 * datums of the Auto Scaling service (when the daemon has one), every 10 s a
 * flush of the minute and hour rollups, every minute retention. The data
 * plane's AWS/ApplicationELB producer and apps (PutMetricData) write to
 * `store` directly. A failing tick is logged, counted and the loop goes on.
 */
import type { Clock, Timer } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { InstanceObservation } from '../providers/provider.js';
import { groupDatums, instanceDatums, type GroupView } from './producers.js';
import { TimeSeriesStore, type TimeSeriesOptions } from './store.js';

/** What the producers read of the Auto Scaling service (AutoScalingService fits it). */
export interface AutoScalingView {
  groups: ReadonlyMap<string, { state: GroupView }>;
  /** Replaced by a new map on every pass: the producer samples each map once. */
  observed: ReadonlyMap<string, InstanceObservation>;
}

export interface MetricsServiceOptions {
  clock: Clock;
  log: Logger;
  /** metrics.db (':memory:' in tests). */
  path: string;
  /** The Auto Scaling service, if the daemon runs one (asked on every tick: it can appear on a reload). */
  autoScaling?: () => AutoScalingView | undefined;
  store?: Omit<TimeSeriesOptions, 'clock' | 'path'>;
  collectMs?: number;
  flushMs?: number;
  maintainMs?: number;
}

export class MetricsService {
  readonly store: TimeSeriesStore;
  private timers: Timer[] = [];
  private lastObserved: AutoScalingView['observed'] | undefined;
  private lastDropped = 0;
  errors = 0;

  constructor(private readonly o: MetricsServiceOptions) {
    this.store = new TimeSeriesStore({ clock: o.clock, path: o.path, ...o.store });
  }

  start(): void {
    if (this.timers.length > 0) return;
    const { clock } = this.o;
    this.timers.push(
      clock.every(this.o.collectMs ?? 1000, () => this.guard('collecting metrics', () => this.collect())),
      clock.every(this.o.flushMs ?? 10_000, () => this.guard('flushing metrics', () => this.store.flush())),
      clock.every(this.o.maintainMs ?? 60_000, () => this.guard('metrics retention', () => this.maintain())),
    );
  }

  /** One tick of shoal's own producers. */
  collect(): void {
    const asg = this.o.autoScaling?.();
    if (!asg) return;
    const now = this.o.clock.now();
    const groups = [...asg.groups.values()].map((g) => g.state);
    const data = groupDatums(groups, now);
    if (asg.observed !== this.lastObserved) {
      this.lastObserved = asg.observed;
      const owner = new Map<string, string>();
      for (const g of groups) for (const r of g.instances) owner.set(r.instanceId, g.name);
      data.push(...instanceDatums(asg.observed.values(), (id) => owner.get(id), now));
    }
    this.store.put(data);
  }

  private maintain(): void {
    this.store.maintain();
    const s = this.store.stats();
    if (s.droppedDatums > this.lastDropped) {
      this.o.log.warn({ ...s, newlyDropped: s.droppedDatums - this.lastDropped }, 'metric datums dropped (series caps or retention); see docs/metrics.md');
      this.lastDropped = s.droppedDatums;
    }
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.errors++;
      this.o.log.error({ err: errorMessage(err) }, `${what} failed`);
    }
  }

  /** Stops the producers, flushes the rollups and closes metrics.db. */
  stop(): void {
    for (const t of this.timers) t.cancel();
    this.timers = [];
    this.guard('closing metrics', () => this.store.close());
  }
}
