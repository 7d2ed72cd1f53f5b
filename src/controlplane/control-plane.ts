/**
 * The control plane: the model (config file + API-made resources) -> store
 * -> target registry + health checks -> compiled snapshots -> data-plane
 * workers, with Auto Scaling, scaling and metrics beside. Reload (SIGHUP)
 * validates the new config first and keeps the old one serving on error.
 * It knows nothing of the API: src/daemon/ wires the two together.
 */
import { EcsService } from './ecs/service.js';
import { join } from 'node:path';
import type { Clock, Timer } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Random } from '../core/random.js';
import type { ShoalConfig } from '../model/config.js';
import { targetKey, type Target, type TargetHealthDescription } from '../model/target-group.js';
import type { Snapshot } from '../dataplane/snapshot.js';
import { loadConfigFile, parseConfig } from '../config/index.js';
import { ModelService } from '../resources/model.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { HealthChecker } from './health/checker.js';
import { TargetRegistry } from './targets/registry.js';
import { buildListeners } from './snapshot-builder.js';
import { ClusterHost, InProcessHost, type DataPlaneHost, type HostEvents } from './dataplane-host.js';
import { targetsByGroup, validateRegistration } from './targets/registration.js';
import { StandaloneInstances } from './instances/standalone.js';
import { needsAutoScaling, startAutoScaling, type AutoScalingWiringOptions } from './asg/wiring.js';
import type { AutoScalingService } from './asg/service.js';
import type { MetricsStore } from '../metrics/types.js';
import { MetricsService } from '../metrics/service.js';
import type { ScalingService } from './scaling/service.js';
import { syncScaling } from './scaling/wiring.js';
import { forwardedGroups, hostCountData, trafficData } from './elb-metrics.js';
import { NetworkMeter, type InstanceTarget } from './network-metrics.js';
import { reasonsKey, unservedReasons } from './unserved.js';
import { stickySecret } from './sticky-secret.js';
import { statusTree, type GroupView, type StatusTree } from './status.js';
import { describeGroup } from './asg/describe.js';
import { Zones } from '../resources/zones.js';
import { TlsMaterial, tlsFiles } from './tls/material.js';
import { CertificateWatch } from './tls/watch.js';
import { AccessLogs } from './access-logs/access-logs.js';
import { PrometheusExporter } from '../metrics/prometheus/exporter.js';

const UNUSED = {
  state: 'unused',
  reason: 'Target.NotInUse',
  description: 'Target group is not configured to receive traffic from the load balancer',
} as const;

export interface ControlPlaneOptions {
  /** The config file; null: no file (an empty daemon that the API populates). */
  configPath: string | null;
  clock: Clock;
  random: Random;
  log: Logger;
  /** Data-plane worker processes; 0 runs the data plane in this process (tests). */
  workers: number;
  /** Overrides the config's stateDir (tests). */
  stateDir?: string;
  /** Auto Scaling: metadata service address, instance stop timeout (tests). */
  autoScaling?: AutoScalingWiringOptions;
}

export class ControlPlane {
  config: ShoalConfig;
  readonly store: Store;
  /** Every resource, file- or API-owned (src/resources); `config` is its effective config. */
  readonly model: ModelService;
  /** API writes apply one at a time, in order. */
  private applying: Promise<void> = Promise.resolve();
  readonly registry: TargetRegistry;
  readonly host: DataPlaneHost;
  private readonly checker: HealthChecker;
  private publishTimer: Timer | null = null;
  private publishing: Promise<void> = Promise.resolve();
  private readonly drainTimer: Timer;
  private readonly hostCountTimer: Timer;
  private readonly network = new NetworkMeter();
  /** HTTPS listeners' certificate files as PEM for the snapshot; a renewed file reloads the config (tls/). */
  private readonly tls: TlsMaterial;
  private readonly certWatch: CertificateWatch;
  /** CloudWatch-style metrics (src/metrics); the AWS/ApplicationELB producer writes here once a second. */
  metrics: MetricsStore | null = null;
  /** Owns `metrics` (metrics.db) and the AWS/EC2 + AWS/AutoScaling producers (src/metrics/service.ts). */
  metricsService: MetricsService | undefined;
  private stopped = false;
  /** Instances, images, launch templates and Auto Scaling groups (asg/service.ts); undefined until a config has any. */
  autoScalingService: AutoScalingService | undefined;
  /** Instances started by RunInstances, outside any group, on the Auto Scaling service's provider. */
  readonly standalone: StandaloneInstances;
  /** Alarms, scaling policies, scheduled actions (scaling/service.ts); undefined until a config has any. */
  scalingService: ScalingService | undefined;
  /** ECS-style services: their deployments, tasks and events (ecs/service.ts). */
  readonly ecs: EcsService;
  /** The load balancers' access log files: where they are, their rotation and counts; the workers write them (access-logs/). */
  readonly accessLogs: AccessLogs;
  /** GET /metrics (metrics/prometheus/): the same numbers as the CloudWatch-style store, in Prometheus' terms. */
  readonly prometheus: PrometheusExporter;

