/**
 * The AWS API's services over the control plane: each service folder in
 * api/aws/ declares the narrow deps it needs; this file is where they meet
 * the running parts.
 */
import type { Operations } from '../api/aws/common/op.js';
import { operations as autoscaling } from '../api/aws/autoscaling/index.js';
import { operations as cloudwatch } from '../api/aws/cloudwatch/index.js';
import { operations as ec2 } from '../api/aws/ec2/index.js';
import { operations as ecs } from '../api/aws/ecs/index.js';
import { operations as elbv2 } from '../api/aws/elbv2/index.js';
import type { ServiceName } from '../api/aws/model/shapes.js';
import type { ControlPlane } from '../controlplane/control-plane.js';
import { Zones } from '../resources/zones.js';
import { describeSslPolicies } from '../dataplane/tls/policies.js';

export function awsServices(c: ControlPlane): Partial<Record<ServiceName, Operations>> {
  const zones = new Zones(c.store);
  return {
    elbv2: elbv2({
      model: c.model,
      zones,
      registerTargets: (g, t) => c.registerTargets(g, t),
      deregisterTargets: (g, t) => c.deregisterTargets(g, t),
      describeTargetHealth: (g) => c.describeTargetHealth(g),
      instanceAddress: (id) => instanceAddress(c, id),
      instanceAt: (ip) => instanceAt(c, ip),
      sslPolicies: describeSslPolicies,
    }),
    autoscaling: autoscaling({ model: c.model, zones, asg: () => c.autoScalingService, scaling: () => c.scalingService }),
    cloudwatch: cloudwatch({
      model: c.model, store: c.store, clock: c.clock, metrics: () => c.metricsService?.store, alarms: () => c.scalingService?.alarms,
    }),
    ec2: ec2({
      model: c.model,
      zones,
      store: c.store,
      clock: c.clock,
      random: c.random,
      stateDir: c.stateDir,
      autoScaling: () => c.autoScalingService,
      ensureAutoScaling: () => c.ensureAutoScaling(),
      instances: c.standalone,
    }),
    ecs: ecs({ model: c.model, ecs: c.ecs, clock: c.clock }),
  };
}

/** Where a group's instance, or a running standalone (RunInstances) one, is reached. */
function instanceAddress(c: ControlPlane, id: string): { ip: string; port?: number; availabilityZone: string } | undefined {
  const svc = c.autoScalingService;
  for (const g of svc?.groups.values() ?? []) {
    const r = g.state.instances.find((i) => i.instanceId === id);
    if (r?.target) return { ip: r.target.id, port: r.target.port, availabilityZone: r.availabilityZone };
  }
  const s = c.standalone.get(id);
  const obs = svc?.observed.get(id);
  if (s === undefined || s.terminatedAt !== undefined || obs === undefined || obs.state !== 'running') return undefined;
  return { ip: obs.host, port: obs.port, availabilityZone: obs.availabilityZone };
}

/** The instance a registered address belongs to (DescribeTargetHealth shows instance ids). */
function instanceAt(c: ControlPlane, ip: string): string | undefined {
  const svc = c.autoScalingService;
  for (const g of svc?.groups.values() ?? []) {
    const r = g.state.instances.find((i) => i.target?.id === ip);
    if (r) return r.instanceId;
  }
  for (const s of c.standalone.list()) {
    if (s.terminatedAt === undefined && svc?.observed.get(s.instanceId)?.host === ip) return s.instanceId;
  }
  return undefined;
}
