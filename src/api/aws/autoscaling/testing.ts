/**
 * Tests only: the real model service over a memory store with a config file
 * (a target group, a launch template, a file-owned group), the real Auto
 * Scaling service with the fake provider and a fake target-group side, the
 * real scaling service, all on a manual clock; `call` runs an operation as
 * the protocol layer would.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/log.js';
import { seededRandom } from '../../../core/random.js';
import type { TargetGroups } from '../../../controlplane/asg/deps.js';
import { AutoScalingService } from '../../../controlplane/asg/service.js';
import { syncScaling } from '../../../controlplane/scaling/wiring.js';
import type { ScalingService } from '../../../controlplane/scaling/service.js';
import type { Target } from '../../../model/target-group.js';
import { FakeProvider } from '../../../providers/fake/index.js';
import { ModelService } from '../../../resources/model.js';
import { Zones } from '../../../resources/zones.js';
import { createMemoryStore } from '../../../store/index.js';
import type { OpContext } from '../common/op.js';
import { operations } from './index.js';

export const CTX: OpContext = { requestId: 'r', region: 'eu-west-3', accessKeyId: 'test' };

const FILE = (image: string) => `targetGroups:
  - name: app
    port: 4000
  - name: other
    port: 4001
launchTemplates:
  - name: web-lt
    versions:
      - imageId: ${image}
        instanceType: t3.small
      - imageId: ${image}
autoScalingGroups:
  - name: filegroup
    launchTemplate: { name: web-lt, version: $Latest }
    minSize: 1
    maxSize: 4
    availabilityZones: [zone-a]
    targetGroups: [app]
    scalingPolicies:
      - { name: add-one, adjustmentType: ChangeInCapacity, scalingAdjustment: 1 }
`;

/** Target groups where every registered target is healthy at once (the ECS tests use it too). */
export class FakeTargets {
  readonly registered = new Map<string, Target[]>();
  targetGroups(): TargetGroups {
    return {
      register: (g, ts) => this.registered.set(g, [...(this.registered.get(g) ?? []), ...ts]),
      deregister: (g, ts) => this.registered.set(g, (this.registered.get(g) ?? []).filter((t) => !ts.some((x) => x.id === t.id && x.port === t.port))),
      health: (g) => (this.registered.get(g) ?? []).map((t) => ({ target: t, healthCheckPort: String(t.port), targetHealth: { state: 'healthy' as const } })),
      draining: () => false, deregistrationDelaySeconds: () => 0, port: () => 4000,
      registrations: (g) => (this.registered.get(g) ?? []).map((t) => ({ ...t, source: 'asg' })),
    };
  }
}

export async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-asg-api-'));
  const image = join(dir, 'image');
  mkdirSync(image);
  writeFileSync(join(dir, 'shoal.yaml'), FILE(image));
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 10));
  const store = createMemoryStore(clock);
  const random = seededRandom(7);
  const provider = new FakeProvider({ clock });
  const targets = new FakeTargets();
  const svc = new AutoScalingService({ store, clock, random, log: silentLogger, stateDir: dir, provider, targets: targets.targetGroups() });
  let scaling: ScalingService | undefined;
  const model = new ModelService({ store, clock, random });
  model.changed = async (c) => {
    svc.sync(c);
    scaling = syncScaling(scaling, { config: c, store, clock, log: silentLogger, metrics: () => undefined, asg: () => svc });
    svc.setAlarmSource((name) => scaling?.alarms.status(name)?.state);
  };
  const config = model.loadFile(join(dir, 'shoal.yaml'));
  await model.changed(config);
  const zones = new Zones(store);
  const ops = operations({ model, zones, asg: () => svc, scaling: () => scaling });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (op: string, input: Record<string, unknown> = {}): Promise<any> => ops[op]!(input, CTX);
  /** Passes until nothing changes (launches, registrations, InService). */
  const settle = async (n = 4) => {
    for (let i = 0; i < n; i++) {
      await svc.pass();
      clock.advance(1000);
    }
  };
  return { dir, clock, store, model, zones, svc, provider, targets, call, settle, scaling: () => scaling };
}

/** The error an operation rejects with. */
export async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected the operation to fail');
}