  private constructor(private readonly o: ControlPlaneOptions, config: ShoalConfig) {
    this.config = config;
    this.tls = new TlsMaterial(o.log);
    this.certWatch = new CertificateWatch({ clock: o.clock, changed: () => void this.reload('certificate file changed') });
    const stateDir = o.stateDir ?? config.stateDir;
    this.store = openSqliteStore(join(stateDir, 'shoal.db'), o.clock);
    this.standalone = new StandaloneInstances({
      store: this.store, clock: o.clock, random: o.random, log: o.log, provider: async () => (await this.ensureAutoScaling()).provider,
    });
    this.model = new ModelService({ store: this.store, clock: o.clock, random: o.random, changed: (c) => this.applyModel(c) });
    this.checker = new HealthChecker({
      clock: o.clock,
      random: o.random,
      log: o.log,
      onChange: (group, key, health) => {
        o.log.info({ targetGroup: group, target: key, ...health }, 'target health changed');
        this.schedulePublish();
      },
    });
    this.registry = new TargetRegistry({
      clock: o.clock,
      checker: this.checker,
      log: o.log,
      onChange: () => this.schedulePublish(),
    });
    this.accessLogs = new AccessLogs({ stateDir: () => this.stateDir, log: o.log, reopen: (lb) => this.host.reopenAccessLog(lb) });
    this.ecs = new EcsService({ clock: o.clock, log: o.log, asg: () => this.autoScalingService, createdAt: (name) => this.model.get('services', name)?.createdAt });
    this.prometheus = new PrometheusExporter({
      clock: o.clock,
      source: {
        targetGroups: () => this.config.targetGroups.map((g) => g.name),
        describeTargetHealth: (g) => this.describeTargetHealth(g),
        autoScaling: () => this.autoScalingService,
        accessLogs: () => this.accessLogs.stats(),
        metricsStore: () => this.metricsService?.store.stats(),
      },
    });
    const events: HostEvents = {
      targetFailed: (key, reason) => {
        this.checker.markSuspect(undefined, key, `Connection to target failed (${reason})`);
      },
      listenError: (address, message) => o.log.error({ address, message }, 'listener could not bind'),
      stats: (report, from) => {
        this.metrics?.put(trafficData(report, (group) => this.healthyCount(group)));
        this.network.add(report);
        this.prometheus.add(report, from.worker, from.usage);
      },
      accessLog: (event) => this.accessLogs.onEvent(event),
    };
    this.host =
      o.workers === 0
        ? new InProcessHost({ clock: o.clock, random: o.random, events })
        : new ClusterHost({ count: o.workers, events, log: o.log });
    this.drainTimer = o.clock.every(250, () => void this.reconcileDrains());
    this.hostCountTimer = o.clock.every(1000, () => {
      const at = Math.floor(o.clock.now() / 1000) * 1000;
      this.metrics?.put(hostCountData({ loadBalancers: () => this.config.loadBalancers, describeTargetHealth: (g) => this.registry.describe(g) }, at));
      this.metrics?.put(this.network.flush(this.instanceTargets(), at - 1000));
      // Why a group has no target (its 503's reason) can change without any target changing.
      if (this.publishedUnserved !== reasonsKey(this.unserved())) this.schedulePublish();
    });
  }

  /** InService instances with the target they are registered as (NetworkIn/NetworkOut). */
  private instanceTargets(): InstanceTarget[] {
    const out: InstanceTarget[] = [];
    for (const [name, g] of this.autoScalingService?.groups ?? []) {
      for (const r of g.state.instances) {
        if (r.lifecycleState === 'InService' && r.target) {
          out.push({ instanceId: r.instanceId, group: name, targetKey: targetKey(r.target) });
        }
      }
    }
    return out;
  }

  /** Healthy targets of a group (RequestCountPerTarget divides by it). */
  private healthyCount(group: string): number {
    return this.registry.describe(group)?.filter((d) => d.targetHealth.state === 'healthy').length ?? 0;
  }

