/**
 * How the daemon hosts scaling: the scaling part of the config, and a
 * ScalingService started when the config has alarms, policies or scheduled
 * actions (kept, and synced empty, once it exists, so removed alarms go).
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import type { MetricsStore } from '../../metrics/types.js';
import type { ShoalConfig } from '../../model/config.js';
import type { Store } from '../../store/index.js';
import type { AutoScalingService } from '../asg/service.js';
import { ScalingService, type ScalingConfig } from './service.js';

export function scalingConfigOf(c: Pick<ShoalConfig, 'alarms' | 'autoScalingGroups'>): ScalingConfig {
  return {
    alarms: c.alarms ?? [],
    groups: c.autoScalingGroups.map((g) => ({
      name: g.name, targetGroups: g.targetGroups, defaultCooldown: g.defaultCooldown, defaultInstanceWarmup: g.defaultInstanceWarmup,
      scalingPolicies: g.scalingPolicies, scheduledActions: g.scheduledActions ?? [],
    })),
  };
}

export function needsScaling(c: ScalingConfig): boolean {
  return c.alarms.length > 0 || c.groups.some((g) => g.scalingPolicies.length > 0 || g.scheduledActions.length > 0);
}

/** Creates, syncs and starts the service when needed; returns the (possibly existing) service. */
export function syncScaling(existing: ScalingService | undefined, o: {
  config: ShoalConfig; store: Store; clock: Clock; log: Logger; metrics: () => MetricsStore | null | undefined; asg: () => AutoScalingService | undefined;
}): ScalingService | undefined {
  const sc = scalingConfigOf(o.config);
  if (!existing && !needsScaling(sc)) return undefined;
  const svc = existing ?? new ScalingService({ store: o.store, clock: o.clock, log: o.log, metrics: o.metrics, asg: o.asg });
  svc.sync(sc);
  svc.start();
  return svc;
}
