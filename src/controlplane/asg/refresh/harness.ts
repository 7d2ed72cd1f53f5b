/** A service on the fake provider, fake target groups and a manual clock, with a launch template of two versions (tests only). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/log.js';
import { seededRandom } from '../../../core/random.js';
import type { AutoScalingGroup, LaunchTemplate } from '../../../model/auto-scaling.js';
import type { Target, TargetHealthState } from '../../../model/target-group.js';
import { FakeProvider } from '../../../providers/fake/index.js';
import { createMemoryStore } from '../../../store/index.js';
import type { TargetGroups } from '../deps.js';
import { AutoScalingService } from '../service.js';

export class FakeTargets implements TargetGroups {
  readonly registered = new Map<string, Target>();
  readonly state = new Map<string, TargetHealthState>();
  readonly draining_ = new Set<string>();
  /** Every deregistration call's target keys, in order. */
  readonly deregistered: string[] = [];
  register(_g: string, ts: Target[]): void { for (const t of ts) this.registered.set(`${t.id}:${t.port}`, t); }
  deregister(_g: string, ts: Pick<Target, 'id' | 'port'>[]): void {
    for (const t of ts) { this.registered.delete(`${t.id}:${t.port}`); this.draining_.add(`${t.id}:${t.port}`); this.deregistered.push(`${t.id}:${t.port}`); }
  }
  health(_g: string) {
    return [...this.registered.values()].map((t) => ({
      target: t, healthCheckPort: String(t.port), targetHealth: { state: this.state.get(`${t.id}:${t.port}`) ?? ('healthy' as const) },
    }));
  }
  draining(_g: string, t: Pick<Target, 'id' | 'port'>): boolean { return this.draining_.has(`${t.id}:${t.port}`); }
  deregistrationDelaySeconds(): number { return 30; }
  port(): number { return 8080; }
  registrations() { return [...this.registered.values()].map((t) => ({ ...t, source: 'asg:web' })); }
}

const imageDir = mkdtempSync(join(tmpdir(), 'shoal-image-'));
const version = (tag: string) => ({ imageId: imageDir, instanceType: 't3.micro', userData: '', environment: { TAG: tag }, tags: {} });
export const TEMPLATE: LaunchTemplate = { name: 'lt', defaultVersion: 1, versions: [version('v1'), version('v2')] };

export function groupSpec(o: Partial<AutoScalingGroup> = {}): AutoScalingGroup {
  return {
    name: 'web', launchTemplate: { name: 'lt', version: '$Default' }, minSize: 1, maxSize: 8, desiredCapacity: 2,
    availabilityZones: ['a', 'b'], targetGroups: ['tg'], healthCheckType: 'ELB', healthCheckGracePeriod: 10, defaultCooldown: 300,
    terminationPolicies: ['Default'], newInstancesProtectedFromScaleIn: false, scalingPolicies: [], lifecycleHooks: [], instanceStopTimeoutSeconds: 30,
    ...({ scheduledActions: [] } as Partial<AutoScalingGroup>), ...o,
  } as AutoScalingGroup;
}

export function setup(spec: Partial<AutoScalingGroup> = {}) {
  const clock = new ManualClock(Date.UTC(2026, 10, 22));
  const store = createMemoryStore(clock);
  const provider = new FakeProvider({ clock });
  const t = new FakeTargets();
  const svc = new AutoScalingService({ store, clock, random: seededRandom(7), log: silentLogger, stateDir: imageDir, provider, targets: t });
  svc.sync({ launchTemplates: [TEMPLATE], autoScalingGroups: [groupSpec(spec)] });
  const g = () => svc.group('web')!.state;
  /** One second on, drains finish at once, one pass, background steps settled. */
  const step = async (n = 1) => {
    for (let i = 0; i < n; i++) {
      clock.advance(1000);
      t.draining_.clear();
      await svc.pass();
      await svc.group('web')!.exec.settle();
    }
  };
  return { clock, store, provider, svc, t, g, step };
}