  static async start(o: ControlPlaneOptions): Promise<ControlPlane> {
    const config = o.configPath === null ? parseConfig('', 'shoal (no config file)') : loadConfigFile(o.configPath);
    const d = new ControlPlane(o, config);
    try {
      d.config = d.model.loadFile(o.configPath);
    } catch (err) {
      d.store.close();
      throw err;
    }
    const metricsPath = join(o.stateDir ?? config.stateDir, 'metrics.db');
    d.metricsService = new MetricsService({ clock: o.clock, log: o.log, path: metricsPath, autoScaling: () => d.autoScalingService });
    d.metrics = d.metricsService.store;
    d.metricsService.start();
    d.applyConfig(d.config);
    await d.publishNow();
    await d.syncAutoScaling();
    return d;
  }

  get clock(): Clock {
    return this.o.clock;
  }

  get random(): Random {
    return this.o.random;
  }

  /** The state directory (the config's, unless the options override it). */
  get stateDir(): string {
    return this.o.stateDir ?? this.config.stateDir;
  }

  /** The fleet as one tree (`shoal status`, GET /_shoal/status): controlplane/status.ts. */
  status(): StatusTree {
    const asg = this.autoScalingService;
    return statusTree({
      loadBalancers: this.config.loadBalancers,
      targetGroups: this.config.targetGroups,
      health: (g) => this.describeTargetHealth(g),
      groups: asg ? [...asg.groups.values()].map((g) => describeGroup(asg, g) as unknown as GroupView) : [],
      record: (kind, name) => this.model.get(kind, name),
      zones: new Zones(this.store).list(this.config.autoScalingGroups.flatMap((g) => g.availabilityZones)),
      snapshotVersion: this.registry.nextVersion - 1,
    });
  }

  /**
   * Moves whenever what the console shows may have changed: the store's version (every write of a
   * group, instance, activity, alarm or resource) and the snapshot version (target health, registrations).
   */
  stateVersion(): string {
    return `${this.store.version()}.${this.registry.nextVersion}`;
  }

  /** Re-reads the config file; on any error the running config stays and the error is returned. */
  async reload(cause = 'reload'): Promise<{ ok: true } | { ok: false; error: string }> {
    let next: ShoalConfig;
    try {
      next = this.model.loadFile(this.o.configPath);
    } catch (err) {
      this.o.log.error({ file: this.o.configPath, cause }, `reload rejected, still serving the previous config:\n${errorMessage(err)}`);
      return { ok: false, error: errorMessage(err) };
    }
    // Certificates are read again (validated just now by loadFile): new handshakes get the new ones.
    this.tls.refresh();
    await this.applyModel(next);
    this.o.log.info({ file: this.o.configPath, cause }, 'config reloaded');
    return { ok: true };
  }

  /** The model changed (an API write, a reload): the controllers and the data plane follow, one change at a time. */
  private applyModel(config: ShoalConfig): Promise<void> {
    const run = this.applying.then(async () => {
      if (this.stopped) return;
      const dropped = this.applyConfig(config);
      for (const d of dropped) this.o.log.warn(d, 'runtime registrations dropped with their target group');
      await this.publishNow();
      await this.syncAutoScaling();
    });
    this.applying = run.catch((err: unknown) => this.o.log.error({ err: errorMessage(err) }, 'applying a model change failed'));
    return run;
  }

  private async syncAutoScaling(): Promise<void> {
    await this.syncAsg();
    this.ecs.sync(this.config);
    const { clock, log } = this.o;
    this.scalingService = syncScaling(this.scalingService, {
      config: this.config, store: this.store, clock, log, metrics: () => this.metrics, asg: () => this.autoScalingService,
    });
    // Instance refreshes' alarm specifications read the alarms' states (docs/instance-refresh.md).
    this.autoScalingService?.setAlarmSource((name) => this.scalingService?.alarms.status(name)?.state);
  }

  private async syncAsg(): Promise<void> {
    if (this.autoScalingService) return this.autoScalingService.sync(this.config);
    if (!needsAutoScaling(this.config, this.stateDir)) return;
    // A start already under way (RunInstances) read the config of its time: sync this one.
    (await this.ensureAutoScaling()).sync(this.config);
  }

  private startingAsg: Promise<AutoScalingService> | undefined;

  /**
   * The Auto Scaling service, started if it does not run yet (RunInstances on
   * a daemon with no groups still needs the provider it owns). Concurrent
   * callers share one start.
   */
  ensureAutoScaling(): Promise<AutoScalingService> {
    if (this.autoScalingService) return Promise.resolve(this.autoScalingService);
    if (this.stopped) return Promise.reject(new Error('the daemon is stopping'));
    const { clock, random, log } = this.o;
    this.startingAsg ??= startAutoScaling({ daemon: this, store: this.store, clock, random, log, stateDir: this.stateDir, options: this.o.autoScaling })
      .then((svc) => (this.autoScalingService = svc))
      .finally(() => (this.startingAsg = undefined));
    return this.startingAsg;
  }

