/**
 * The scaling service of the daemon: the alarms (the config's and the ones
 * target tracking policies own), the policies they trigger, scheduled
 * actions, execute-policy, and the decision log behind `shoal explain`. A
 * tick every second notes warmups and cooldowns, runs due scheduled actions,
 * then lets the alarm service evaluate the alarms whose period is complete.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Timer } from '../../core/clock.js';
import { errorMessage, validationError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { AlarmService } from '../../alarms/service.js';
import { postWebhook, runCommand } from '../../alarms/notify.js';
import type { EvaluatedDatapoint } from '../../alarms/evaluate.js';
import { actionsFor, type AlarmDefinition, type AlarmEvent } from '../../alarms/types.js';
import type { MetricsStore } from '../../metrics/types.js';
import type { AlarmAction, AlarmSpec, AlarmState, ScalingPolicy, ScheduledAction } from '../../model/scaling.js';
import type { Store } from '../../store/index.js';
import type { GroupController } from '../asg/group.js';
import type { AutoScalingService } from '../asg/service.js';
import { targetTrackingAlarms } from './owned-alarms.js';
import { planPolicy } from './plan.js';
import { DecisionLog } from './record.js';
import { planScheduled } from './scheduled.js';
import { trackedMetric } from './sources.js';
import type { Decision, DecisionKind, Trigger } from './types.js';
import { groupView, noteInService, warmEnds, type WarmupBook } from './warmup.js';

export interface ScalingGroupConfig {
  name: string;
  targetGroups: string[];
  defaultCooldown: number;
  defaultInstanceWarmup?: number | undefined;
  scalingPolicies: ScalingPolicy[];
  scheduledActions: ScheduledAction[];
}

export interface ScalingConfig {
  alarms: AlarmSpec[];
  groups: ScalingGroupConfig[];
}

export interface ScalingServiceOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  metrics: () => MetricsStore | null | undefined;
  asg: () => AutoScalingService | undefined;
  intervalMs?: number;
}

/** Per group, in the store (kind status:scaling). */
export interface ScalingBook extends WarmupBook {
  lastRun: Record<string, number>;
  /** Simple scaling: a scaling activity to wait for, then the cooldown's end. */
  cooldown: { pendingSeconds?: number; until?: number };
}

/** One policy's answer to its alarms as they stand (ScalingService.preview). */
export interface PolicyPreview {
  policy: string;
  /** The alarm whose current state reaches the policy, if any does. */
  alarm?: string;
  kind: DecisionKind;
  to?: number;
  summary: string;
}

const BOOK_KIND = 'status:scaling';

export class ScalingService {
  readonly alarms: AlarmService;
  readonly decisions: DecisionLog;
  private config: ScalingConfig = { alarms: [], groups: [] };
  private timer: Timer | undefined;
  private seen = new Set<string>();

  constructor(private readonly o: ScalingServiceOptions) {
    this.decisions = new DecisionLog(o.store);
    this.alarms = new AlarmService({
      store: o.store, clock: o.clock, log: o.log, metrics: o.metrics, actions: { invoke: (a, e) => this.invoke(a, e) },
      ...(o.intervalMs !== undefined ? { intervalMs: o.intervalMs } : {}),
    });
  }

  sync(config: ScalingConfig): void {
    this.config = config;
    const defs: AlarmDefinition[] = config.alarms.map((a) => ({ ...a, owner: 'config' }));
    for (const g of config.groups) {
      for (const p of g.scalingPolicies) {
        if (p.policyType !== 'TargetTrackingScaling') continue;
        const m = trackedMetric({ group: g.name, targetGroups: g.targetGroups, config: p.targetTrackingConfiguration, metrics: this.o.metrics, warmed: () => this.warmedSince(g, p) });
        defs.push(...targetTrackingAlarms(g.name, p, m));
      }
    }
    this.alarms.sync(defs);
  }

  start(): void {
    this.timer ??= this.o.clock.every(this.o.intervalMs ?? 1000, () => void this.tick());
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.alarms.stop();
  }

  async tick(): Promise<void> {
    const asg = this.o.asg();
    const now = this.o.clock.now();
    for (const gc of this.config.groups) {
      const g = asg?.group(gc.name);
      if (!asg || !g || g.deleting) continue;
      try {
        this.housekeep(asg, g, gc, now);
      } catch (err) {
        this.o.log.error({ group: gc.name, err: errorMessage(err) }, 'scaling tick failed');
      }
    }
    await this.alarms.tick();
  }

