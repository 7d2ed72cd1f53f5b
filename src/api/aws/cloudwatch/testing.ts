/**
 * Tests only: the CloudWatch operations over the real parts on a manual
 * clock: the model service with a config file (a file-owned alarm, a group
 * with a step policy), the real metrics store (in memory), the real Auto
 * Scaling service on the fake provider, and the real scaling service whose
 * alarm service runs the alarms. `call` runs an operation as the protocol
 * layer would.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/log.js';
import { seededRandom } from '../../../core/random.js';
import type { TargetGroups } from '../../../controlplane/asg/deps.js';
import { AutoScalingService } from '../../../controlplane/asg/service.js';
import type { ScalingService } from '../../../controlplane/scaling/service.js';
import { syncScaling } from '../../../controlplane/scaling/wiring.js';
import { TimeSeriesStore } from '../../../metrics/store.js';
import { FakeProvider } from '../../../providers/fake/index.js';
import { ModelService } from '../../../resources/model.js';
import { createMemoryStore } from '../../../store/index.js';
import type { OpContext } from '../common/op.js';
import { operations } from './index.js';

export const CTX: OpContext = { requestId: 'r', region: 'eu-west-3', accessKeyId: 'test' };
export const START = Date.UTC(2026, 10, 22, 10);

const FILE = (image: string) => `launchTemplates:
  - name: web-lt
    versions:
      - imageId: ${image}
autoScalingGroups:
  - name: web
    launchTemplate: { name: web-lt }
    minSize: 0
    maxSize: 5
    availabilityZones: [zone-a]
    scalingPolicies:
      - name: step-out
        policyType: StepScaling
        adjustmentType: ChangeInCapacity
        stepAdjustments:
          - { metricIntervalUpperBound: 0, scalingAdjustment: 1 }
          - { metricIntervalLowerBound: 0, scalingAdjustment: 2 }
      - name: cpu
        policyType: TargetTrackingScaling
        targetTrackingConfiguration: { predefinedMetricType: ASGAverageCPUUtilization, targetValue: 50 }
alarms:
  - alarmName: file-alarm
    namespace: App
    metricName: Queue
    statistic: Average
    period: 10
    evaluationPeriods: 1
    comparisonOperator: GreaterThanThreshold
    threshold: 100
`;

const noTargets: TargetGroups = {
  register: () => undefined, deregister: () => undefined, health: () => [], draining: () => false,
  deregistrationDelaySeconds: () => 0, port: () => 80, registrations: () => [],
};

export async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-cw-api-'));
  const image = join(dir, 'image');
  mkdirSync(image);
  writeFileSync(join(dir, 'shoal.yaml'), FILE(image));
  const clock = new ManualClock(START);
  const store = createMemoryStore(clock);
  const random = seededRandom(7);
  const metrics = new TimeSeriesStore({ clock, path: ':memory:' });
  const asg = new AutoScalingService({ store, clock, random, log: silentLogger, stateDir: dir, provider: new FakeProvider({ clock }), targets: noTargets });
  let scaling: ScalingService | undefined;
  const model = new ModelService({ store, clock, random });
  model.changed = async (c) => {
    asg.sync(c);
    scaling = syncScaling(scaling, { config: c, store, clock, log: silentLogger, metrics: () => metrics, asg: () => asg });
  };
  await model.changed(model.loadFile(join(dir, 'shoal.yaml')));
  await asg.pass();
  const ops = operations({ model, store, clock, metrics: () => metrics, alarms: () => scaling?.alarms });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (op: string, input: Record<string, unknown> = {}): Promise<any> => ops[op]!(input, CTX);
  /** Advances the clock a second at a time, letting the alarms evaluate. */
  const run = async (seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      clock.advance(1000);
      await scaling?.alarms.tick();
    }
  };
  return { dir, clock, store, model, metrics, asg, call, run, scaling: () => scaling };
}

/** The error an operation rejects with. */
export async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; status: number }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string; status: number };
  }
  throw new Error('expected the operation to fail');
}
