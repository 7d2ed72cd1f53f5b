/** elbv2 target group operations over the model service (src/resources). */
import type { Listener } from '../../../model/load-balancer.js';
import { isNetworkProtocol, type TargetGroup } from '../../../model/target-group.js';
import { VPC_ID } from '../../../resources/zones.js';
import { awsError, page, required, tagMap, validation, type Input, type Operations, type Output } from '../common/op.js';
import { modelErrors } from './errors.js';
import type { Elbv2Deps } from './deps.js';
import { Resolver } from './resolve.js';
import { attributesIn, tgAttributesOut } from './tg-attributes.js';

type Raw = Record<string, unknown>;

export function targetGroupOps(d: Elbv2Deps): Operations {
  return {
    async CreateTargetGroup(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const name = required<string>(input, 'Name');
      const targetType = input.TargetType ?? 'instance';
      if (targetType !== 'instance' && targetType !== 'ip') throw validation(`Target type '${targetType}' is not supported by shoal (instance and ip are).`);
      if (input.VpcId !== undefined && input.VpcId !== VPC_ID) throw awsError('ValidationError', `The VPC ID '${input.VpcId}' is not found; this region has one VPC: ${VPC_ID}.`);
      const protocol = String(input.Protocol ?? 'HTTP');
      const raw: Raw = { name, protocol, port: required<number>(input, 'Port'), healthCheck: healthCheckIn(input), attributes: {} };
      checkTcpHealthCheck(raw.healthCheck as Raw, isNetworkProtocol(protocol) ? 'TCP' : 'HTTP');
      const existing = d.model.get('targetGroups', name);
      if (existing) {
        // AWS: creating an identical group again returns it; a different one is a duplicate.
        if (JSON.stringify(existing.raw) !== JSON.stringify(raw)) throw awsError('DuplicateTargetGroupName', 'A target group with the same name exists, but with different settings');
        return { TargetGroups: [describe(r, r.targetGroup(r.tgArnOf(name)).spec)] };
      }
      await modelErrors(() => d.model.create('targetGroups', raw, tagMap(input.Tags)), 'DuplicateTargetGroupName');
      d.model.annotate('targetGroups', name, (x) => ({ ...x, meta: { ...x.meta, targetType } }));
      return { TargetGroups: [describe(r, r.targetGroup(r.tgArnOf(name)).spec)] };
    },

    DescribeTargetGroups(input, ctx) {
      const r = new Resolver(d, ctx.region);
      let all = r.targetGroups();
      if (input.LoadBalancerArn !== undefined) {
        const lb = r.loadBalancer(input.LoadBalancerArn);
        const used = forwardedBy(lb.spec.listeners);
        all = all.filter((t) => used.has(t.spec.name));
      }
      if (input.Names !== undefined) {
        const missing = (input.Names as string[]).filter((n) => !all.some((t) => t.spec.name === n));
        if (missing.length > 0) throw awsError('TargetGroupNotFound', `One or more target groups not found`);
        all = (input.Names as string[]).map((n) => all.find((t) => t.spec.name === n)!);
      }
      if (input.TargetGroupArns !== undefined) all = (input.TargetGroupArns as string[]).map((a) => r.targetGroup(a));
      const p = page(all, input.Marker, input.PageSize);
      return { TargetGroups: p.items.map((t) => describe(r, t.spec)), ...(p.next ? { NextMarker: p.next } : {}) };
    },

    async ModifyTargetGroup(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const tg = r.targetGroup(required(input, 'TargetGroupArn'));
      const change = healthCheckIn(input);
      checkTcpHealthCheck(change, tg.spec.healthCheck.protocol);
      await modelErrors(() => d.model.update('targetGroups', tg.spec.name, (raw) => ({ ...raw, healthCheck: { ...(raw.healthCheck as Raw), ...change } }), tg.rec.version));
      return { TargetGroups: [describe(r, r.targetGroup(tg.arn).spec)] };
    },

    async DeleteTargetGroup(input, ctx) {
      const r = new Resolver(d, ctx.region);
      let tg;
      try {
        tg = r.targetGroup(required(input, 'TargetGroupArn'));
      } catch {
        return {}; // AWS: deleting a target group that is gone succeeds
      }
      if (r.loadBalancers().some((lb) => forwardedBy(lb.spec.listeners).has(tg.spec.name))) {
        throw awsError('ResourceInUse', `Target group '${tg.arn}' is currently in use by a listener or a rule`);
      }
      if (d.model.effective.autoScalingGroups.some((g) => g.targetGroups.includes(tg.spec.name))) {
        throw awsError('ResourceInUse', `Target group '${tg.arn}' is attached to an Auto Scaling group; detach it first`);
      }
      await modelErrors(() => d.model.remove('targetGroups', tg.spec.name, tg.rec.version));
      return {};
    },

    async ModifyTargetGroupAttributes(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const tg = r.targetGroup(required(input, 'TargetGroupArn'));
      const change = attributesIn(required<Input[]>(input, 'Attributes'));
      await modelErrors(() => d.model.update('targetGroups', tg.spec.name, (raw) => change(raw), tg.rec.version));
      return { Attributes: tgAttributesOut(r.targetGroup(tg.arn).spec) };
    },

    DescribeTargetGroupAttributes(input, ctx): Output {
      const r = new Resolver(d, ctx.region);
      return { Attributes: tgAttributesOut(r.targetGroup(required(input, 'TargetGroupArn')).spec) };
    },
  };
}

