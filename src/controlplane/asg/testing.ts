/** Builders for the plan tables (tests only). */
import type { InstanceObservation } from '../../providers/provider.js';
import type { Desired, GroupSpec, Observed, TargetState } from './plan-types.js';
import type { GroupState, InstanceRecord } from './types.js';

export const T0 = 1_700_000_000_000;

export function spec(o: Partial<GroupSpec> = {}): GroupSpec {
  return {
    name: 'web', zones: ['a', 'b'], targetGroups: ['tg'], healthCheckType: 'ELB', healthCheckGracePeriod: 30,
    terminationPolicies: ['Default'], templateName: 'lt', templateVersion: 1, hooks: [], ...o,
  };
}

export function state(o: Partial<GroupState> = {}): GroupState {
  const c = { minSize: 0, maxSize: 10, desiredCapacity: o.desiredCapacity ?? 2 };
  return { name: 'web', ...c, configured: c, suspended: [], instances: [], backoff: { failures: 0 }, open: [], ...o };
}

let n = 0;
export function inst(o: Partial<InstanceRecord> = {}): InstanceRecord {
  const id = o.instanceId ?? `i-0${(++n).toString(16).padStart(17, '0')}`;
  return {
    instanceId: id, availabilityZone: 'a', lifecycleState: 'InService', healthStatus: 'Healthy', launchedAt: T0 - 600_000,
    templateName: 'lt', templateVersion: 1, protectedFromScaleIn: false, launched: true, registered: true, proven: true,
    target: { id: '127.0.1.10', port: 80 }, ...o,
  };
}

export function obs(r: InstanceRecord, o: Partial<InstanceObservation> = {}): InstanceObservation {
  return {
    instanceId: r.instanceId, state: 'running', privateIp: r.target?.id ?? '127.0.1.10', host: r.target?.id ?? '127.0.1.10',
    port: 80, availabilityZone: r.availabilityZone, instanceType: 't3.micro', templateVersion: String(r.templateVersion),
    tags: {}, bootStatus: 'succeeded', launchedAt: r.launchedAt, ...o,
  };
}

export interface World {
  spec?: Partial<GroupSpec>;
  state?: Partial<GroupState>;
  instances: InstanceRecord[];
  obs?: Record<string, Partial<InstanceObservation> | 'missing'>;
  targets?: Record<string, TargetState['state']>;
  draining?: string[];
  busy?: string[];
  /** Zones that cannot take launches now, with the reason. */
  impaired?: Record<string, string>;
}

/** Desired + Observed from a compact description: every instance is running and healthy unless told. */
export function world(w: World): { d: Desired; o: Observed } {
  const instances = new Map<string, InstanceObservation>();
  const targets = new Map<string, TargetState[]>();
  for (const r of w.instances) {
    const o = w.obs?.[r.instanceId];
    if (o !== 'missing' && r.launched) instances.set(r.instanceId, obs(r, o ?? {}));
    if (r.registered) targets.set(r.instanceId, [{ group: 'tg', state: w.targets?.[r.instanceId] ?? 'healthy' }]);
  }
  return {
    d: { spec: spec(w.spec), state: state({ ...w.state, instances: w.instances }) },
    o: { instances, targets, draining: new Set(w.draining ?? []), busy: new Set(w.busy ?? []), impairedZones: new Map(Object.entries(w.impaired ?? {})) },
  };
}

/** Actions as short strings: "launch a", "startTerminate i-0..", for compact tables. */
export function brief(actions: readonly { kind: string; instanceId?: string; zone?: string }[]): string[] {
  return actions.map((a) => [a.kind, a.zone ?? a.instanceId].filter(Boolean).join(' '));
}
