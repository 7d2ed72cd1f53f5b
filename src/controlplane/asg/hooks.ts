/** Lifecycle hooks of a group (config `lifecycleHooks`), as the plan needs them. */
import type { AutoScalingGroup } from '../../model/auto-scaling.js';
import type { HookSpec } from './plan-types.js';

export interface LifecycleHookConfig {
  name: string;
  lifecycleTransition: HookSpec['transition'];
  heartbeatTimeout?: number;
  defaultResult?: HookSpec['defaultResult'];
  /** shoal extension: a local command run (sh -c) when an instance enters the wait, with the hook's details in its environment. */
  notificationCommand?: string;
}

export function hookConfigs(spec: AutoScalingGroup): LifecycleHookConfig[] {
  return (spec as AutoScalingGroup & { lifecycleHooks?: LifecycleHookConfig[] }).lifecycleHooks ?? [];
}

export function hooksOf(spec: AutoScalingGroup): HookSpec[] {
  return hookConfigs(spec).map((h) => ({
    name: h.name,
    transition: h.lifecycleTransition,
    heartbeatTimeout: h.heartbeatTimeout ?? 3600,
    defaultResult: h.defaultResult ?? 'ABANDON',
  }));
}
