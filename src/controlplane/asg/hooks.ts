/** Lifecycle hooks of a group (config `lifecycleHooks`), as the plan needs them. */
import type { AutoScalingGroup, LifecycleHookSpec } from '../../model/auto-scaling.js';
import type { HookSpec } from './plan-types.js';

export function hookConfigs(spec: AutoScalingGroup): LifecycleHookSpec[] {
  return spec.lifecycleHooks ?? [];
}

export function hooksOf(spec: AutoScalingGroup): HookSpec[] {
  return hookConfigs(spec).map((h) => ({
    name: h.name, transition: h.lifecycleTransition, heartbeatTimeout: h.heartbeatTimeout, defaultResult: h.defaultResult,
  }));
}
