/**
 * Zones, the VPC and its subnets, from resources/zones.ts: every zone has one
 * subnet (its loopback /24), all in one default VPC (127.0.0.0/16).
 */
import { VPC_CIDR, VPC_ID, type ZoneInfo } from '../../../resources/zones.js';
import { ACCOUNT_ID, awsError, type Operations } from '../common/op.js';
import type { Ec2Context } from './context.js';
import { checkFilters, matches, requireFound, tokenPage } from './paging.js';

/** Addresses .10-.254 are handed out (providers/provider.ts FIRST_HOST). */
const USABLE = 245;

export function networkOps(ctx: Ec2Context): Operations {
  const zones = (): ZoneInfo[] => ctx.d.zones.list(ctx.d.model.effective.autoScalingGroups.flatMap((g) => g.availabilityZones));
  return {
    DescribeAvailabilityZones(input, c) {
      const filters = checkFilters(input.Filters, ['zone-name', 'zone-id', 'state', 'region-name', 'zone-type']);
      const all = zones();
      requireFound(input.ZoneNames, new Set(all.map((z) => z.name)), (n) => awsError('InvalidParameterValue', `The zone '${n}' does not exist in region ${c.region}.`));
      const views = all
        .filter((z) => (!input.ZoneNames || input.ZoneNames.includes(z.name)) && (!input.ZoneIds || input.ZoneIds.includes(z.zoneId)))
        .map((z) => ({
          State: 'available', OptInStatus: 'opt-in-not-required', Messages: [], RegionName: c.region, ZoneName: z.name, ZoneId: z.zoneId,
          GroupName: c.region, NetworkBorderGroup: c.region, ZoneType: 'availability-zone',
        }));
      const key: Record<string, keyof (typeof views)[number]> = { 'zone-name': 'ZoneName', 'zone-id': 'ZoneId', state: 'State', 'region-name': 'RegionName', 'zone-type': 'ZoneType' };
      return { AvailabilityZones: views.filter((v) => matches(filters, (f) => [String(v[key[f]!])])) };
    },

    DescribeVpcs(input) {
      const filters = checkFilters(input.Filters, ['vpc-id', 'is-default', 'cidr', 'cidr-block-association.cidr-block', 'state', 'owner-id']);
      requireFound(input.VpcIds, new Set([VPC_ID]), (id) => awsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`));
      const vals = (f: string) => (({ 'vpc-id': VPC_ID, 'is-default': 'true', cidr: VPC_CIDR, 'cidr-block-association.cidr-block': VPC_CIDR, state: 'available', 'owner-id': ACCOUNT_ID }) as Record<string, string>)[f];
      const vpc = {
        OwnerId: ACCOUNT_ID, InstanceTenancy: 'default', IsDefault: true, VpcId: VPC_ID, State: 'available', CidrBlock: VPC_CIDR, DhcpOptionsId: 'default',
        CidrBlockAssociationSet: [{ AssociationId: `vpc-cidr-assoc-${VPC_ID.slice(4)}`, CidrBlock: VPC_CIDR, CidrBlockState: { State: 'associated' } }], Tags: [],
      };
      return { Vpcs: matches(filters, (f) => [vals(f)!]) ? [vpc] : [] };
    },

    async DescribeSubnets(input, c) {
      const filters = checkFilters(input.Filters, ['subnet-id', 'vpc-id', 'availability-zone', 'availability-zone-id', 'default-for-az', 'cidr-block', 'state']);
      const all = zones();
      requireFound(input.SubnetIds, new Set(all.map((z) => z.subnetId)), (id) => awsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`));
      const used = await addressesInUse(ctx);
      const views = all.filter((z) => !input.SubnetIds || input.SubnetIds.includes(z.subnetId)).map((z) => ({
        AvailabilityZone: z.name, AvailabilityZoneId: z.zoneId, AvailableIpAddressCount: USABLE - (used.get(z.index) ?? 0),
        CidrBlock: z.cidr, DefaultForAz: true, MapPublicIpOnLaunch: false, State: 'available', SubnetId: z.subnetId, VpcId: VPC_ID,
        OwnerId: ACCOUNT_ID, AssignIpv6AddressOnCreation: false, Ipv6CidrBlockAssociationSet: [], Tags: [],
        SubnetArn: `arn:aws:ec2:${c.region}:${ACCOUNT_ID}:subnet/${z.subnetId}`,
      }));
      const key: Record<string, string> = {
        'subnet-id': 'SubnetId', 'vpc-id': 'VpcId', 'availability-zone': 'AvailabilityZone', 'availability-zone-id': 'AvailabilityZoneId',
        'default-for-az': 'DefaultForAz', 'cidr-block': 'CidrBlock', state: 'State',
      };
      const found = views.filter((v) => matches(filters, (f) => [String((v as Record<string, unknown>)[key[f]!])]));
      const { items, NextToken } = tokenPage(found, input, [5, 1000]);
      return { Subnets: items, ...(NextToken ? { NextToken } : {}) };
    },
  };
}

/** Live instances per zone index (their address's third octet - 1). */
async function addressesInUse(ctx: Ec2Context): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const list = (await ctx.d.autoScaling()?.provider.list()) ?? [];
  for (const o of list) {
    if (o.state === 'terminated') continue;
    const index = Number(o.privateIp.split('.')[2]) - 1;
    out.set(index, (out.get(index) ?? 0) + 1);
  }
  return out;
}
