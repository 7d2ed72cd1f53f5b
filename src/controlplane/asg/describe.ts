/**
 * What `describe-auto-scaling-groups` / `shoal describe` show: AWS's fields,
 * plus shoal's `Status` lines that say plainly why the group is not at its
 * desired capacity (launches paused by the crash-loop back-off, suspended
 * processes, instances waiting on hooks or draining).
 */
import { targetKey } from '../../model/target-group.js';
import type { InstanceObservation } from '../../providers/provider.js';
import { paused, pauseMessage } from './backoff.js';
import type { GroupController } from './group.js';
import type { AutoScalingService } from './service.js';
import { activeRefresh } from './refresh/types.js';
import { counts, type InstanceRecord } from './types.js';
import { isWarm, poolTarget } from './warm-pool/types.js';

export interface InstanceView {
  InstanceId: string;
  AvailabilityZone: string;
  LifecycleState: string;
  HealthStatus: string;
  ProtectedFromScaleIn: boolean;
  LaunchTemplate: { LaunchTemplateName: string; Version: string };
  PrivateIpAddress?: string;
  Target?: string;
  InstanceState?: string;
  BootStatus?: string;
  TargetHealth?: string;
  Reason?: string;
}

export function instanceView(r: InstanceRecord, obs: InstanceObservation | undefined, health?: string): InstanceView {
  const v: InstanceView = {
    InstanceId: r.instanceId,
    AvailabilityZone: r.availabilityZone,
    LifecycleState: r.lifecycleState,
    HealthStatus: r.healthStatus,
    ProtectedFromScaleIn: r.protectedFromScaleIn,
    LaunchTemplate: { LaunchTemplateName: r.templateName, Version: String(r.templateVersion) },
  };
  if (obs) Object.assign(v, { PrivateIpAddress: obs.privateIp, InstanceState: obs.frozen ? 'frozen' : obs.state, BootStatus: obs.bootStatus });
  if (r.target) v.Target = targetKey(r.target);
  if (health) v.TargetHealth = health;
  const reason = r.unhealthyReason ?? obs?.impairedReason;
  if (reason) v.Reason = reason;
  return v;
}

export function statusLines(g: GroupController, now: number): string[] {
  const s = g.state;
  const out: string[] = [];
  const live = s.instances.filter(counts).length;
  if (paused(s.backoff, now)) out.push(pauseMessage(s.backoff));
  if (s.suspended.length > 0) out.push(`Suspended processes: ${s.suspended.join(', ')}`);
  if (g.deleting) out.push('Being deleted (removed from the config): terminating its instances');
  for (const r of s.instances) {
    if (r.lifecycleState.endsWith(':Wait') && r.wait) {
      out.push(`${r.instanceId} waits in ${r.lifecycleState} on hook ${r.wait.hook} until ${new Date(r.wait.deadline).toISOString()} (then ${r.wait.defaultResult}); finish with shoal complete-lifecycle-action`);
    } else if (r.terminating && !r.terminating.stopping) {
      out.push(`${r.instanceId} is draining before termination`);
    }
  }
  const refresh = activeRefresh(s);
  if (refresh) out.push(`Instance refresh ${refresh.instanceRefreshId} ${refresh.status} ${refresh.percentageComplete}% (${refresh.instancesToUpdate} to update): ${refresh.statusReason ?? ''}`.trim());
  if (live !== s.desiredCapacity && out.length === 0) out.push(`Capacity ${live} of desired ${s.desiredCapacity}: converging`);
  return out;
}

export function describeGroup(svc: AutoScalingService, g: GroupController): Record<string, unknown> {
  const spec = g.spec;
  const health = new Map<string, string>();
  for (const tg of spec.targetGroups) {
    for (const h of svc.targetHealth(tg)) {
      const key = targetKey(h.target);
      health.set(key, [health.get(key), `${tg}=${h.targetHealth.state}`].filter(Boolean).join(' '));
    }
  }
  let resolved: number | undefined;
  try {
    resolved = g.groupSpec().templateVersion;
  } catch {
    resolved = undefined;
  }
  return {
    AutoScalingGroupName: spec.name,
    MinSize: g.state.minSize,
    MaxSize: g.state.maxSize,
    DesiredCapacity: g.state.desiredCapacity,
    AvailabilityZones: spec.availabilityZones,
    TargetGroupNames: spec.targetGroups,
    HealthCheckType: spec.healthCheckType,
    HealthCheckGracePeriod: spec.healthCheckGracePeriod,
    TerminationPolicies: spec.terminationPolicies,
    NewInstancesProtectedFromScaleIn: spec.newInstancesProtectedFromScaleIn,
    LaunchTemplate: { LaunchTemplateName: spec.launchTemplate.name, Version: String(spec.launchTemplate.version), ResolvedVersion: resolved },
    SuspendedProcesses: g.state.suspended.map((p) => ({ ProcessName: p })),
    Instances: g.state.instances.filter((r) => !isWarm(r)).map((r) => instanceView(r, svc.observed.get(r.instanceId), r.target ? health.get(targetKey(r.target)) : undefined)),
    WarmPoolConfiguration: g.state.warmPool ? {
      MinSize: g.state.warmPool.spec.minSize, MaxGroupPreparedCapacity: g.state.warmPool.spec.maxGroupPreparedCapacity ?? -1,
      PoolState: g.state.warmPool.spec.poolState, InstanceReusePolicy: { ReuseOnScaleIn: g.state.warmPool.spec.instanceReusePolicy.reuseOnScaleIn },
      ...(g.state.warmPool.deleting ? { Status: 'PendingDelete' } : {}),
    } : undefined,
    WarmPoolSize: g.state.warmPool ? poolTarget(g.state) : undefined,
    WarmPoolInstances: g.state.instances.filter(isWarm).map((r) => instanceView(r, svc.observed.get(r.instanceId))),
    Status: statusLines(g, svc.clockNow()),
    LaunchesPausedUntil: paused(g.state.backoff, svc.clockNow()) ? new Date(g.state.backoff.until!).toISOString() : undefined,
  };
}
