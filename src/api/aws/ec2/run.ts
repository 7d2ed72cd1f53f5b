/**
 * RunInstances: standalone instances (in no Auto Scaling group) on the
 * groups' provider, from an image or a launch template version, in one zone
 * (SubnetId, else Placement.AvailabilityZone, else the first zone). The app
 * gets PORT=8080 (no target group tells it another). ClientToken makes a retry
 * answer the first call's reservation.
 */
import type { StandaloneRecord } from '../../../controlplane/instances/standalone.js';
import type { LaunchTemplateVersion } from '../../../model/auto-scaling.js';
import type { ZoneInfo } from '../../../resources/zones.js';
import { ACCOUNT_ID, awsError, required, type Input, type Operations } from '../common/op.js';
import { ltId, type Ec2Context } from './context.js';
import { combination, invalidParam, missing, unsupported, versionNotFound } from './errors.js';
import { allFacts, instanceView } from './instance-view.js';
import { checkImage, decodeUserData, specTags } from './lt-data.js';
import { resolveVersion } from '../../../controlplane/images/launch-templates.js';

const SUPPORTED = [
  'ImageId', 'InstanceType', 'MinCount', 'MaxCount', 'KeyName', 'SecurityGroupIds', 'SecurityGroups', 'SubnetId', 'UserData',
  'TagSpecifications', 'LaunchTemplate', 'Placement', 'ClientToken', 'Monitoring', 'DryRun',
];
export const STANDALONE_PORT = 8080;

export function runOps(ctx: Ec2Context): Operations {
  return {
    async RunInstances(input) {
      for (const key of Object.keys(input)) if (!SUPPORTED.includes(key)) throw unsupported(`RunInstances parameter ${key} (shoal supports ${SUPPORTED.join(', ')})`);
      const min = count(input, 'MinCount');
      const max = count(input, 'MaxCount');
      if (min > max) throw invalidParam(`MinCount (${min}) must not be greater than MaxCount (${max}).`);
      const token = input.ClientToken as string | undefined;
      const again = token === undefined ? [] : ctx.d.instances.list().filter((r) => r.clientToken === token);
      if (again.length > 0) return reservation(ctx, again);
      const { version, template } = base(ctx, input);
      const imageId = (input.ImageId as string | undefined) ?? version?.imageId;
      if (imageId === undefined) throw missing('ImageId');
      checkImage(ctx, imageId);
      const imageDir = ctx.images.directory(imageId);
      const zone = zoneOf(ctx, input);
      const tags = { ...version?.tags, ...instanceTags(input.TagSpecifications) };
      const svc = await ctx.d.ensureAutoScaling();
      const done = await ctx.d.instances.run({
        minCount: min, maxCount: max,
        spec: {
          imageDir, availabilityZone: zone.name, zoneIndex: zone.index, instanceType: (input.InstanceType as string | undefined) ?? version?.instanceType ?? 't3.micro',
          userData: input.UserData !== undefined ? decodeUserData(input.UserData) : version?.userData ?? '', environment: { ...version?.environment },
          port: STANDALONE_PORT, templateVersion: template?.Version ?? '', tags, portMode: version?.portMode ?? 'host',
        },
        record: {
          imageId: imageId.startsWith('/') ? ctx.images.registerDirectory(imageId).imageId : imageId,
          instanceType: (input.InstanceType as string | undefined) ?? version?.instanceType ?? 't3.micro', availabilityZone: zone.name,
          securityGroupIds: [...((input.SecurityGroupIds as string[] | undefined) ?? []), ...ctx.securityGroupIdsByName(input.SecurityGroups)],
          ...(input.KeyName ? { keyName: input.KeyName } : {}), ...(token ? { clientToken: token } : {}), ...(template ? { launchTemplate: template } : {}),
        },
      });
      svc.poke();
      return reservation(ctx, done);
    },
  };
}

function count(input: Input, member: string): number {
  const n = required<number>(input, member);
  if (!Number.isInteger(n) || n < 1) throw invalidParam(`${member} must be a whole number of at least 1 (got ${n}).`);
  return n;
}

/** The launch template version RunInstances starts from, if one is given. */
function base(ctx: Ec2Context, input: Input): { version?: LaunchTemplateVersion; template?: StandaloneRecord['launchTemplate'] } {
  const spec = input.LaunchTemplate as { LaunchTemplateId?: string; LaunchTemplateName?: string; Version?: string } | undefined;
  if (!spec) return {};
  const rec = ctx.template(spec);
  const t = ctx.stored(rec);
  const ref = spec.Version ?? '$Default';
  let v;
  try {
    v = resolveVersion(t, ref as never);
  } catch {
    throw versionNotFound(ref, rec.name);
  }
  return { version: v.data, template: { LaunchTemplateId: ltId(rec), LaunchTemplateName: rec.name, Version: String(v.versionNumber) } };
}

function zoneOf(ctx: Ec2Context, input: Input): ZoneInfo {
  const also = ctx.d.model.effective.autoScalingGroups.flatMap((g) => g.availabilityZones);
  const subnet = input.SubnetId as string | undefined;
  const az = (input.Placement as { AvailabilityZone?: string } | undefined)?.AvailabilityZone;
  const bySubnet = subnet === undefined ? undefined : ctx.d.zones.bySubnet(subnet, also);
  if (subnet !== undefined && !bySubnet) throw awsError('InvalidSubnetID.NotFound', `The subnet ID '${subnet}' does not exist (aws ec2 describe-subnets lists them).`);
  if (bySubnet && az !== undefined && az !== bySubnet.name) throw combination(`The subnet ${subnet} is in ${bySubnet.name}, not ${az}.`);
  if (bySubnet) return bySubnet;
  if (az !== undefined) {
    const z = ctx.d.zones.list(also).find((x) => x.name === az);
    if (!z) throw invalidParam(`Invalid availability zone: [${az}] (aws ec2 describe-availability-zones lists them).`);
    return z;
  }
  return ctx.d.zones.list(also)[0]!;
}

function instanceTags(specs: Array<{ ResourceType?: string }> | undefined): Record<string, string> {
  for (const s of specs ?? []) if (s.ResourceType !== 'instance') throw unsupported(`TagSpecifications of resource type ${s.ResourceType ?? '(none)'} (shoal tags instances only)`);
  return specTags(specs as never, 'instance');
}

async function reservation(ctx: Ec2Context, recs: StandaloneRecord[]): Promise<Record<string, unknown>> {
  const ids = new Set(recs.map((r) => r.instanceId));
  const facts = (await allFacts(ctx)).filter((f) => ids.has(f.instanceId));
  return { ReservationId: recs[0]!.reservationId, OwnerId: ACCOUNT_ID, Groups: [], Instances: facts.map((f) => instanceView(ctx, f)) };
}
