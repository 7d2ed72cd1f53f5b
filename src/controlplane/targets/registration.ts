/** Runtime target registration: validation (AWS's errors) and the merged target lists. */
import { isIP } from 'node:net';
import { ShoalError, validationError } from '../../core/errors.js';
import type { ShoalConfig } from '../../model/config.js';
import { targetKey, type Target, type TargetGroup } from '../../model/target-group.js';
import type { Store } from '../../store/index.js';

export function validateRegistration(config: ShoalConfig, group: string, targets: readonly Partial<Target>[]): void {
  if (!config.targetGroups.some((g) => g.name === group)) {
    throw new ShoalError('TargetGroupNotFound', `One or more target groups not found: '${group}'`, 400);
  }
  if (targets.length === 0) throw validationError('Targets must contain at least one target');
  for (const t of targets) {
    if (typeof t.id !== 'string' || isIP(t.id) === 0) {
      throw new ShoalError('InvalidTarget', `The target Id '${String(t.id)}' is not a valid IP address`, 400);
    }
    if (!Number.isInteger(t.port) || t.port! < 1 || t.port! > 65535) {
      throw new ShoalError('InvalidTarget', `The target port '${String(t.port)}' must be an integer from 1 to 65535`, 400);
    }
  }
}

/** Static targets from the config, then runtime registrations, without duplicates. */
export function targetsByGroup(groups: readonly TargetGroup[], store: Store): Map<string, Target[]> {
  const out = new Map<string, Target[]>();
  for (const g of groups) {
    const seen = new Set<string>();
    const list: Target[] = [];
    for (const t of [...g.targets, ...store.registeredTargets(g.name)]) {
      const key = targetKey(t);
      if (seen.has(key)) continue;
      seen.add(key);
      list.push({ id: t.id, port: t.port, ...(t.availabilityZone ? { availabilityZone: t.availabilityZone } : {}) });
    }
    out.set(g.name, list);
  }
  return out;
}
