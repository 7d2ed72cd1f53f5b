/** What the elbv2 operations need from the daemon (wired by the composition root). */
import type { Target, TargetHealthDescription } from '../../../model/target-group.js';
import type { ModelService } from '../../../resources/model.js';
import type { Zones } from '../../../resources/zones.js';

export interface Elbv2Deps {
  model: ModelService;
  zones: Zones;
  /** Runtime registrations (the same as `shoal register-targets`). */
  registerTargets(group: string, targets: Target[]): void;
  deregisterTargets(group: string, targets: Pick<Target, 'id' | 'port'>[]): Target[];
  /** DescribeTargetHealth as the daemon keeps it; undefined for an unknown group. */
  describeTargetHealth(group: string): TargetHealthDescription[] | undefined;
  /** An instance's address (targets of type instance are registered by instance id). */
  instanceAddress(instanceId: string): { ip: string; port?: number; availabilityZone: string } | undefined;
  /** The instance at an address, if an Auto Scaling group or RunInstances made one. */
  instanceAt(ip: string): string | undefined;
  /** DescribeSSLPolicies' data (issue 10's policy table), when the data plane has one. */
  sslPolicies?(): Array<Record<string, unknown>>;
}
