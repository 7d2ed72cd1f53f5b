/**
 * A group in AWS's AutoScalingGroup shape (DescribeAutoScalingGroups): the
 * spec from the effective config, sizes and instances from the running
 * controller, ids and tags from the record.
 */
import type { GroupController } from '../../../controlplane/asg/group.js';
import type { AutoScalingService } from '../../../controlplane/asg/service.js';
import type { InstanceRecord } from '../../../controlplane/asg/types.js';
import { isWarm, poolTarget } from '../../../controlplane/asg/warm-pool/types.js';
import type { AutoScalingGroup } from '../../../model/auto-scaling.js';
import type { ResourceRecord } from '../../../resources/records.js';
import type { GroupRef } from './context.js';
import type { AutoScalingDeps } from './deps.js';
import { ltIdOf, subnetsOf, targetGroupArn } from './resolve.js';
import { groupArn } from './shapes.js';
import { tagDescriptions } from './tag-view.js';

export function instanceShape(d: AutoScalingDeps, svc: AutoScalingService | undefined, r: InstanceRecord): Record<string, unknown> {
  const lt = d.model.get('launchTemplates', r.templateName);
  const obs = svc?.observed.get(r.instanceId);
  return {
    InstanceId: r.instanceId,
    InstanceType: obs?.instanceType ?? instanceType(svc, r),
    AvailabilityZone: r.availabilityZone,
    AvailabilityZoneId: d.zones.get(r.availabilityZone).zoneId,
    LifecycleState: r.lifecycleState,
    HealthStatus: r.healthStatus,
    LaunchTemplate: { ...(lt ? { LaunchTemplateId: ltIdOf(lt) } : {}), LaunchTemplateName: r.templateName, Version: String(r.templateVersion) },
    ProtectedFromScaleIn: r.protectedFromScaleIn,
  };
}

function instanceType(svc: AutoScalingService | undefined, r: InstanceRecord): string | undefined {
  try {
    return svc?.templates.resolve(r.templateName, r.templateVersion).data.instanceType;
  } catch {
    return undefined;
  }
}

function sizes(spec: AutoScalingGroup, g: GroupController | undefined): { MinSize: number; MaxSize: number; DesiredCapacity: number } {
  const s = g?.state ?? spec;
  return { MinSize: s.minSize, MaxSize: s.maxSize, DesiredCapacity: s.desiredCapacity };
}

function warmPool(g: GroupController | undefined): Record<string, unknown> {
  const w = g?.state.warmPool;
  if (!w) return {};
  return {
    WarmPoolConfiguration: {
      MinSize: w.spec.minSize, MaxGroupPreparedCapacity: w.spec.maxGroupPreparedCapacity ?? -1, PoolState: w.spec.poolState,
      InstanceReusePolicy: { ReuseOnScaleIn: w.spec.instanceReusePolicy.reuseOnScaleIn }, ...(w.deleting ? { Status: 'PendingDelete' } : {}),
    },
    WarmPoolSize: poolTarget(g!.state),
  };
}

export interface ViewContext {
  d: AutoScalingDeps;
  region: string;
  includeInstances: boolean;
}

export function groupShape(c: ViewContext, ref: GroupRef): Record<string, unknown> {
  const { rec, spec, g } = ref;
  const svc = c.d.asg();
  const subnets = (rec.meta?.subnets as string[] | undefined) ?? subnetsOf(c.d, spec.availabilityZones);
  const tgArns = spec.targetGroups.map((t) => targetGroupArn(c.d, c.region, t));
  const lt = c.d.model.get('launchTemplates', spec.launchTemplate.name);
  return {
    AutoScalingGroupName: spec.name,
    AutoScalingGroupARN: groupArn(c.region, rec.id, spec.name),
    LaunchTemplate: { ...(lt ? { LaunchTemplateId: ltIdOf(lt) } : {}), LaunchTemplateName: spec.launchTemplate.name, Version: String(spec.launchTemplate.version) },
    ...sizes(spec, g),
    DefaultCooldown: spec.defaultCooldown,
    AvailabilityZones: spec.availabilityZones,
    AvailabilityZoneIds: spec.availabilityZones.map((z) => c.d.zones.get(z).zoneId),
    LoadBalancerNames: [],
    TargetGroupARNs: tgArns,
    HealthCheckType: spec.healthCheckType,
    HealthCheckGracePeriod: spec.healthCheckGracePeriod,
    ...(c.includeInstances ? { Instances: (g?.state.instances ?? []).filter((r) => !isWarm(r)).map((r) => instanceShape(c.d, svc, r)) } : {}),
    CreatedTime: new Date(rec.createdAt),
    SuspendedProcesses: (g?.state.suspended ?? []).map((p) => ({ ProcessName: p, SuspensionReason: 'User suspended at an unknown time' })),
    VPCZoneIdentifier: subnets.join(','),
    EnabledMetrics: [],
    Tags: tagDescriptions(rec),
    TerminationPolicies: spec.terminationPolicies,
    NewInstancesProtectedFromScaleIn: spec.newInstancesProtectedFromScaleIn,
    ServiceLinkedRoleARN: `arn:aws:iam::000000000000:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    CapacityRebalance: false,
    ...warmPool(g),
    ...(spec.defaultInstanceWarmup !== undefined ? { DefaultInstanceWarmup: spec.defaultInstanceWarmup } : {}),
    TrafficSources: tgArns.map((a) => ({ Identifier: a, Type: 'elbv2' })),
    DeletionProtection: 'none',
  };
}

/** A group being deleted: its record is gone, its controller still terminates instances. */
export function deletingShape(c: ViewContext, g: GroupController, rec: Pick<ResourceRecord, 'id' | 'createdAt'>): Record<string, unknown> {
  const base = groupShape(c, { rec: { ...rec, tags: {}, raw: {}, owner: { kind: 'api' }, kind: 'autoScalingGroups', name: g.spec.name, version: 0 }, spec: g.spec, g });
  return { ...base, ...sizes(g.spec, g), Status: 'Delete in progress' };
}