  private housekeep(asg: AutoScalingService, g: GroupController, gc: ScalingGroupConfig, now: number): void {
    const book = this.book(gc.name);
    let dirty = noteInService(book, g.state, now, !this.seen.has(gc.name));
    this.seen.add(gc.name);
    if (book.cooldown.pendingSeconds !== undefined && settled(g)) {
      book.cooldown = { until: now + book.cooldown.pendingSeconds * 1000 };
      dirty = true;
    }
    const view = { ...groupView(book, g.state, this.warmupOf(gc), now), suspended: g.state.suspended.includes('ScheduledActions') };
    const plan = planScheduled(gc.scheduledActions, book, view, now);
    if (Object.keys(plan.ran).length > 0) {
      book.lastRun = { ...book.lastRun, ...plan.ran };
      dirty = true;
    }
    if (dirty) this.saveBook(gc.name, book);
    for (const d of plan.decisions) this.decisions.apply(asg, g, d);
  }

  /** Alarm actions: policies here, notifications through notify.ts. */
  async invoke(action: AlarmAction, e: AlarmEvent): Promise<void> {
    if (action.type === 'command') return runCommand(action.command, e, { clock: this.o.clock });
    if (action.type === 'webhook') return postWebhook(action.url, e, { clock: this.o.clock, messageId: randomUUID() });
    this.runPolicy(action.autoScalingGroup, action.policy, alarmTrigger(e.alarm, e.state, e.evaluated));
  }

  /**
   * What each of the group's policies would do if its alarms reached it now,
   * in their current states and with their last datapoints: planned exactly
   * as an alarm's action would be, and not applied (the console's and
   * `shoal explain`'s "now").
   */
  preview(group: string): PolicyPreview[] {
    const gc = this.groupConfig(group);
    const g = this.o.asg()?.group(group);
    if (!gc || !g || g.deleting) return [];
    return gc.scalingPolicies.map((p) => {
      const reaching = this.alarms.definitions().flatMap((d) => {
        const st = this.alarms.status(d.alarmName);
        const state = st?.state ?? 'INSUFFICIENT_DATA';
        const hits = actionsFor(d, state, st).some((a) => reachesPolicy(a, group, p.name));
        return hits ? [{ d, state, evaluated: st?.lastEvaluated ?? [] }] : [];
      });
      if (reaching.length === 0) {
        const idle = this.alarms.definitions().filter((d) => [...d.alarmActions, ...d.okActions, ...d.insufficientDataActions].some((a) => reachesPolicy(a, group, p.name)));
        const why = idle.length === 0 ? 'no alarm triggers it' : idle.map((d) => `alarm ${d.alarmName} is ${this.alarms.status(d.alarmName)?.state ?? 'INSUFFICIENT_DATA'}`).join(', ');
        return { policy: p.name, kind: 'none' as const, summary: `nothing now: ${why}` };
      }
      // The first alarm that reaches the policy in its current state (a target tracking policy's high and low alarms are never both in ALARM).
      const { d, state, evaluated } = reaching[0]!;
      const decision = this.planFor(group, p.name, alarmTrigger(d, state, evaluated));
      return { policy: p.name, alarm: d.alarmName, kind: decision.kind, to: decision.to, summary: decision.summary };
    });
  }

  /** ExecutePolicy: simple and step policies only (as AWS). */
  executePolicy(group: string, policy: string, o: { honorCooldown?: boolean; metricValue?: number; breachThreshold?: number } = {}): Decision {
    const p = this.policy(group, policy);
    if (p.policyType === 'TargetTrackingScaling') throw validationError(`ExecutePolicy is not supported for target tracking policies (${policy}); they follow their own alarms.`);
    if (p.policyType === 'StepScaling' && (o.metricValue === undefined || o.breachThreshold === undefined)) {
      throw validationError('ExecutePolicy on a step scaling policy needs MetricValue and BreachThreshold (shoal: --metric-value and --breach-threshold).');
    }
    return this.runPolicy(group, policy, { kind: 'user', honorCooldown: o.honorCooldown === true, ...pick(o) });
  }

  private runPolicy(group: string, policyName: string, trigger: Trigger): Decision {
    const d = this.planFor(group, policyName, trigger);
    this.decisions.apply(this.o.asg()!, this.o.asg()!.group(group)!, d);
    if (d.cooldownSeconds !== undefined) {
      const book = this.book(group);
      book.cooldown = { pendingSeconds: d.cooldownSeconds };
      this.saveBook(group, book);
    }
    return d;
  }

