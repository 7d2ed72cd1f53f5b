/**
 * Security groups: accepted, stored (doc kind ec2:security-group) and shown,
 * NOT enforced: shoal's instances listen on loopback addresses and nothing
 * filters their traffic. The VPC's `default` group always exists.
 */
import { createHash } from 'node:crypto';
import { randomHex } from '../../../core/random.js';
import { VPC_ID } from '../../../resources/zones.js';
import { ACCOUNT_ID, awsError, required, tagList, type Input, type Operations } from '../common/op.js';
import { SG_KIND, type Ec2Context } from './context.js';
import { combination, missing } from './errors.js';
import { specTags } from './lt-data.js';
import { checkFilters, matches, requireFound, tokenPage } from './paging.js';

interface Permission {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: Array<{ CidrIp: string; Description?: string }>;
  Ipv6Ranges?: Array<{ CidrIpv6: string; Description?: string }>;
  UserIdGroupPairs?: Array<{ GroupId?: string; GroupName?: string; UserId?: string }>;
  PrefixListIds?: unknown[];
}

export interface StoredGroup {
  GroupId: string;
  GroupName: string;
  Description: string;
  VpcId: string;
  IpPermissions: Permission[];
  IpPermissionsEgress: Permission[];
  tags: Record<string, string>;
}

const ALL_OUT: Permission = { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
export const DEFAULT_GROUP_ID = 'sg-' + createHash('sha256').update('shoal-default-sg').digest('hex').slice(0, 17);

function groups(ctx: Ec2Context): StoredGroup[] {
  if (!ctx.d.store.getDoc(SG_KIND, DEFAULT_GROUP_ID)) {
    ctx.d.store.putDoc(SG_KIND, DEFAULT_GROUP_ID, {
      GroupId: DEFAULT_GROUP_ID, GroupName: 'default', Description: 'default VPC security group', VpcId: VPC_ID,
      IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: DEFAULT_GROUP_ID, UserId: ACCOUNT_ID }] }], IpPermissionsEgress: [ALL_OUT], tags: {},
    } satisfies StoredGroup);
  }
  return ctx.d.store.listDocs<StoredGroup>(SG_KIND).map((d) => d.value);
}

export function findGroup(ctx: Ec2Context, o: { GroupId?: string; GroupName?: string }): StoredGroup {
  const all = groups(ctx);
  const g = o.GroupId !== undefined ? all.find((x) => x.GroupId === o.GroupId) : all.find((x) => x.GroupName === o.GroupName);
  if (!g) throw notFound(o.GroupId ?? o.GroupName ?? '');
  return g;
}

const notFound = (id: string) => awsError('InvalidGroup.NotFound', `The security group '${id}' does not exist in default VPC '${VPC_ID}'`);

export function addGroupTags(ctx: Ec2Context, groupId: string, tags: Record<string, string>): void {
  const g = findGroup(ctx, { GroupId: groupId });
  ctx.d.store.putDoc(SG_KIND, groupId, { ...g, tags: { ...g.tags, ...tags } });
}

const view = (g: StoredGroup) => {
  const { tags, ...rest } = g;
  return { ...rest, OwnerId: ACCOUNT_ID, Tags: tagList(tags) };
};