function healthCheckIn(input: Input): Raw {
  const hc: Raw = {};
  const set = (key: string, v: unknown): void => {
    if (v !== undefined) hc[key] = v;
  };
  set('enabled', input.HealthCheckEnabled);
  set('protocol', input.HealthCheckProtocol);
  set('path', input.HealthCheckPath);
  set('port', input.HealthCheckPort === undefined || input.HealthCheckPort === 'traffic-port' ? input.HealthCheckPort : Number(input.HealthCheckPort));
  set('intervalSeconds', input.HealthCheckIntervalSeconds);
  set('timeoutSeconds', input.HealthCheckTimeoutSeconds);
  set('healthyThresholdCount', input.HealthyThresholdCount);
  set('unhealthyThresholdCount', input.UnhealthyThresholdCount);
  if (input.Matcher?.GrpcCode !== undefined) throw validation('gRPC matchers are not supported by shoal.');
  set('matcher', input.Matcher?.HttpCode);
  return hc;
}

/**
 * AWS: a TCP health check only opens a connection, so a path or a matcher
 * with it answers InvalidConfigurationRequest (they are kept, not ignored,
 * on HTTP and HTTPS checks). `current` is the check's protocol when the
 * request does not change it (a network group's default is TCP).
 */
function checkTcpHealthCheck(hc: Raw, current: string): void {
  if ((hc.protocol ?? current) !== 'TCP') return;
  if (hc.path !== undefined) throw awsError('InvalidConfigurationRequest', 'Health check paths are not supported for TCP health checks');
  if (hc.matcher !== undefined) throw awsError('InvalidConfigurationRequest', 'Health check matchers are not supported for TCP health checks');
}

/** Target groups a listener's default actions and rules forward to. */
export function forwardedBy(listeners: readonly Listener[]): Set<string> {
  const out = new Set<string>();
  for (const l of listeners) {
    for (const a of [...l.defaultActions, ...l.rules.flatMap((x) => x.actions)]) {
      if (a.type === 'forward') for (const g of a.targetGroups) out.add(g.targetGroup);
    }
  }
  return out;
}

export function describe(r: Resolver, tg: TargetGroup): Output {
  const rec = r.d.model.get('targetGroups', tg.name)!;
  const hc = tg.healthCheck;
  const http = hc.protocol !== 'TCP';
  return {
    TargetGroupArn: r.tgArnOf(tg.name),
    TargetGroupName: tg.name,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: VPC_ID,
    HealthCheckProtocol: hc.protocol,
    HealthCheckPort: String(hc.port),
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThresholdCount,
    UnhealthyThresholdCount: hc.unhealthyThresholdCount,
    // As AWS: a TCP check has no path or matcher, and only HTTP/HTTPS groups have a protocol version.
    ...(http ? { HealthCheckPath: hc.path, Matcher: { HttpCode: hc.matcher } } : {}),
    LoadBalancerArns: r.loadBalancers().filter((lb) => forwardedBy(lb.spec.listeners).has(tg.name)).map((lb) => lb.arn),
    TargetType: (rec.meta?.targetType as string | undefined) ?? 'ip',
    ...(isNetworkProtocol(tg.protocol) ? {} : { ProtocolVersion: 'HTTP1' }),
    IpAddressType: 'ipv4',
  };
}
