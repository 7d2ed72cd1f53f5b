/** The real pieces for the EC2 operations' tests: memory store, model service, Auto Scaling service on the fake provider. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/log.js';
import { seededRandom } from '../../../core/random.js';
import type { TargetGroups } from '../../../controlplane/asg/deps.js';
import { AutoScalingService } from '../../../controlplane/asg/service.js';
import { StandaloneInstances } from '../../../controlplane/instances/standalone.js';
import { FakeProvider } from '../../../providers/fake/index.js';
import { ModelService } from '../../../resources/model.js';
import { Zones } from '../../../resources/zones.js';
import { createMemoryStore } from '../../../store/index.js';
import type { OpContext } from '../common/op.js';
import { operations } from './index.js';

export const ctx: OpContext = { requestId: 'r', region: 'eu-west-3', accessKeyId: 'test' };

export const FILE = `launchTemplates:
  - name: filelt
    versions:
      - imageId: ./app
        userData: "exec node server.js"
`;

const targets: TargetGroups = {
  register: () => undefined, deregister: () => undefined, health: () => [], draining: () => false,
  deregistrationDelaySeconds: () => 0, registrations: () => [], port: () => 8080,
};

export function setup(file = FILE) {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-ec2-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'server.js'), '');
  writeFileSync(join(dir, 'shoal.yaml'), file);
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 10));
  const store = createMemoryStore(clock);
  const random = seededRandom(7);
  const provider = new FakeProvider({ clock });
  const svc = new AutoScalingService({ store, clock, random, log: silentLogger, stateDir: dir, provider, targets });
  const model = new ModelService({ store, clock, random, changed: async (c) => svc.sync(c) });
  svc.sync(model.loadFile(join(dir, 'shoal.yaml')));
  const instances = new StandaloneInstances({ store, clock, random, log: silentLogger, provider: async () => provider, stopTimeoutMs: 0 });
  const ops = operations({
    model, zones: new Zones(store), store, clock, random, stateDir: dir,
    autoScaling: () => svc, ensureAutoScaling: async () => svc, instances,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (op: string, input: Record<string, unknown> = {}): Promise<any> => ops[op]!(input, ctx);
  return { dir, clock, store, provider, svc, model, instances, call };
}

export const b64 = (s: string): string => Buffer.from(s).toString('base64');
