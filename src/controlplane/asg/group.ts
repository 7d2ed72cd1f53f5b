/**
 * One Auto Scaling group's controller: holds its state (persisted in the store
 * after every change), builds the plan's inputs from the provider and the
 * target groups, and hands the plan to the executor. Passes never overlap
 * (the service runs them one at a time).
 */
import { targetKey } from '../../model/target-group.js';
import { errorMessage } from '../../core/errors.js';
import type { AutoScalingGroup } from '../../model/auto-scaling.js';
import type { InstanceObservation } from '../../providers/provider.js';
import { cause } from './causes.js';
import type { ControllerDeps } from './deps.js';
import { Executor } from './execute.js';
import { plan } from './plan.js';
import type { Action, AlarmState, Desired, GroupSpec, Observed, TargetState } from './plan-types.js';
import { counts, STATE_KIND, type GroupState, type InstanceRecord } from './types.js';
import { hooksOf } from './hooks.js';
import { configuredKey, effectiveTemplate, type TemplateChoice } from './refresh/template.js';
import { activeRefresh } from './refresh/types.js';
import { forgetDeletedPool, syncWarmPool } from './warm-pool/ops.js';

export class GroupController {
  state: GroupState;
  spec: AutoScalingGroup;
  /** Removed from the config: scale to zero, then the service drops it. */
  deleting = false;
  readonly exec: Executor;

  constructor(private readonly d: ControllerDeps, spec: AutoScalingGroup) {
    this.spec = spec;
    const stored = d.store.getDoc<GroupState>(STATE_KIND, spec.name)?.value;
    this.state = stored ?? this.fresh(spec);
    this.exec = new Executor(d, this);
    syncWarmPool(this.state, spec.warmPool);
    if (!stored) this.persist();
    this.dropStaleRegistrations();
  }

  /** Targets this group registered for instances it no longer has (shoal down, a lost record) leave their target groups. */
  dropStaleRegistrations(): void {
    const mine = new Set(this.state.instances.filter((r) => r.registered && r.target).map((r) => targetKey(r.target!)));
    for (const tg of this.spec.targetGroups) {
      const stale = this.d.targets.registrations(tg).filter((t) => t.source === `asg:${this.spec.name}` && !mine.has(targetKey(t)));
      if (stale.length === 0) continue;
      this.d.log.info({ group: this.spec.name, targetGroup: tg, targets: stale.length }, 'deregistering targets of instances the group no longer has');
      try {
        this.d.targets.deregister(tg, stale.map((t) => ({ id: t.id, port: t.port })));
      } catch (err) {
        this.d.log.warn({ group: this.spec.name, err: errorMessage(err) }, 'could not drop stale registrations');
      }
    }
  }

  private fresh(spec: AutoScalingGroup): GroupState {
    const c = { minSize: spec.minSize, maxSize: spec.maxSize, desiredCapacity: spec.desiredCapacity };
    const change = cause.created(this.d.clock.now(), 0, c.desiredCapacity);
    return { name: spec.name, ...c, configured: c, suspended: [], instances: [], backoff: { failures: 0 }, open: [], lastCapacityChange: { text: change, consumed: false } };
  }

  /** A new config: min/max/desired follow the file only when the file changed them. */
  sync(spec: AutoScalingGroup): void {
    const before = this.spec.targetGroups;
    this.spec = spec;
    this.deleting = false;
    this.followTargetGroups(before);
    const lt = this.state.launchTemplate;
    if (lt && lt.configured !== configuredKey(spec.launchTemplate)) delete this.state.launchTemplate;
    if (syncWarmPool(this.state, spec.warmPool) || lt !== this.state.launchTemplate) this.persist();
    const c = { minSize: spec.minSize, maxSize: spec.maxSize, desiredCapacity: spec.desiredCapacity };
    const was = this.state.configured;
    if (c.minSize === was.minSize && c.maxSize === was.maxSize && c.desiredCapacity === was.desiredCapacity) return;
    const from = this.state.desiredCapacity;
    Object.assign(this.state, c, { configured: c });
    this.state.lastCapacityChange = { text: cause.constraints(this.d.clock.now(), c, from), consumed: from === c.desiredCapacity };
    this.persist();
  }

