/**
 * How the daemon hosts Auto Scaling: the process provider on the state dir,
 * the daemon's target groups behind the TargetGroups interface, and the
 * service. Started only when the config has launch templates or groups, or the
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
import { ProcessProvider } from '../../providers/process/process-provider.js';
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
  let provider: ProcessProvider;
  try {
    provider = await open(o.options?.metadata);
  } catch (err) {
    o.log.warn({ err: errorMessage(err) }, 'instance metadata service could not start; instances run without it');
    provider = await open(false);
  }
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
