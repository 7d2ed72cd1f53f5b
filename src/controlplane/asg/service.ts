/**
 * The Auto Scaling service of the daemon: the process provider, images,
 * launch templates and one GroupController per group; a level-triggered loop
 * (a pass every second on the clock, and soon after any change). Instances
 * outlive the daemon: stop() leaves them running and the next start adopts
 * them from the store (same ids, same targets); terminateAll() is `shoal down`.
 */
import type { Clock, Timer } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { Random } from '../../core/random.js';
import type { ShoalConfig } from '../../model/config.js';
import type { InstanceObservation, Provider } from '../../providers/provider.js';
import { Zones } from '../../resources/zones.js';
import type { Store } from '../../store/index.js';
import { ImageCatalog } from '../images/images.js';
import { LaunchTemplates } from '../images/launch-templates.js';
import { ActivityLog } from './activity.js';
import type { ControllerDeps, TargetGroups } from './deps.js';
import { GroupController } from './group.js';
import { STATE_KIND } from './types.js';
import { iso } from './causes.js';

export interface AutoScalingOptions {
  store: Store;
  clock: Clock;
  random: Random;
  log: Logger;
  stateDir: string;
  provider: Provider;
  targets: TargetGroups;
  /** Default 30 s. */
  stopTimeoutMs?: number;
  /** Pass interval; default 1000 ms. */
  intervalMs?: number;
}


export class AutoScalingService {
  readonly images: ImageCatalog;
  readonly templates: LaunchTemplates;
  readonly activities: ActivityLog;
  readonly groups = new Map<string, GroupController>();
  readonly provider: Provider;
  private readonly deps: ControllerDeps;
  private timer: Timer | undefined;
  private soon: Timer | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  /** The latest provider observations, by id (for describe). */
  observed = new Map<string, InstanceObservation>();

  constructor(private readonly o: AutoScalingOptions) {
    this.provider = o.provider;
    this.images = new ImageCatalog({ store: o.store, stateDir: o.stateDir, clock: o.clock, random: o.random });
    this.templates = new LaunchTemplates({ store: o.store, images: this.images, clock: o.clock, random: o.random });
    this.activities = new ActivityLog({ store: o.store, clock: o.clock, random: o.random });
    this.deps = {
      store: o.store, clock: o.clock, random: o.random, log: o.log, provider: o.provider,
      images: this.images, templates: this.templates, targets: o.targets, activities: this.activities,
      zoneIndex: (z) => this.zoneIndex(z), stopTimeoutMs: o.stopTimeoutMs ?? 30_000, poke: () => this.poke(),
    };
  }

  /** Applies a config: templates and images first, then groups (new, changed, removed). */
  sync(config: Pick<ShoalConfig, 'launchTemplates' | 'autoScalingGroups'>): void {
    for (const v of this.templates.sync(config.launchTemplates)) this.o.log.warn({ version: v }, 'runtime launch template version replaced by the config file');
    const names = new Set(config.autoScalingGroups.map((g) => g.name));
    for (const spec of config.autoScalingGroups) {
      const g = this.groups.get(spec.name);
      if (g) g.sync(spec);
      else this.groups.set(spec.name, new GroupController(this.deps, spec));
    }
    for (const [name, g] of this.groups) if (!names.has(name)) g.remove();
    this.poke();
  }

  start(): void {
    this.timer ??= this.o.clock.every(this.o.intervalMs ?? 1000, () => this.poke());
    this.poke();
  }

  /** Runs a pass soon (coalesced; never two at once). */
  poke(): void {
    if (this.closed || this.soon) return;
    this.soon = this.o.clock.after(0, () => {
      this.soon = undefined;
      void this.pass();
    });
  }

  /** One reconcile pass over every group; resolves when it is done. */
  pass(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.passOnce().finally(() => {
      this.running = undefined;
      if (this.again && !this.closed) {
        this.again = false;
        this.poke();
      }
    });
    return this.running;
  }

  private async passOnce(): Promise<void> {
    try {
      const list = await this.provider.sample(this.o.clock.now());
      this.observed = new Map(list.map((i) => [i.instanceId, i]));
      for (const [name, g] of [...this.groups]) {
        if (this.closed) return;
        await g.reconcile(this.observed);
        if (g.deleting && g.state.instances.length === 0) {
          this.groups.delete(name);
          this.o.store.deleteDoc(STATE_KIND, name);
        }
      }
    } catch (err) {
      this.o.log.error({ err: errorMessage(err) }, 'auto scaling pass failed');
    }
  }

  targetHealth(group: string) {
    return this.o.targets.health(group) ?? [];
  }

  get stateDir(): string {
    return this.o.stateDir;
  }

  clockNow(): number {
    return this.o.clock.now();
  }

  get random(): Random {
    return this.o.random;
  }

  /** Where instance refreshes read alarm states (the alarms service, once it runs). */
  setAlarmSource(alarmState: ControllerDeps['alarmState']): void {
    this.deps.alarmState = alarmState;
  }

  group(name: string): GroupController | undefined {
    return this.groups.get(name);
  }

  /** The group holding an instance, if any. */
  owner(instanceId: string): GroupController | undefined {
    for (const g of this.groups.values()) if (g.find(instanceId)) return g;
    return undefined;
  }

  zoneIndex(zone: string): number {
    return new Zones(this.o.store).index(zone);
  }

  /** Stops the loop; instances keep running (adopted at the next start). */
  async stop(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    this.soon?.cancel();
    await this.running;
    await this.provider.close();
  }

  /**
   * `shoal down`: stops the loop (nothing is relaunched), then deregisters and
   * terminates every instance of every group at once (no drain wait) and
   * forgets them. Desired capacities stay: the next start launches afresh.
   */
  async terminateAll(stopTimeoutMs = this.deps.stopTimeoutMs): Promise<string[]> {
    this.closed = true;
    this.timer?.cancel();
    this.soon?.cancel();
    await this.running;
    const ids: string[] = [];
    const now = this.o.clock.now();
    for (const g of this.groups.values()) {
      for (const r of g.state.instances) {
        if (!r.terminating) g.exec.deregister(r);
        ids.push(r.instanceId);
      }
    }
    await Promise.all(ids.map((id) => this.provider.terminate(id, { stopTimeoutMs }).catch(() => undefined)));
    for (const g of this.groups.values()) {
      await g.exec.settle();
      for (const r of g.state.instances) {
        if (r.terminating) this.activities.finish(g.state, r.terminating.activityId, 'Successful', 'Terminated by shoal down');
        else this.activities.record(g.state, { description: `Terminating EC2 instance: ${r.instanceId}`, cause: `At ${iso(now)} instance ${r.instanceId} was taken out of service in response to a user request (shoal down).` }, 'Successful');
      }
      g.state.instances = [];
      g.persist();
    }
    return ids;
  }
}