  /** The decision a trigger would make for one policy of one group now, without applying it. */
  private planFor(group: string, policyName: string, trigger: Trigger): Decision {
    const g = this.o.asg()?.group(group);
    if (!g || g.deleting) throw validationError(`AutoScalingGroup name not found - AutoScalingGroup ${group} not found`);
    const gc = this.groupConfig(group)!;
    const p = this.policy(group, policyName);
    const book = this.book(group);
    const now = this.o.clock.now();
    const cooldown = { inProgress: book.cooldown.pendingSeconds !== undefined, ...(book.cooldown.until !== undefined ? { until: book.cooldown.until } : {}) };
    const cooldownSeconds = p.policyType === 'SimpleScaling' ? p.cooldown ?? gc.defaultCooldown : 0;
    return planPolicy({ policy: p, cooldownSeconds }, { group: groupView(book, g.state, this.warmupOf(gc, p), now), trigger, cooldown }, now);
  }

  /** Warmup of a policy (estimatedInstanceWarmup), else the group's defaultInstanceWarmup, else its defaultCooldown (AWS's fallbacks). */
  warmupOf(gc: ScalingGroupConfig, p?: ScalingPolicy): number {
    const own = p && p.policyType !== 'SimpleScaling' ? p.estimatedInstanceWarmup : undefined;
    return own ?? gc.defaultInstanceWarmup ?? gc.defaultCooldown;
  }

  private warmedSince(gc: ScalingGroupConfig, p: ScalingPolicy): ReadonlyMap<string, number> {
    const g = this.o.asg()?.group(gc.name);
    return g ? warmEnds(this.book(gc.name), g.state, this.warmupOf(gc, p)) : new Map();
  }

  now(): number {
    return this.o.clock.now();
  }

  groupConfig(name: string): ScalingGroupConfig | undefined {
    return this.config.groups.find((g) => g.name === name);
  }

  policy(group: string, name: string): ScalingPolicy {
    const gc = this.groupConfig(group);
    if (!gc) throw validationError(`AutoScalingGroup name not found - AutoScalingGroup ${group} not found`);
    const p = gc.scalingPolicies.find((x) => x.name === name);
    if (!p) throw validationError(`Policy ${name} does not exist in group ${group}; its policies: ${gc.scalingPolicies.map((x) => x.name).join(', ') || 'none'}`);
    return p;
  }

  book(group: string): ScalingBook {
    return this.o.store.getDoc<ScalingBook>(BOOK_KIND, group)?.value ?? { inServiceSince: {}, lastRun: {}, cooldown: {} };
  }

  private saveBook(group: string, b: ScalingBook): void {
    this.o.store.putDoc(BOOK_KIND, group, b);
  }
}

/** The scaling activity of a simple policy is over: desired reached, nothing pending or leaving. */
function settled(g: GroupController): boolean {
  const s = g.state;
  const live = s.instances.filter((r) => r.lifecycleState === 'InService' && !r.terminating).length;
  return live === s.desiredCapacity && !s.instances.some((r) => r.terminating || r.lifecycleState.startsWith('Pending'));
}

/** The action runs this group's policy. */
export function reachesPolicy(a: AlarmAction, group: string, policy: string): boolean {
  return a.type === 'scalingPolicy' && a.autoScalingGroup === group && a.policy === policy;
}

/** What one alarm, in a state with its datapoints, hands a policy. */
function alarmTrigger(alarm: AlarmDefinition, state: AlarmState, evaluated: EvaluatedDatapoint[]): Trigger {
  const role = alarm.owner.startsWith('policy:') ? (alarm.alarmName.endsWith('AlarmLow') ? 'low' as const : 'high' as const) : undefined;
  return {
    kind: 'alarm', alarmName: alarm.alarmName, state, evaluated, threshold: alarm.threshold,
    metricLabel: alarm.metricLabel ?? alarm.metricName, unit: alarm.unit ?? '', ...(role ? { role } : {}),
  };
}

function pick(o: { metricValue?: number; breachThreshold?: number }): { metricValue?: number; breachThreshold?: number } {
  return { ...(o.metricValue !== undefined ? { metricValue: o.metricValue } : {}), ...(o.breachThreshold !== undefined ? { breachThreshold: o.breachThreshold } : {}) };
}