export function securityGroupOps(ctx: Ec2Context): Operations {
  return {
    CreateSecurityGroup(input, c) {
      const name = required<string>(input, 'GroupName');
      const description = required<string>(input, 'Description');
      if (input.VpcId !== undefined && input.VpcId !== VPC_ID) throw awsError('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`);
      if (groups(ctx).some((g) => g.GroupName === name)) throw awsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${VPC_ID}'`);
      const tags = specTags(input.TagSpecifications, 'security-group');
      const g: StoredGroup = { GroupId: 'sg-' + randomHex(ctx.d.random, 17), GroupName: name, Description: description, VpcId: VPC_ID, IpPermissions: [], IpPermissionsEgress: [ALL_OUT], tags };
      ctx.d.store.putDoc(SG_KIND, g.GroupId, g);
      return { GroupId: g.GroupId, Tags: tagList(tags), SecurityGroupArn: `arn:aws:ec2:${c.region}:${ACCOUNT_ID}:security-group/${g.GroupId}` };
    },

    DescribeSecurityGroups(input) {
      const filters = checkFilters(input.Filters, ['group-id', 'group-name', 'vpc-id', 'description', 'owner-id']);
      const all = groups(ctx);
      requireFound(input.GroupIds, new Set(all.map((g) => g.GroupId)), notFound);
      requireFound(input.GroupNames, new Set(all.map((g) => g.GroupName)), notFound);
      const key: Record<string, keyof StoredGroup> = { 'group-id': 'GroupId', 'group-name': 'GroupName', 'vpc-id': 'VpcId', description: 'Description' };
      const found = all.filter((g) => (!input.GroupIds || input.GroupIds.includes(g.GroupId)) && (!input.GroupNames || input.GroupNames.includes(g.GroupName)))
        .filter((g) => matches(filters, (f) => [f === 'owner-id' ? ACCOUNT_ID : String(g[key[f]!])], g.tags));
      const { items, NextToken } = tokenPage(found, input, [5, 1000]);
      return { SecurityGroups: items.map(view), ...(NextToken ? { NextToken } : {}) };
    },

    AuthorizeSecurityGroupIngress(input) {
      if (input.GroupId === undefined && input.GroupName === undefined) throw missing('GroupId or GroupName');
      const g = findGroup(ctx, input);
      const perms = permissions(ctx, input);
      for (const p of perms) {
        if (g.IpPermissions.some((x) => JSON.stringify(x) === JSON.stringify(p))) {
          throw awsError('InvalidPermission.Duplicate', `the specified rule "peer: ${p.IpRanges?.[0]?.CidrIp ?? 'group'}, ${p.IpProtocol.toUpperCase()}, from port: ${p.FromPort}, to port: ${p.ToPort}, ALLOW" already exists`);
        }
      }
      ctx.d.store.putDoc(SG_KIND, g.GroupId, { ...g, IpPermissions: [...g.IpPermissions, ...perms] });
      return { Return: true, SecurityGroupRules: perms.map((p) => ruleView(ctx, g, p)) };
    },
  };
}

/** IpPermissions, or the CLI's shorthand (--protocol tcp --port 80 --cidr 0.0.0.0/0 / --source-group). */
function permissions(ctx: Ec2Context, input: Input): Permission[] {
  const shorthand = input.IpProtocol !== undefined || input.CidrIp !== undefined || input.SourceSecurityGroupName !== undefined;
  if (shorthand && input.IpPermissions !== undefined) throw combination('Give IpPermissions or the single-rule parameters (IpProtocol, FromPort, ToPort, CidrIp), not both.');
  if (!shorthand) return required<Permission[]>(input, 'IpPermissions');
  const p: Permission = { IpProtocol: String(input.IpProtocol ?? '-1') };
  if (input.FromPort !== undefined) p.FromPort = input.FromPort;
  if (input.ToPort !== undefined) p.ToPort = input.ToPort;
  if (input.CidrIp !== undefined) p.IpRanges = [{ CidrIp: input.CidrIp }];
  if (input.SourceSecurityGroupName !== undefined) p.UserIdGroupPairs = [{ GroupId: findGroup(ctx, { GroupName: input.SourceSecurityGroupName }).GroupId, UserId: ACCOUNT_ID }];
  return [p];
}

function ruleView(ctx: Ec2Context, g: StoredGroup, p: Permission): Record<string, unknown> {
  return {
    SecurityGroupRuleId: 'sgr-' + randomHex(ctx.d.random, 17), GroupId: g.GroupId, GroupOwnerId: ACCOUNT_ID, IsEgress: false, IpProtocol: p.IpProtocol,
    FromPort: p.FromPort ?? -1, ToPort: p.ToPort ?? -1, ...(p.IpRanges?.[0] ? { CidrIpv4: p.IpRanges[0].CidrIp } : {}),
    ...(p.UserIdGroupPairs?.[0] ? { ReferencedGroupInfo: { GroupId: p.UserIdGroupPairs[0].GroupId, UserId: ACCOUNT_ID } } : {}), Tags: [],
  };
}
