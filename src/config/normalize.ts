/**
 * From the schema's output (validated, simple defaults filled) to the model:
 * the defaults that depend on other fields, and paths resolved against the
 * config file's directory.
 */
import { isAbsolute, resolve } from 'node:path';
import type { AutoScalingGroup, LaunchTemplate } from '../model/auto-scaling.js';
import type { ShoalConfig } from '../model/config.js';
import type { AccessLogs, Action, LoadBalancer } from '../model/load-balancer.js';
import { isNetworkProtocol, type TargetGroup } from '../model/target-group.js';
import type { ActionInput } from './schema-actions.js';
import type { LaunchTemplateInput, AutoScalingGroupInput } from './schema-auto-scaling.js';
import type { LoadBalancerInput } from './schema-load-balancer.js';
import { defaultHealthCheckTimeout, type TargetGroupInput } from './schema-target-group.js';
import type { ConfigInput } from './schema.js';
import { alarm, scalingPolicy, scheduledAction } from './normalize-scaling.js';
import { healthCheckProtocol, listenerTls, resolvePath } from './normalize-tls.js';
import { parseDockerHost, type ZoneInput } from './schema-zones.js';
import type { ZoneSpec } from '../model/zones.js';
import { normalizeEcs, serviceGroups } from './normalize-ecs.js';

export function normalize(input: ConfigInput, configDir: string): ShoalConfig {
  const zones = input.zones.map((z) => zone(z, configDir));
  const ecs = normalizeEcs(input, zones);
  const tasks = serviceGroups(ecs);
  return {
    api: { listen: input.api.listen, credentials: input.api.credentials.map((c) => ({ ...c })), allowedHosts: [...input.api.allowedHosts], allowUnsigned: input.api.allowUnsigned, metrics: { public: input.api.metrics.public } },
    dataPlane: { workers: input.dataPlane.workers },
    stateDir: resolve(configDir, input.stateDir),
    zones,
    loadBalancers: input.loadBalancers.map((lb) => loadBalancer(lb, configDir)),
    targetGroups: input.targetGroups.map(targetGroup),
    launchTemplates: [...input.launchTemplates.map((lt) => launchTemplate(lt, configDir)), ...tasks.launchTemplates],
    autoScalingGroups: [...input.autoScalingGroups.map(autoScalingGroup), ...tasks.autoScalingGroups],
    alarms: input.alarms.map(alarm),
    ...ecs,
  };
}

/** An engine's defaults follow its address: host networking on a local socket, published ports on a remote engine. */
function zone(z: ZoneInput, configDir: string): ZoneSpec {
  if (!z.docker) return { name: z.name };
  const d = z.docker;
  const where = parseDockerHost(d.host)!;
  return {
    name: z.name,
    docker: {
      host: d.host,
      network: d.network ?? (where.scheme === 'unix' ? 'host' : 'bridge'),
      address: d.address ?? where.host ?? '127.0.0.1',
      ...(d.tls ? { tls: { ca: resolvePath(configDir, d.tls.ca), cert: resolvePath(configDir, d.tls.cert), key: resolvePath(configDir, d.tls.key) } } : {}),
    },
  };
}

function loadBalancer(lb: LoadBalancerInput, configDir: string): LoadBalancer {
  const a = lb.attributes;
  return {
    name: lb.name,
    type: lb.type,
    bindAddress: lb.bindAddress,
    listeners: lb.listeners.map((l) => ({
      port: l.port,
      protocol: l.protocol ?? (lb.type === 'network' ? 'TCP' : 'HTTP'),
      defaultActions: l.defaultActions.map(action),
      rules: l.rules.map((r) => ({
        priority: r.priority,
        conditions: r.conditions.map((c) => {
          if (c.field === 'query-string') return { field: c.field, values: [], queryStringValues: c.queryStringValues.map((kv) => ({ ...kv })) };
          if (c.field === 'http-header') return { field: c.field, httpHeaderName: c.httpHeaderName, values: [...c.values] };
          return { field: c.field, values: [...c.values] };
        }),
        actions: r.actions.map(action),
      })),
      ...listenerTls({ ...l, protocol: l.protocol ?? 'HTTP' }, configDir),
    })),
    attributes: {
      idleTimeoutSeconds: a.idleTimeoutSeconds ?? 60,
      desyncMitigationMode: a.desyncMitigationMode ?? 'defensive',
      headerTimeoutSeconds: a.headerTimeoutSeconds ?? 10,
      targetTimeoutSeconds: a.targetTimeoutSeconds ?? a.idleTimeoutSeconds ?? 60,
      ...(lb.type === 'network' ? { crossZoneEnabled: a.crossZoneEnabled ?? false } : { http2Enabled: a.http2Enabled ?? true }),
      ...(a.accessLogs?.enabled ? { accessLogs: accessLogs(a.accessLogs, configDir) } : {}),
    },
  };
}

