/**
 * Executes a plan's actions for one group. Launches go in growing batches
 * (1, 2, 4, ...) that stop at the first failure; the record of an instance is
 * written before its launch call, so a pass that reads state while the call
 * runs (or a daemon restarted during it) cannot launch twice. Stops run in the
 * background (SIGTERM, then SIGKILL after the stop timeout); the instance ids
 * with a provider call in flight are `busy` and left alone by the plan.
 */
import { errorMessage } from '../../core/errors.js';
import { randomHex } from '../../core/random.js';
import { INSTANCE_NOT_FOUND } from '../../providers/provider.js';
import { nextBackoff } from './backoff.js';
import type { ControllerDeps } from './deps.js';
import type { GroupController } from './group.js';
import { runNotification } from './notify.js';
import type { Action } from './plan-types.js';
import type { InstanceRecord } from './types.js';
import { cause, iso } from './causes.js';
import { applyRefresh } from './refresh/apply.js';
import { configuredKey } from './refresh/template.js';
import { fromWarmPool, toWarmPool, warmReady, type WarmContext } from './warm-pool/execute.js';
import { isWarm } from './warm-pool/types.js';

type Of<K extends Action['kind']> = Extract<Action, { kind: K }>;

export class Executor {
  readonly busy = new Set<string>();
  private readonly background = new Set<Promise<void>>();
  private readonly warm: WarmContext;

  constructor(private readonly d: ControllerDeps, private readonly g: GroupController) {
    this.warm = { d, g, busy: this.busy, track: (p) => this.track(p) };
  }

