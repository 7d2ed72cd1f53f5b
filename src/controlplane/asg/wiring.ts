/**
 * How the daemon hosts Auto Scaling: the process provider on the state dir
 * (and, when the config's zones name Docker engines, the Docker provider for
 * those zones, behind one ZonedProvider), the daemon's target groups behind
 * the TargetGroups interface, and the service. Started only when the config has launch templates or groups, or the
 * state dir holds instances (so a load-balancer-only config opens no
 * metadata service).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { Random } from '../../core/random.js';
import type { ShoalConfig } from '../../model/config.js';
import { targetKey, type Target, type TargetHealthDescription } from '../../model/target-group.js';
import { createHash } from 'node:crypto';
import { ProcessProvider } from '../../providers/process/process-provider.js';
import { DockerProvider } from '../../providers/docker/docker-provider.js';
import { enginesByZone } from '../../providers/docker/engines.js';
import type { Provider } from '../../providers/provider.js';
import { ZonedProvider } from '../../providers/zoned.js';
import type { Store } from '../../store/index.js';
import type { TargetGroups } from './deps.js';
import { AutoScalingService } from './service.js';

export interface AutoScalingWiringOptions {
  /** Instance metadata service address; default 127.0.0.1:1338; false: none. */
  metadata?: { host: string; port: number } | false;
  /** SIGTERM-to-SIGKILL grace of instances; default 30 s. */
  stopTimeoutMs?: number;
  /** Pass interval; default 1000 ms. */
  intervalMs?: number;
}

/** The part of the daemon the wiring uses. */
export interface DaemonTargets {
  config: ShoalConfig;
  registry: { draining(group: string, key: string): boolean };
  registerTargets(group: string, targets: Target[], source: string): void;
  deregisterTargets(group: string, targets: Pick<Target, 'id' | 'port'>[]): Target[];
  describeTargetHealth(group: string): TargetHealthDescription[] | undefined;
}

export function daemonTargetGroups(d: DaemonTargets, store: Store): TargetGroups {
  const tg = (name: string) => d.config.targetGroups.find((g) => g.name === name);
  return {
    register: (group, targets, source) => d.registerTargets(group, targets, source),
    deregister: (group, targets) => void d.deregisterTargets(group, targets),
    health: (group) => d.describeTargetHealth(group),
    draining: (group, t) => d.registry.draining(group, targetKey(t)),
    deregistrationDelaySeconds: (group) => tg(group)?.attributes.deregistrationDelaySeconds ?? 0,
    port: (group) => tg(group)?.port,
    registrations: (group) => store.registeredTargets(group),
  };
}

export function needsAutoScaling(config: ShoalConfig, stateDir: string): boolean {
  if (config.autoScalingGroups.length > 0 || config.launchTemplates.length > 0) return true;
  const dir = join(stateDir, 'instances');
  return existsSync(dir) && readdirSync(dir).length > 0;
}

export async function startAutoScaling(o: {
  daemon: DaemonTargets; store: Store; clock: Clock; random: Random; log: Logger; stateDir: string; options?: AutoScalingWiringOptions;
}): Promise<AutoScalingService> {
  const open = (metadata: { host: string; port: number } | false | undefined) =>
    ProcessProvider.open({ stateDir: o.stateDir, clock: o.clock, log: o.log, ...(metadata !== undefined ? { metadata } : {}) });
  let processes: ProcessProvider;
  try {
    processes = await open(o.options?.metadata);
  } catch (err) {
    o.log.warn({ err: errorMessage(err) }, 'instance metadata service could not start; instances run without it');
    processes = await open(false);
  }
  const provider = await withContainers(processes, o);
  const service = new AutoScalingService({
    store: o.store, clock: o.clock, random: o.random, log: o.log, stateDir: o.stateDir, provider,
    targets: daemonTargetGroups(o.daemon, o.store),
    ...(o.options?.stopTimeoutMs !== undefined ? { stopTimeoutMs: o.options.stopTimeoutMs } : {}),
    ...(o.options?.intervalMs !== undefined ? { intervalMs: o.options.intervalMs } : {}),
  });
  service.sync(o.daemon.config);
  service.start();
  return service;
}

/**
 * The zones with a Docker engine get the Docker provider; the others keep
 * the process provider. Zones are read when Auto Scaling starts (a change of
 * `zones:` needs a restart). The containers' scope label is the state dir's,
 * so a daemon restarted on the same state dir adopts its containers.
 */
async function withContainers(processes: ProcessProvider, o: { daemon: DaemonTargets; clock: Clock; log: Logger; stateDir: string }): Promise<Provider> {
  const engines = enginesByZone(o.daemon.config.zones);
  if (engines.size === 0) return processes;
  const scope = `shoal-${createHash('sha256').update(o.stateDir).digest('hex').slice(0, 12)}`;
  const networks = new Map(o.daemon.config.zones.flatMap((z) => (z.docker ? [[z.name, { network: z.docker.network, address: z.docker.address }] as const] : [])));
  const docker = await DockerProvider.open({ engines, networks, clock: o.clock, scope });
  for (const [zone, why] of docker.impairedZones()) o.log.warn({ zone }, why);
  return new ZonedProvider(processes, new Map([...engines.keys()].map((z) => [z, docker])));
}
