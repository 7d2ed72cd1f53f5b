/**
 * What `shoal status` shows: the whole fleet as one tree. Load balancers with
 * their listeners and rules in priority order (what each rule matches and
 * does), target groups with every target's health, Auto Scaling groups with
 * capacity and instances by zone and lifecycle state, and the zones with
 * their subnets. Each resource says who owns it (the file at a line, or the
 * API). Pure: built from the parts the control plane passes in.
 */
import type { Action, Condition, LoadBalancer } from '../model/load-balancer.js';
import { targetKey, type TargetGroup, type TargetHealthDescription } from '../model/target-group.js';
import type { ResourceRecord, Kind } from '../resources/records.js';
import type { ZoneInfo } from '../resources/zones.js';

export interface StatusRule {
  priority: number | 'default';
  matches: string;
  action: string;
}

export interface StatusTree {
  loadBalancers: Array<{ name: string; type: string; owner: string; listeners: Array<{ address: string; protocol: string; rules: StatusRule[] }> }>;
  targetGroups: Array<{ name: string; owner: string; protocol: string; port: number; targets: Array<{ target: string; state: string; reason?: string; description?: string }> }>;
  autoScalingGroups: Array<{
    name: string; owner: string; minSize: number; maxSize: number; desiredCapacity: number; inService: number; status: string[];
    instances: Array<{ instanceId: string; zone: string; lifecycleState: string; healthStatus: string; target?: string; targetHealth?: string }>;
  }>;
  zones: Array<{ name: string; subnetId: string; cidr: string; instances: number }>;
  snapshotVersion: number;
}

/** An Auto Scaling group as describeGroup() shows it (the fields the tree uses). */
export interface GroupView {
  AutoScalingGroupName: string;
  MinSize: number;
  MaxSize: number;
  DesiredCapacity: number;
  Status: string[];
  Instances: Array<{ InstanceId: string; AvailabilityZone: string; LifecycleState: string; HealthStatus: string; Target?: string; TargetHealth?: string }>;
}

export interface StatusParts {
  loadBalancers: readonly LoadBalancer[];
  targetGroups: readonly TargetGroup[];
  health(group: string): TargetHealthDescription[] | undefined;
  groups: readonly GroupView[];
  record(kind: Kind, name: string): ResourceRecord | undefined;
  zones: readonly ZoneInfo[];
  snapshotVersion: number;
}

export function statusTree(p: StatusParts): StatusTree {
  const owner = (kind: Kind, name: string): string => {
    const o = p.record(kind, name)?.owner;
    return o === undefined ? 'unknown' : o.kind === 'api' ? 'api' : `${o.file}:${o.line}`;
  };
  const byZone = new Map<string, number>();
  for (const g of p.groups) for (const i of g.Instances) byZone.set(i.AvailabilityZone, (byZone.get(i.AvailabilityZone) ?? 0) + 1);
  return {
    loadBalancers: p.loadBalancers.map((lb) => ({
      name: lb.name,
      type: lb.type,
      owner: owner('loadBalancers', lb.name),
      listeners: lb.listeners.map((l) => ({
        address: `${lb.bindAddress}:${l.port}`,
        protocol: l.protocol,
        rules: [
          ...[...l.rules].sort((a, b) => a.priority - b.priority).map((r) => ({ priority: r.priority, matches: r.conditions.map(conditionText).join(' and '), action: actionText(r.actions) })),
          { priority: 'default' as const, matches: 'anything else', action: actionText(l.defaultActions) },
        ],
      })),
    })),
    targetGroups: p.targetGroups.map((g) => ({
      name: g.name,
      owner: owner('targetGroups', g.name),
      protocol: g.protocol,
      port: g.port,
      targets: (p.health(g.name) ?? []).map((d) => ({
        target: targetKey(d.target),
        state: d.targetHealth.state,
        ...(d.targetHealth.reason ? { reason: d.targetHealth.reason } : {}),
        ...(d.targetHealth.description ? { description: d.targetHealth.description } : {}),
      })),
    })),
    autoScalingGroups: p.groups.map((g) => ({
      name: g.AutoScalingGroupName,
      owner: owner('autoScalingGroups', g.AutoScalingGroupName),
      minSize: g.MinSize,
      maxSize: g.MaxSize,
      desiredCapacity: g.DesiredCapacity,
      inService: g.Instances.filter((i) => i.LifecycleState === 'InService').length,
      status: g.Status,
      instances: [...g.Instances].sort((a, b) => a.AvailabilityZone.localeCompare(b.AvailabilityZone) || a.InstanceId.localeCompare(b.InstanceId)).map((i) => ({
        instanceId: i.InstanceId, zone: i.AvailabilityZone, lifecycleState: i.LifecycleState, healthStatus: i.HealthStatus,
        ...(i.Target ? { target: i.Target } : {}), ...(i.TargetHealth ? { targetHealth: i.TargetHealth } : {}),
      })),
    })),
    zones: p.zones.map((z) => ({ name: z.name, subnetId: z.subnetId, cidr: z.cidr, instances: byZone.get(z.name) ?? 0 })),
    snapshotVersion: p.snapshotVersion,
  };
}

function conditionText(c: Condition): string {
  if (c.field === 'http-header') return `${c.httpHeaderName ?? 'header'} is ${c.values.join(' or ')}`;
  if (c.field === 'query-string') return `query ${(c.queryStringValues ?? []).map((kv) => (kv.key ? `${kv.key}=${kv.value}` : kv.value)).join(' or ')}`;
  return `${c.field} ${c.values.join(' or ')}`;
}

export function actionText(actions: readonly Action[]): string {
  const a = actions[actions.length - 1];
  if (a === undefined) return 'nothing';
  switch (a.type) {
    case 'forward':
      return a.targetGroups.length === 1 ? `forward to ${a.targetGroups[0]!.targetGroup}` : `forward to ${a.targetGroups.map((w) => `${w.targetGroup} (weight ${w.weight})`).join(', ')}`;
    case 'redirect': {
      const r = a.redirectConfig;
      return `redirect ${r.statusCode.replace('HTTP_', '')} to ${r.protocol}://${r.host}:${r.port}${r.path}`;
    }
    case 'fixed-response':
      return `answer ${a.fixedResponseConfig.statusCode}`;
  }
}
