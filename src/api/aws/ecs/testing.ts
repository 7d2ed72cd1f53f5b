/**
 * Tests only: the real model service over a memory store with a config file
 * (a Docker zone, a target group, a file-owned family), the real Auto
 * Scaling service on the fake provider with autoscaling/testing.ts's target
 * groups (every registered target healthy at once) and the real EcsService,
 * all on a manual clock; `call` runs an operation as the protocol layer
 * would (ECS's camelCase members).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/log.js';
import { seededRandom } from '../../../core/random.js';
import { AutoScalingService } from '../../../controlplane/asg/service.js';
import { EcsService } from '../../../controlplane/ecs/service.js';
import { FakeProvider } from '../../../providers/fake/index.js';
import { ModelService } from '../../../resources/model.js';
import { createMemoryStore } from '../../../store/index.js';
import { FakeTargets } from '../autoscaling/testing.js';
import type { OpContext } from '../common/op.js';
import { operations } from './index.js';

/** The error an operation rejects with (the Auto Scaling API tests' helper). */
export { failure } from '../autoscaling/testing.js';

export const CTX: OpContext = { requestId: 'r', region: 'eu-west-3', accessKeyId: 'test' };

const FILE = `zones:
  - name: zone-a
    docker: { host: "unix:///nonexistent/shoal-test.sock" }
targetGroups:
  - name: web
    port: 4000
taskDefinitions:
  - family: filetd
    revisions:
      - containerDefinitions: [{ name: app, image: "shoal-test/hello:1", portMappings: [{ containerPort: 8080 }] }]
`;

export async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-ecs-api-'));
  writeFileSync(join(dir, 'shoal.yaml'), FILE);
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 10));
  const store = createMemoryStore(clock);
  const random = seededRandom(7);
  const provider = new FakeProvider({ clock });
  const targets = new FakeTargets();
  const asg = new AutoScalingService({ store, clock, random, log: silentLogger, stateDir: dir, provider, targets: targets.targetGroups() });
  const ecs = new EcsService({ clock, log: silentLogger, asg: () => asg });
  const model = new ModelService({ store, clock, random });
  model.changed = async (c) => {
    asg.sync(c);
    ecs.sync(c);
  };
  await model.changed(model.loadFile(join(dir, 'shoal.yaml')));
  const ops = operations({ model, ecs, clock });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (op: string, input: Record<string, unknown> = {}): Promise<any> => ops[op]!(input, CTX);
  /** Passes until nothing changes (launches, InService). */
  const settle = async (n = 4) => {
    for (let i = 0; i < n; i++) {
      await asg.pass();
      clock.advance(1000);
    }
  };
  return { dir, clock, store, model, asg, ecs, provider, targets, call, settle, stop: () => ecs.stop() };
}

/** RegisterTaskDefinition's input for a one-container family serving on 8080. */
export const webTaskDefinition = (family = 'web', image = 'shoal-test/hello:1') => ({
  family,
  containerDefinitions: [{ name: 'app', image, essential: true, portMappings: [{ containerPort: 8080, protocol: 'tcp' }], environment: [{ name: 'GREETING', value: 'hi' }] }],
  requiresCompatibilities: ['EC2'], cpu: '256', memory: '512',
});
