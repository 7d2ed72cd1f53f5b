/**
 * The AWS API's services over the control plane: each service folder in
 * api/aws/ declares the narrow deps it needs; this file is where they meet
 * the running parts.
 */
import type { Operations } from '../api/aws/common/op.js';
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
  };
}

function instanceAddress(c: ControlPlane, id: string): { ip: string; port?: number; availabilityZone: string } | undefined {
  for (const g of c.autoScalingService?.groups.values() ?? []) {
    const r = g.state.instances.find((i) => i.instanceId === id);
    if (r?.target) return { ip: r.target.id, port: r.target.port, availabilityZone: r.availabilityZone };
  }
  return undefined;
}

function instanceAt(c: ControlPlane, ip: string): string | undefined {
  for (const g of c.autoScalingService?.groups.values() ?? []) {
    const r = g.state.instances.find((i) => i.target?.id === ip);
    if (r) return r.instanceId;
  }
  return undefined;
}
