/**
 * LaunchTemplateData (EC2's request and response form) to and from a version
 * as the config holds it ({ imageId, instanceType, userData, tags, ... }).
 * What the config has no field for but an AWS client sends routinely
 * (SecurityGroupIds, SecurityGroups, KeyName) is kept beside it ("extras") and
 * shown back; anything else is refused by name.
 */
import type { LaunchTemplateVersion } from '../../../model/auto-scaling.js';
import { awsError, tagList, tagMap, type Input } from '../common/op.js';
import { imageNotFound, invalidParam, unsupported } from './errors.js';
import type { Ec2Context } from './context.js';

export interface Extras {
  SecurityGroupIds?: string[];
  SecurityGroups?: string[];
  KeyName?: string;
}

const SUPPORTED = ['ImageId', 'InstanceType', 'UserData', 'TagSpecifications', 'SecurityGroupIds', 'SecurityGroups', 'KeyName'];
const EXTRAS = ['SecurityGroupIds', 'SecurityGroups', 'KeyName'] as const;

/** The config form of a version; `base` is the SourceVersion's data (EC2: without one, only what is given counts). */
export function toVersion(ctx: Ec2Context, data: Input, base?: LaunchTemplateVersion): { version: Record<string, unknown>; extras: Extras } {
  for (const key of Object.keys(data)) {
    if (!SUPPORTED.includes(key)) throw unsupported(`LaunchTemplateData.${key} (shoal supports ${SUPPORTED.join(', ')})`);
  }
  const imageId = (data.ImageId as string | undefined) ?? base?.imageId;
  if (imageId === undefined) throw invalidParam('shoal needs LaunchTemplateData.ImageId: an image from aws ec2 describe-images (shoal/hello is built in).');
  checkImage(ctx, imageId);
  const version: Record<string, unknown> = {
    imageId,
    instanceType: data.InstanceType ?? base?.instanceType ?? 't3.micro',
    userData: data.UserData !== undefined ? decodeUserData(data.UserData as string) : base?.userData ?? '',
    environment: base?.environment ?? {},
    tags: data.TagSpecifications !== undefined ? instanceTags(data.TagSpecifications) : base?.tags ?? {},
  };
  if (base?.portMode && base.portMode !== 'host') version.portMode = base.portMode;
  const extras: Extras = {};
  for (const k of EXTRAS) if (data[k] !== undefined) (extras as Record<string, unknown>)[k] = data[k];
  return { version, extras };
}

/** An ami- id must be an image shoal has; an absolute directory path is a shoal extension (registered as the config does). */
export function checkImage(ctx: Ec2Context, imageId: string): void {
  if (imageId.startsWith('/')) return;
  if (!/^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(imageId)) throw awsError('InvalidAMIID.Malformed', `Invalid id: "${imageId}" (expecting "ami-...")`);
  if (!ctx.images.get(imageId)) throw imageNotFound(imageId);
}

export function decodeUserData(b64: string): string {
  const clean = b64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    throw awsError('InvalidUserData.Malformed', 'Invalid BASE64 encoding of user data. UserData must be base64 (the AWS CLI encodes a file given as fileb:// or file://).');
  }
  return Buffer.from(clean, 'base64').toString('utf8');
}

/** The tags of TagSpecifications for one resource type. */
export function specTags(specs: Array<{ ResourceType?: string; Tags?: Array<{ Key: string; Value?: string }> }> | undefined, type: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of specs ?? []) if (s.ResourceType === type) Object.assign(out, tagMap(s.Tags, 'InvalidParameterValue'));
  return out;
}

function instanceTags(specs: Array<{ ResourceType?: string; Tags?: Array<{ Key: string; Value?: string }> }>): Record<string, string> {
  for (const s of specs) {
    if (s.ResourceType !== 'instance') throw unsupported(`TagSpecifications of resource type ${s.ResourceType ?? '(none)'} in a launch template (shoal tags instances only)`);
  }
  return specTags(specs, 'instance');
}

/** ResponseLaunchTemplateData. */
export function toData(v: LaunchTemplateVersion, extras: Extras = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ImageId: v.imageId, InstanceType: v.instanceType, ...extras };
  if (v.userData) out.UserData = Buffer.from(v.userData, 'utf8').toString('base64');
  if (Object.keys(v.tags).length > 0) out.TagSpecifications = [{ ResourceType: 'instance', Tags: tagList(v.tags) }];
  return out;
}
