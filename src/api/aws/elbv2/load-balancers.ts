/** elbv2 load balancer operations over the model service. */
import { VPC_ID } from '../../../resources/zones.js';
import { awsError, page, required, tagMap, type Input, type Operations, type Output } from '../common/op.js';
import type { Elbv2Deps } from './deps.js';
import { modelErrors } from './errors.js';
import { lbAttributesIn, lbAttributesOut } from './lb-attributes.js';
import { Resolver, type LbRef } from './resolve.js';

export function loadBalancerOps(d: Elbv2Deps): Operations {
  return {
    async CreateLoadBalancer(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const name = required<string>(input, 'Name');
      const type = input.Type ?? 'application';
      if (type === 'gateway') throw awsError('ValidationError', 'Gateway load balancers are not supported by shoal.');
      const subnets = [...(input.Subnets ?? []), ...((input.SubnetMappings ?? []) as Input[]).map((m) => m.SubnetId)] as string[];
      const zones = subnets.map((s) => {
        const z = d.zones.bySubnet(s, zoneNames(d));
        if (!z) throw awsError('SubnetNotFound', `The subnet ID '${s}' is not valid`);
        return z.name;
      });
      if (type === 'application' && new Set(zones).size < 2) {
        throw awsError('ValidationError', 'At least two subnets in two different Availability Zones must be specified');
      }
      const meta = { subnets, zones, securityGroups: input.SecurityGroups ?? [], scheme: input.Scheme ?? 'internet-facing' };
      await modelErrors(() => d.model.create('loadBalancers', { name, type, listeners: [] }, tagMap(input.Tags)), 'DuplicateLoadBalancerName');
      d.model.annotate('loadBalancers', name, (x) => ({ ...x, meta: { ...x.meta, ...meta } }));
      const lb = r.loadBalancers().find((l) => l.spec.name === name)!;
      return { LoadBalancers: [describe(r, lb)] };
    },

    DescribeLoadBalancers(input, ctx) {
      const r = new Resolver(d, ctx.region);
      let all = r.loadBalancers();
      if (input.Names !== undefined) {
        const names = input.Names as string[];
        const missing = names.filter((n) => !all.some((l) => l.spec.name === n));
        if (missing.length > 0) throw awsError('LoadBalancerNotFound', `Load balancers '[${missing.join(', ')}]' not found`);
        all = names.map((n) => all.find((l) => l.spec.name === n)!);
      }
      if (input.LoadBalancerArns !== undefined) all = (input.LoadBalancerArns as string[]).map((a) => r.loadBalancer(a));
      const p = page(all, input.Marker, input.PageSize);
      return { LoadBalancers: p.items.map((lb) => describe(r, lb)), ...(p.next ? { NextMarker: p.next } : {}) };
    },

    async DeleteLoadBalancer(input, ctx) {
      const r = new Resolver(d, ctx.region);
      let lb: LbRef;
      try {
        lb = r.loadBalancer(required(input, 'LoadBalancerArn'));
      } catch {
        return {}; // AWS: deleting a load balancer that is gone succeeds
      }
      if (lb.rec.meta?.deletionProtection === true) {
        throw awsError('OperationNotPermitted', `Load balancer '${lb.arn}' cannot be deleted because deletion protection is enabled`);
      }
      await modelErrors(() => d.model.remove('loadBalancers', lb.spec.name, lb.rec.version));
      return {};
    },

    async ModifyLoadBalancerAttributes(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const lb = r.loadBalancer(required(input, 'LoadBalancerArn'));
      const change = lbAttributesIn(required<Input[]>(input, 'Attributes'), lb.spec.type);
      if (change.spec) await modelErrors(() => d.model.update('loadBalancers', lb.spec.name, change.spec!, lb.rec.version));
      if (change.meta) d.model.annotate('loadBalancers', lb.spec.name, (x) => ({ ...x, meta: { ...x.meta, ...change.meta } }));
      return { Attributes: lbAttributesOut(r.loadBalancer(lb.arn)) };
    },

    DescribeLoadBalancerAttributes(input, ctx): Output {
      const r = new Resolver(d, ctx.region);
      return { Attributes: lbAttributesOut(r.loadBalancer(required(input, 'LoadBalancerArn'))) };
    },
  };
}

function zoneNames(d: Elbv2Deps): string[] {
  return d.model.effective.autoScalingGroups.flatMap((g) => g.availabilityZones);
}

/** "web-1234567890.elb.localhost": resolves to loopback in curl and browsers, where the listeners bind by default. */
export function dnsName(lb: LbRef): string {
  return `${lb.spec.name}-${parseInt(lb.id.slice(0, 8), 16)}.elb.localhost`.toLowerCase();
}

function describe(r: Resolver, lb: LbRef): Output {
  const meta = lb.rec.meta ?? {};
  const zones = (meta.zones as string[] | undefined) ?? r.d.zones.list(zoneNames(r.d)).slice(0, 2).map((z) => z.name);
  return {
    LoadBalancerArn: lb.arn,
    DNSName: dnsName(lb),
    CanonicalHostedZoneId: 'ZSHOALLOCAL0001',
    CreatedTime: new Date(lb.rec.createdAt),
    LoadBalancerName: lb.spec.name,
    Scheme: (meta.scheme as string | undefined) ?? 'internet-facing',
    VpcId: VPC_ID,
    State: { Code: 'active' },
    Type: lb.spec.type,
    AvailabilityZones: zones.map((z) => ({ ZoneName: z, SubnetId: r.d.zones.get(z).subnetId, LoadBalancerAddresses: [] })),
    SecurityGroups: (meta.securityGroups as string[] | undefined) ?? [],
    IpAddressType: 'ipv4',
  };
}