  /** Keeps a background step until it ends (settle() waits for it). */
  track(p: Promise<void>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  async run(actions: readonly Action[]): Promise<void> {
    const launches: Of<'launch'>[] = [];
    for (const a of actions) {
      try {
        if (a.kind === 'launch') launches.push(a);
        else this.apply(a);
      } catch (err) {
        this.d.log.error({ group: this.g.state.name, action: a, err: errorMessage(err) }, 'asg action failed');
      }
    }
    let i = 0;
    for (let size = 1; i < launches.length; size *= 2) {
      const batch = launches.slice(i, i + size);
      i += batch.length;
      const ok = await Promise.all(batch.map((a) => this.launch(a)));
      if (ok.includes(false)) break;
    }
  }

  /** Waits for background stops (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  private apply(a: Exclude<Action, Of<'launch'>>): void {
    const s = this.g.state;
    const r = 'instanceId' in a ? this.g.find(a.instanceId) : undefined;
    switch (a.kind) {
      case 'setBackoff': return this.setBackoff(a);
      case 'markUnhealthy': if (r) Object.assign(r, { healthStatus: 'Unhealthy', unhealthyReason: a.reason, unhealthyCause: a.cause }); return;
      case 'markProven': if (r) r.proven = true; return;
      case 'adopt': if (r) this.adopt(r); return;
      case 'forget': s.instances = s.instances.filter((x) => x.instanceId !== a.instanceId); return;
      case 'putInService': if (r) { if (a.register) this.register(r); r.lifecycleState = 'InService'; } return;
      case 'register': if (r) this.register(r); return;
      case 'wait': if (r) this.enterWait(r, a.hook); return;
      case 'hookDone': if (r) this.hookDone(r, a.result); return;
      case 'startTerminate': if (r) this.startTerminate(r, a.cause, a.reason, a.toWarmPool); return;
      case 'stop': if (r) this.stop(r); return;
      case 'refresh': return applyRefresh(s, a.update, { activities: this.d.activities, now: this.d.clock.now(), configured: configuredKey(this.g.spec.launchTemplate) });
      case 'warmReady': if (r) warmReady(this.warm, r, a.to); return;
      case 'fromWarmPool': if (r) fromWarmPool(this.warm, r, a); return;
      case 'toWarmPool': if (r) toWarmPool(this.warm, r); return;
    }
  }

  private setBackoff(a: Of<'setBackoff'>): void {
    this.g.state.backoff = a.backoff;
    if (!a.paused) return;
    this.d.activities.record(this.g.state, {
      description: 'Pausing launches after repeated instance failures',
      cause: `At ${iso(this.d.clock.now())} ${a.backoff.failures} new instances in a row failed before passing their health checks.`,
      statusMessage: a.reason,
    }, 'Cancelled');
    this.d.log.warn({ group: this.g.state.name }, a.reason);
  }

  private async launch(a: Of<'launch'>): Promise<boolean> {
    const s = this.g.state;
    const spec = this.g.spec;
    const lt = this.g.launchTemplate();
    const now = this.d.clock.now();
    const instanceId = 'i-0' + randomHex(this.d.random, 16);
    let rec: InstanceRecord | undefined;
    try {
      const v = this.d.templates.resolve(lt.name, lt.version);
      const imageDir = this.d.images.directory(v.data.imageId);
      rec = {
        instanceId, availabilityZone: a.zone, lifecycleState: a.warm ? 'Warmed:Pending' : 'Pending', healthStatus: 'Healthy', launchedAt: now,
        templateName: lt.name, templateVersion: v.versionNumber,
        protectedFromScaleIn: spec.newInstancesProtectedFromScaleIn, launched: false, registered: false, proven: false,
      };
      s.instances.push(rec);
      this.g.persist();
      this.busy.add(instanceId);
      const obs = await this.d.provider.launch({
        instanceId, imageDir, availabilityZone: a.zone, zoneIndex: this.d.zoneIndex(a.zone), instanceType: v.data.instanceType,
        userData: v.data.userData, environment: { ...v.data.environment, AUTO_SCALING_GROUP_NAME: s.name },
        port: v.data.container ? v.data.container.hostPort ?? v.data.container.port : this.port(), templateVersion: String(v.versionNumber), portMode: v.data.portMode ?? 'host',
        ...(v.data.container ? { container: v.data.container } : {}),
        tags: { ...v.data.tags, ...s.launchTags, 'aws:autoscaling:groupName': s.name, 'aws:ec2launchtemplate:version': String(v.versionNumber) },
      });
      rec.launched = true;
      rec.target = { id: obs.host, port: obs.port };
      this.d.activities.record(s, {
        description: `Launching a new EC2 instance${a.warm ? ' into warm pool' : ''}: ${instanceId}`, cause: a.cause,
        details: { 'Availability Zone': a.zone, 'Private IP': obs.privateIp, 'Launch template': `${lt.name} version ${v.versionNumber}` },
      }, 'Successful');
      return true;
    } catch (err) {
      if (rec) s.instances = s.instances.filter((x) => x !== rec);
      const msg = errorMessage(err);
      this.d.activities.record(s, { description: `Launching a new EC2 instance.  Status Reason: ${msg}`, cause: a.cause, statusMessage: msg }, 'Failed');
      s.backoff = nextBackoff(s.backoff, [{ instanceId, reason: msg, bootFailure: false }], false, now);
      this.d.log.warn({ group: s.name, err: msg }, 'launch failed');
      return false;
    } finally {
      this.busy.delete(instanceId);
      this.g.persist();
    }
  }

  private port(): number {
    for (const tg of this.g.spec.targetGroups) {
      const p = this.d.targets.port(tg);
      if (p !== undefined) return p;
    }
    return 8080;
  }

  private adopt(r: InstanceRecord): void {
    r.launched = true;
    void this.d.provider.describe(r.instanceId).then((obs) => {
      if (obs) r.target = { id: obs.host, port: obs.port };
    });
  }

  register(r: InstanceRecord): void {
    if (!r.target) return;
    const t = { id: r.target.id, port: r.target.port, availabilityZone: r.availabilityZone };
    for (const tg of this.g.spec.targetGroups) this.d.targets.register(tg, [t], `asg:${this.g.state.name}`);
    r.registered = true;
  }

  /**
   * Deregisters from every target group; returns the longest deregistration
   * delay in ms. Only an instance this group registered: targets are keyed by
   * address, so deregistering a pool member or a Pending instance would take
   * out whichever target has its address (issue 4).
   */
  deregister(r: InstanceRecord): number {
    let delay = 0;
    if (!r.target || !r.registered) return 0;
    for (const tg of this.g.spec.targetGroups) {
      try {
        this.d.targets.deregister(tg, [r.target]);
        delay = Math.max(delay, this.d.targets.deregistrationDelaySeconds(tg) * 1000);
      } catch (err) {
        this.d.log.warn({ group: this.g.state.name, targetGroup: tg, err: errorMessage(err) }, 'deregistration failed');
      }
    }
    r.registered = false;
    return delay;
  }

  startTerminate(r: InstanceRecord, why: string, message?: string, toPool = false): void {
    const now = this.d.clock.now();
    const s = this.g.state;
    const activityId = this.d.activities.start(s, {
      description: `${toPool ? 'Moving EC2 instance to warm pool' : 'Terminating EC2 instance'}: ${r.instanceId}`, cause: why, ...(message ? { statusMessage: message } : {}),
    });
    const delay = this.deregister(r);
    r.lifecycleState = isWarm(r) ? 'Warmed:Terminating' : 'Terminating';
    r.terminating = { cause: why, activityId, since: now, deregisteredAt: now, drainDeadline: now + delay + 5000, ...(toPool ? { toWarmPool: true } : {}) };
    if (delay > 0) {
      this.d.activities.note(s, activityId, 'WaitingForELBConnectionDraining',
        `Deregistered from ${this.g.spec.targetGroups.join(', ')}; waiting for in-flight requests to finish (at most ${delay / 1000} s)`, 20);
    }
  }

  private stop(r: InstanceRecord): void {
    const t = r.terminating!;
    t.stopping = true;
    this.busy.add(r.instanceId);
    this.d.activities.note(this.g.state, t.activityId, 'InProgress', 'Stopping the instance (SIGTERM, then SIGKILL after the stop timeout)', 60);
    const stopTimeoutMs = this.g.spec.instanceStopTimeoutSeconds !== undefined ? this.g.spec.instanceStopTimeoutSeconds * 1000 : this.d.stopTimeoutMs;
    const done = this.d.provider.terminate(r.instanceId, { stopTimeoutMs }).then(
      () => true,
      (err: unknown) => {
        if ((err as { code?: string }).code === INSTANCE_NOT_FOUND) return true;
        this.d.log.error({ instanceId: r.instanceId, err: errorMessage(err) }, 'terminate failed; will retry');
        t.stopping = false;
        return false;
      },
    ).then((ok) => {
      this.busy.delete(r.instanceId);
      if (ok) {
        this.g.state.instances = this.g.state.instances.filter((x) => x.instanceId !== r.instanceId);
        this.d.activities.finish(this.g.state, t.activityId, 'Successful');
      }
      this.safePersist();
      this.d.poke();
    });
    this.track(done);
  }

  private safePersist(): void {
    try {
      this.g.persist();
    } catch (err) {
      this.d.log.warn({ group: this.g.state.name, err: errorMessage(err) }, 'could not save group state (store closed?)');
    }
  }

  private enterWait(r: InstanceRecord, hookName: string): void {
    const hook = this.g.groupSpec().hooks.find((h) => h.name === hookName)!;
    const done = r.wait?.transition === hook.transition ? r.wait.done : [];
    r.wait = {
      hook: hook.name, transition: hook.transition, token: randomHex(this.d.random, 8) + '-' + randomHex(this.d.random, 12),
      deadline: this.d.clock.now() + hook.heartbeatTimeout * 1000, heartbeatTimeout: hook.heartbeatTimeout,
      defaultResult: hook.defaultResult, done,
    };
    r.lifecycleState = hook.transition === 'autoscaling:EC2_INSTANCE_LAUNCHING' ? 'Pending:Wait' : 'Terminating:Wait';
    runNotification(this.d, this.g.spec, r);
  }

  private hookDone(r: InstanceRecord, result: 'CONTINUE' | 'ABANDON'): void {
    const w = r.wait!;
    r.wait = { ...w, done: [...w.done, w.hook] };
    delete r.wait.result;
    if (r.lifecycleState === 'Terminating:Wait') {
      r.lifecycleState = 'Terminating';
      return;
    }
    r.lifecycleState = 'Pending';
    if (result === 'ABANDON') this.startTerminate(r, cause.abandoned(this.d.clock.now(), r.instanceId, w.hook), `lifecycle hook ${w.hook}: ABANDON`);
  }
}
