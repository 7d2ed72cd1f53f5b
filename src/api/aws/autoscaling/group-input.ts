/**
 * CreateAutoScalingGroup / UpdateAutoScalingGroup inputs as the group's raw
 * config (what a YAML file would say), plus what only the API keeps (the
 * subnets given, tags' PropagateAtLaunch, hooks' notification metadata) for
 * the record's meta. Members shoal cannot honour answer ValidationError.
 */
import { required, validation, type Input } from '../common/op.js';
import { unsupported } from './context.js';
import type { AutoScalingDeps } from './deps.js';
import { launchTemplateRef, targetGroupNames, zonesOf } from './resolve.js';

type Raw = Record<string, unknown>;

/** Members with no meaning in shoal: refused unless absent (or at the value that describes what shoal does). */
function refuseUnsupported(input: Input): void {
  const refuse: Array<[string, (v: any) => boolean]> = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    ['LaunchConfigurationName', () => true], ['MixedInstancesPolicy', () => true], ['InstanceId', () => true],
    ['LoadBalancerNames', (v) => v.length > 0], ['PlacementGroup', (v) => v !== ''], ['CapacityRebalance', (v) => v === true],
    ['MaxInstanceLifetime', (v) => v !== 0], ['InstanceMaintenancePolicy', () => true], ['CapacityReservationSpecification', () => true],
    ['InstanceLifecyclePolicy', () => true], ['AvailabilityZoneImpairmentPolicy', () => true],
    ['DeletionProtection', (v) => v !== 'none'], ['DesiredCapacityType', (v) => v !== 'units'],
    ['AvailabilityZoneDistribution', (v) => v.CapacityDistributionStrategy !== 'balanced-best-effort'],
  ];
  const why: Record<string, string> = {
    LaunchConfigurationName: 'LaunchConfigurationName (launch configurations; use a launch template)',
    LoadBalancerNames: 'LoadBalancerNames (Classic Load Balancers; use TargetGroupARNs)',
    InstanceId: 'InstanceId (a group from an instance; use a launch template)',
  };
  for (const [member, bad] of refuse) {
    if (input[member] !== undefined && bad(input[member])) throw unsupported(why[member] ?? member);
  }
}

function healthCheckType(v: unknown): 'EC2' | 'ELB' | undefined {
  if (v === undefined) return undefined;
  if (v === 'EC2' || v === 'ELB') return v;
  throw validation(`Health check type ${String(v)} is not supported by shoal: use EC2 or ELB.`);
}

function hook(h: Input): Raw {
  if (h.NotificationTargetARN !== undefined) throw unsupported('NotificationTargetARN (SNS/SQS notification targets; shoal runs a lifecycle hook\'s notificationCommand from the config file instead)');
  return dropUndefined({
    name: h.LifecycleHookName, lifecycleTransition: h.LifecycleTransition,
    heartbeatTimeout: h.HeartbeatTimeout, defaultResult: h.DefaultResult,
  });
}

/** What the record's meta keeps of a hook beyond the config (DescribeLifecycleHooks echoes it). */
export function hookMeta(h: Input): Record<string, string> {
  return dropUndefined({ notificationMetadata: h.NotificationMetadata, roleArn: h.RoleARN }) as Record<string, string>;
}

/** Fields both Create and Update take, as raw config (only those given). */
function common(d: AutoScalingDeps, input: Input): { raw: Raw; subnets?: string[] } {
  refuseUnsupported(input);
  const z = zonesOf(d, input);
  const tgs = [...(input.TargetGroupARNs as string[] | undefined ?? []), ...trafficSourceArns(input.TrafficSources)];
  const raw = dropUndefined({
    launchTemplate: input.LaunchTemplate ? launchTemplateRef(d, input.LaunchTemplate) : undefined,
    minSize: input.MinSize, maxSize: input.MaxSize, desiredCapacity: input.DesiredCapacity,
    availabilityZones: z?.zones,
    targetGroups: tgs.length > 0 ? targetGroupNames(d, tgs) : undefined,
    healthCheckType: healthCheckType(input.HealthCheckType),
    healthCheckGracePeriod: input.HealthCheckGracePeriod,
    defaultCooldown: input.DefaultCooldown,
    terminationPolicies: input.TerminationPolicies?.length ? input.TerminationPolicies : undefined,
    newInstancesProtectedFromScaleIn: input.NewInstancesProtectedFromScaleIn,
    defaultInstanceWarmup: input.DefaultInstanceWarmup === -1 ? undefined : input.DefaultInstanceWarmup,
  });
  return z?.subnets ? { raw, subnets: z.subnets } : { raw };
}

/** TrafficSources of type elbv2 (the only kind shoal has) as target group ARNs. */
export function trafficSourceArns(list: unknown): string[] {
  return ((list as Input[] | undefined) ?? []).map((t) => {
    if (t.Type !== undefined && t.Type !== 'elbv2') throw unsupported(`Traffic source type ${String(t.Type)} (shoal has elbv2 target groups only)`);
    return String(t.Identifier);
  });
}

export interface CreatePlan {
  raw: Raw;
  meta: Record<string, unknown>;
}

export function createPlan(d: AutoScalingDeps, input: Input): CreatePlan {
  const name = required<string>(input, 'AutoScalingGroupName');
  required(input, 'MinSize');
  required(input, 'MaxSize');
  if (!input.LaunchTemplate) {
    if (input.LaunchConfigurationName || input.InstanceId || input.MixedInstancesPolicy) refuseUnsupported(input);
    throw validation('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
  }
  const { raw, subnets } = common(d, input);
  if (!raw.availabilityZones) throw validation('At least one Availability Zone or VPC Subnet is required.');
  const hooks = (input.LifecycleHookSpecificationList as Input[] | undefined) ?? [];
  const meta: Record<string, unknown> = {
    ...(subnets ? { subnets } : {}),
    hooks: Object.fromEntries(hooks.map((h) => [h.LifecycleHookName, hookMeta(h)])),
  };
  // The API's default grace period is 0 (the config's is 300, the console's).
  return { raw: { name, healthCheckGracePeriod: 0, ...raw, lifecycleHooks: hooks.map(hook) }, meta };
}

/** UpdateAutoScalingGroup: the change to the raw record and the subnets to keep in meta (undefined: unchanged). */
export function updatePlan(d: AutoScalingDeps, input: Input): { fields: Raw; subnets?: string[] | null } {
  const { raw, subnets } = common(d, input);
  const zonesGiven = input.AvailabilityZones !== undefined || input.AvailabilityZoneIds !== undefined || input.VPCZoneIdentifier !== undefined;
  if (input.DefaultInstanceWarmup === -1) raw.defaultInstanceWarmup = undefined; // -1 resets it (AWS)
  return zonesGiven ? { fields: raw, subnets: subnets ?? null } : { fields: raw };
}

function dropUndefined(o: Raw): Raw {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