  /**
   * Target groups attached or detached (AttachLoadBalancerTargetGroups, a
   * file edit): the instances already registered join the new groups and
   * leave the dropped ones, as in AWS (launches register in all of them).
   */
  private followTargetGroups(before: readonly string[]): void {
    const added = this.spec.targetGroups.filter((g) => !before.includes(g));
    const removed = before.filter((g) => !this.spec.targetGroups.includes(g));
    if (added.length === 0 && removed.length === 0) return;
    const source = `asg:${this.spec.name}`;
    for (const r of this.state.instances) {
      if (!r.registered || !r.target || r.terminating) continue;
      const t = { id: r.target.id, port: r.target.port, availabilityZone: r.availabilityZone };
      for (const tg of added) this.d.targets.register(tg, [t], source);
      for (const tg of removed) {
        try {
          this.d.targets.deregister(tg, [r.target]);
        } catch (err) {
          this.d.log.warn({ group: this.spec.name, targetGroup: tg, err: errorMessage(err) }, 'deregistration from a detached target group failed');
        }
      }
    }
  }

  /** Scale to zero before removal (a group deleted from the config is force-deleted, as `delete-auto-scaling-group --force-delete`). */
  remove(): void {
    if (this.deleting) return;
    this.deleting = true;
    Object.assign(this.state, { minSize: 0, maxSize: 0, desiredCapacity: 0 });
    this.persist();
  }

  /** The launch template new instances get: an instance refresh's while one runs (refresh/template.ts). */
  launchTemplate(): TemplateChoice {
    return effectiveTemplate(this.state, this.spec.launchTemplate);
  }

  groupSpec(): GroupSpec {
    const lt = this.launchTemplate();
    const version = this.d.templates.resolve(lt.name, lt.version);
    return {
      name: this.spec.name,
      zones: this.spec.availabilityZones,
      targetGroups: this.spec.targetGroups,
      healthCheckType: this.spec.healthCheckType,
      healthCheckGracePeriod: this.spec.healthCheckGracePeriod,
      terminationPolicies: this.spec.terminationPolicies,
      templateName: lt.name,
      templateVersion: version.versionNumber,
      hooks: hooksOf(this.spec),
    };
  }

  observe(instances: ReadonlyMap<string, InstanceObservation>): Observed {
    const targets = new Map<string, TargetState[]>();
    const draining = new Set<string>();
    const byTarget = new Map<string, InstanceRecord>();
    for (const r of this.state.instances) if (r.target) byTarget.set(targetKey(r.target), r);
    for (const group of this.spec.targetGroups) {
      for (const h of this.d.targets.health(group) ?? []) {
        const r = byTarget.get(targetKey(h.target));
        if (!r || h.targetHealth.state === 'draining') continue;
        const list = targets.get(r.instanceId) ?? [];
        list.push({ group, state: h.targetHealth.state, ...(h.targetHealth.description ? { description: h.targetHealth.description } : {}) });
        targets.set(r.instanceId, list);
      }
      for (const r of this.state.instances) {
        if (r.target && r.terminating && this.d.targets.draining(group, r.target)) draining.add(r.instanceId);
      }
    }
    const alarms = new Map<string, AlarmState>();
    for (const name of activeRefresh(this.state)?.preferences.alarms ?? []) alarms.set(name, this.d.alarmState?.(name));
    return { instances, targets, draining, busy: this.exec.busy, alarms, impairedZones: this.d.provider.impairedZones() };
  }

  /** One pass: plan, execute, persist. Returns the actions (for logs and tests). */
  async reconcile(instances: ReadonlyMap<string, InstanceObservation>): Promise<Action[]> {
    let actions: Action[];
    try {
      const desired: Desired = { spec: this.groupSpec(), state: this.state };
      actions = plan(desired, this.observe(instances), this.d.clock.now());
    } catch (err) {
      this.d.log.error({ group: this.spec.name, err: errorMessage(err) }, 'planning failed');
      return [];
    }
    for (const a of actions) this.d.log.debug({ group: this.spec.name, ...a }, 'asg action');
    await this.exec.run(actions);
    forgetDeletedPool(this.state);
    const live = this.state.instances.filter(counts).length;
    if (this.state.lastCapacityChange && live === this.state.desiredCapacity) this.state.lastCapacityChange.consumed = true;
    this.persist();
    return actions;
  }

  find(instanceId: string): InstanceRecord | undefined {
    return this.state.instances.find((r) => r.instanceId === instanceId);
  }

  /** The JSON last written: a pass that changed nothing writes nothing, so the store's version moves only on a change (the console's live events follow it). */
  private written: string | undefined;

  persist(): void {
    const json = JSON.stringify(this.state);
    if (json === this.written) return;
    this.d.store.putDoc(STATE_KIND, this.state.name, this.state);
    this.written = json;
  }
}
