/**
 * An instance as EC2 shows it, from what the provider observes and what
 * launched it (an Auto Scaling group's record, or a standalone record).
 */
import { createHash } from 'node:crypto';
import type { StandaloneRecord } from '../../../controlplane/instances/standalone.js';
import type { InstanceObservation } from '../../../providers/provider.js';
import { VPC_ID } from '../../../resources/zones.js';
import { tagList } from '../common/op.js';
import type { Ec2Context } from './context.js';

export interface InstanceFacts {
  instanceId: string;
  obs?: InstanceObservation;
  standalone?: StandaloneRecord;
  /** The Auto Scaling group holding it. */
  group?: string;
  /** For a group's instance: the template version it was launched from. */
  template?: { name: string; version: number };
}

const STATES = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 } as const;
export type StateName = keyof typeof STATES;

export function stateName(f: InstanceFacts): StateName {
  const o = f.obs;
  if (!o) return 'terminated';
  if (o.state === 'terminated') return 'terminated';
  if (o.state === 'stopping' || f.standalone?.terminatedAt !== undefined) return 'shutting-down';
  if (o.state === 'stopped' || o.frozen) return 'stopped';
  return o.state === 'pending' ? 'pending' : 'running';
}

export function state(name: StateName): { Code: number; Name: string } {
  return { Code: STATES[name], Name: name };
}

/** Every instance shoal knows: the provider's, and standalone records the provider has forgotten (terminated). */
export async function allFacts(ctx: Ec2Context): Promise<InstanceFacts[]> {
  const svc = ctx.d.autoScaling();
  const observed = (await svc?.provider.list()) ?? [];
  const standalone = new Map(ctx.d.instances.list().map((r) => [r.instanceId, r]));
  const out: InstanceFacts[] = observed.map((obs) => {
    const g = svc?.owner(obs.instanceId);
    const r = g?.find(obs.instanceId);
    const s = standalone.get(obs.instanceId);
    standalone.delete(obs.instanceId);
    return {
      instanceId: obs.instanceId, obs, ...(s ? { standalone: s } : {}),
      ...(g ? { group: g.state.name } : {}), ...(r ? { template: { name: r.templateName, version: r.templateVersion } } : {}),
    };
  });
  for (const s of standalone.values()) out.push({ instanceId: s.instanceId, standalone: s });
  return out.sort((a, b) => launched(a) - launched(b) || (a.instanceId < b.instanceId ? -1 : 1));
}

const launched = (f: InstanceFacts): number => f.obs?.launchedAt ?? f.standalone?.launchedAt ?? 0;

export function reservationId(f: InstanceFacts): string {
  return f.standalone?.reservationId ?? 'r-0' + createHash('sha256').update(f.instanceId).digest('hex').slice(0, 16);
}

export function instanceTags(ctx: Ec2Context, f: InstanceFacts): Record<string, string> {
  return { ...f.obs?.tags, ...ctx.tags(f.instanceId) };
}

function imageIdOf(ctx: Ec2Context, f: InstanceFacts): string | undefined {
  if (f.standalone) return f.standalone.imageId;
  if (!f.template) return undefined;
  try {
    return ctx.templates.resolve(f.template.name, f.template.version).data.imageId;
  } catch {
    return undefined;
  }
}

export function instanceView(ctx: Ec2Context, f: InstanceFacts): Record<string, unknown> {
  const name = stateName(f);
  const zone = f.obs?.availabilityZone ?? f.standalone?.availabilityZone ?? '';
  const s = f.standalone;
  const imageId = imageIdOf(ctx, f);
  const v: Record<string, unknown> = {
    InstanceId: f.instanceId,
    ...(imageId ? { ImageId: imageId } : {}),
    State: state(name),
    PrivateDnsName: '',
    PublicDnsName: '',
    StateTransitionReason: s?.stateTransitionReason ?? (f.obs?.impairedReason && name === 'stopped' ? f.obs.impairedReason : ''),
    AmiLaunchIndex: s?.launchIndex ?? 0,
    InstanceType: f.obs?.instanceType ?? s?.instanceType ?? 't3.micro',
    LaunchTime: new Date(launched(f)),
    Placement: { AvailabilityZone: zone, GroupName: '', Tenancy: 'default' },
    Monitoring: { State: 'disabled' },
    Architecture: process.arch === 'arm64' ? 'arm64' : 'x86_64',
    RootDeviceType: 'instance-store',
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    PlatformDetails: 'Linux/UNIX',
    SecurityGroups: (s?.securityGroupIds ?? []).map((id) => ({ GroupId: id, GroupName: ctx.securityGroupName(id) ?? id })),
    Tags: tagList(instanceTags(ctx, f)),
  };
  if (name !== 'terminated' && f.obs) {
    Object.assign(v, { PrivateIpAddress: f.obs.privateIp, SubnetId: ctx.d.zones.get(zone).subnetId, VpcId: VPC_ID });
  }
  if (s?.keyName) v.KeyName = s.keyName;
  if (s?.clientToken) v.ClientToken = s.clientToken;
  if (name === 'terminated' || name === 'shutting-down') v.StateReason = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
  else if (name === 'stopped' && !s?.stoppedAt) v.StateReason = { Code: 'Server.InternalError', Message: `Server.InternalError: ${f.obs?.impairedReason ?? 'the instance\'s processes ended'}` };
  return v;
}

/** The values DescribeInstances' filters test. */
export function filterValues(v: Record<string, unknown>, reservation: string): (name: string) => string[] {
  const st = v.State as { Code: number; Name: string };
  const placement = v.Placement as { AvailabilityZone: string };
  const map: Record<string, unknown> = {
    'instance-id': v.InstanceId, 'instance-state-name': st.Name, 'instance-state-code': String(st.Code), 'availability-zone': placement.AvailabilityZone,
    'subnet-id': v.SubnetId, 'vpc-id': v.VpcId, 'image-id': v.ImageId, 'instance-type': v.InstanceType, 'private-ip-address': v.PrivateIpAddress,
    'reservation-id': reservation, 'key-name': v.KeyName,
  };
  return (name) => {
    if (name === 'instance.group-id') return (v.SecurityGroups as Array<{ GroupId: string }>).map((g) => g.GroupId);
    const x = map[name];
    return x === undefined ? [] : [String(x)];
  };
}

export const INSTANCE_FILTERS = [
  'instance-id', 'instance-state-name', 'instance-state-code', 'availability-zone', 'subnet-id', 'vpc-id', 'image-id',
  'instance-type', 'private-ip-address', 'reservation-id', 'key-name', 'instance.group-id',
];