function accessLogs(a: NonNullable<LoadBalancerInput['attributes']['accessLogs']>, configDir: string): AccessLogs {
  return {
    ...(a.path !== undefined ? { path: resolve(configDir, a.path) } : {}),
    format: a.format,
    maxFileSizeMegabytes: a.maxFileSizeMegabytes,
    maxFiles: a.maxFiles,
  };
}

/** A forward to one group becomes the weighted form with weight 1, so consumers handle one shape. */
export function action(a: ActionInput): Action {
  switch (a.type) {
    case 'forward':
      return {
        type: 'forward',
        targetGroups: a.forwardConfig
          ? a.forwardConfig.targetGroups.map((g) => ({ targetGroup: g.targetGroup, weight: g.weight }))
          : [{ targetGroup: a.targetGroup!, weight: 1 }],
        ...(a.forwardConfig?.targetGroupStickinessConfig ? { targetGroupStickiness: { ...a.forwardConfig.targetGroupStickinessConfig } } : {}),
      };
    case 'redirect':
      return { type: 'redirect', redirectConfig: { ...a.redirectConfig } };
    case 'fixed-response':
      return { type: 'fixed-response', fixedResponseConfig: { ...a.fixedResponseConfig } };
  }
}

function targetGroup(tg: TargetGroupInput): TargetGroup {
  return {
    name: tg.name,
    protocol: tg.protocol,
    port: tg.port,
    healthCheck: healthCheck(tg),
    attributes: attributes(tg),
    targets: tg.targets.map((t) => ({
      id: t.id,
      port: t.port ?? tg.port,
      ...(t.availabilityZone !== undefined ? { availabilityZone: t.availabilityZone } : {}),
    })),
  };
}

/** NLB-only attributes appear on network groups only, so an ALB group's model stays as it was. */
function attributes(tg: TargetGroupInput): TargetGroup['attributes'] {
  const { connectionTermination, proxyProtocolV2, preserveClientIp, ...common } = tg.attributes;
  const network = isNetworkProtocol(tg.protocol);
  return {
    ...common,
    stickiness: { ...tg.attributes.stickiness, type: tg.attributes.stickiness.type ?? (network ? 'source_ip' : 'lb_cookie') },
    ...(network ? { connectionTermination, proxyProtocolV2, preserveClientIp } : {}),
  };
}

/** The defaults that depend on the group's protocol (ALB's or NLB's). */
function healthCheck(tg: TargetGroupInput): TargetGroup['healthCheck'] {
  const hc = tg.healthCheck;
  const network = isNetworkProtocol(tg.protocol);
  return {
    ...hc,
    protocol: healthCheckProtocol(tg.protocol, hc.protocol),
    timeoutSeconds: hc.timeoutSeconds ?? defaultHealthCheckTimeout(tg.protocol, hc.protocol),
    matcher: hc.matcher ?? (network ? '200-399' : '200'),
  };
}

function launchTemplate(lt: LaunchTemplateInput, configDir: string): LaunchTemplate {
  return {
    name: lt.name,
    defaultVersion: lt.defaultVersion,
    versions: lt.versions.map((v) => ({
      imageId: v.imageId.startsWith('ami-') || v.imageId.startsWith('docker:') || isAbsolute(v.imageId) ? v.imageId : resolve(configDir, v.imageId),
      instanceType: v.instanceType,
      userData: v.userData,
      environment: { ...v.environment },
      tags: { ...v.tags },
      portMode: v.portMode,
    })),
  };
}

function autoScalingGroup(g: AutoScalingGroupInput): AutoScalingGroup {
  return {
    name: g.name,
    launchTemplate: { name: g.launchTemplate.name, version: g.launchTemplate.version },
    minSize: g.minSize,
    maxSize: g.maxSize,
    desiredCapacity: g.desiredCapacity ?? g.minSize,
    availabilityZones: [...g.availabilityZones],
    targetGroups: [...g.targetGroups],
    healthCheckType: g.healthCheckType,
    healthCheckGracePeriod: g.healthCheckGracePeriod,
    defaultCooldown: g.defaultCooldown,
    terminationPolicies: [...g.terminationPolicies],
    newInstancesProtectedFromScaleIn: g.newInstancesProtectedFromScaleIn,
    scalingPolicies: g.scalingPolicies.map(scalingPolicy),
    scheduledActions: g.scheduledActions.map(scheduledAction),
    ...(g.defaultInstanceWarmup !== undefined ? { defaultInstanceWarmup: g.defaultInstanceWarmup } : {}),
    lifecycleHooks: g.lifecycleHooks.map((h) => ({ ...h })),
    instanceStopTimeoutSeconds: g.instanceStopTimeoutSeconds,
    ...(g.warmPool ? { warmPool: { ...g.warmPool, instanceReusePolicy: { ...g.warmPool.instanceReusePolicy } } } : {}),
  };
}