  private applyConfig(config: ShoalConfig): { group: string; targets: number }[] {
    const result = this.store.applyConfig({ loadBalancers: config.loadBalancers, targetGroups: config.targetGroups });
    this.config = config;
    this.accessLogs.sync(config.loadBalancers);
    this.certWatch.watch(tlsFiles(config.loadBalancers));
    this.syncTargets();
    return result.droppedRegistrations.map((d) => ({ group: d.group, targets: d.targets.length }));
  }

  private syncTargets(): void {
    this.registry.sync(this.config.targetGroups, targetsByGroup(this.config.targetGroups, this.store));
  }

  registerTargets(group: string, targets: Target[], source = 'api'): void {
    validateRegistration(this.config, group, targets);
    this.store.registerTargets(group, targets, source);
    this.syncTargets();
  }

  deregisterTargets(group: string, targets: Pick<Target, 'id' | 'port'>[]): Target[] {
    validateRegistration(this.config, group, targets);
    const removed = this.store.deregisterTargets(group, targets);
    this.syncTargets();
    return removed;
  }

  /**
   * DescribeTargetHealth. Targets of a group no load balancer forwards to are
   * `unused` (Target.NotInUse), as ALB reports them, whatever their checks say.
   */
  describeTargetHealth(group: string): TargetHealthDescription[] | undefined {
    const list = this.registry.describe(group);
    if (list === undefined || this.config.loadBalancers.some((lb) => forwardedGroups(lb).has(group))) return list;
    return list.map((d) => ({ ...d, targetHealth: { ...UNUSED } }));
  }

  snapshot(): Snapshot {
    const targetGroups = this.registry.snapshot();
    const reasons = this.unserved();
    for (const [group, reason] of reasons) {
      const tg = targetGroups[group];
      if (tg) tg.unserved = reason;
    }
    this.publishedUnserved = reasonsKey(reasons);
    return { version: this.registry.nextVersion, stickySecret: this.stickySecret, listeners: buildListeners(this.config.loadBalancers, (l, lb) => this.tls.forListener(l, lb.attributes.http2Enabled !== false)), targetGroups, accessLogs: this.accessLogs.snapshot() };
  }

  /** Authenticates sticky-session cookies; kept in the store so cookies outlive a restart. */
  private get stickySecret(): string {
    return (this.secret ??= stickySecret(this.store));
  }

  private secret: string | undefined;

  /** The reasons in the last snapshot published (reasonsKey). */
  private publishedUnserved = '';

  private unserved(): Map<string, string> {
    return unservedReasons({
      groups: this.config.targetGroups.map((g) => g.name),
      states: (g) => this.registry.describe(g)?.map((d) => d.targetHealth.state) ?? [],
      asg: this.autoScalingService,
      now: this.o.clock.now(),
    });
  }

  /** Coalesces bursts of changes (a health wave, a batch registration) into one snapshot. */
  private schedulePublish(): void {
    if (this.publishTimer !== null || this.stopped) return;
    this.publishTimer = this.o.clock.after(20, () => {
      this.publishTimer = null;
      void this.publishNow();
    });
  }

  publishNow(): Promise<void> {
    const snapshot = this.snapshot();
    this.registry.nextVersion++;
    this.publishing = this.publishing.then(() => this.host.publish(snapshot)).catch((err: unknown) => {
      this.o.log.error({ err: errorMessage(err) }, 'publishing a snapshot failed');
    });
    return this.publishing;
  }

  private drainBusy = false;

  private async reconcileDrains(): Promise<void> {
    if (this.drainBusy || !this.registry.hasDrains()) return;
    this.drainBusy = true;
    try {
      this.registry.reconcileDrains(await this.host.reports());
    } catch (err) {
      this.o.log.error({ err: errorMessage(err) }, 'drain reconcile failed');
    } finally {
      this.drainBusy = false;
    }
  }

  /** Stops accepting, lets in-flight requests finish (up to graceMs), stops checks, closes the store. */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.publishTimer?.cancel();
    this.certWatch.close();
    this.drainTimer.cancel();
    this.hostCountTimer.cancel();
    await this.scalingService?.stop();
    this.ecs.stop();
    await this.startingAsg?.catch(() => undefined);
    await this.standalone.settle();
    await this.autoScalingService?.stop(); // instances keep running; the next start adopts them
    await this.host.close(graceMs);
    await this.accessLogs.idle(); // the workers wrote their last lines as they stopped; a rotation may still be under way
    this.checker.stop();
    await this.publishing;
    this.metrics = null;
    this.metricsService?.stop(); // flushes the minute and hour rollups
    this.store.close();
  }
}
