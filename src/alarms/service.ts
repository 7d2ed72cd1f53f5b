/**
 * The alarm service: evaluates every alarm once per period, when that period
 * is complete (plus a short lag for producers to flush), keeps each alarm's
 * status in the store and its state changes in the history stream
 * alarm:NAME (DescribeAlarmHistory), and runs actions: notifications on a
 * state change only; scaling-policy actions on the change and again at every
 * evaluation while the alarm stays in that state, as CloudWatch does for
 * Auto Scaling actions. One departure, in the direction of speed: an alarm on
 * a statistic that only grows within its period (growsWithinPeriod) moves to
 * ALARM as soon as the filling period already breaches, since the complete
 * period would breach too; moves to OK wait for complete periods.
 */
import type { Clock, Timer } from '../core/clock.js';
import { errorMessage, validationError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { MetricsStore } from '../metrics/types.js';
import type { AlarmState } from '../model/scaling.js';
import type { Store } from '../store/index.js';
import { alarmDecidedEarly, evaluateAlarm, evaluationRange, growsWithinPeriod, type Evaluation, type Slot } from './evaluate.js';
import { alarmHistoryNames, readAlarmHistory, type AlarmHistoryItem } from './history.js';
import { INITIAL_REASON, cloudWatchTime } from './reason.js';
import {
  ALARM_HISTORY_INDEX_KIND, ALARM_STATUS_KIND, actionName, actionsEnabledOf, actionsFor, alarmStream,
  type AlarmActionSink, type AlarmHistoryType, type AlarmDefinition, type AlarmEvent, type AlarmStatus, type SourcedDatapoint,
} from './types.js';

export interface AlarmServiceOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  /** Asked at every evaluation: the daemon's store may appear after the service. */
  metrics: () => MetricsStore | null | undefined;
  actions: AlarmActionSink;
  /** Tick interval; default 1000 ms. */
  intervalMs?: number;
}

/** How long after a period ends its datapoint is taken as complete. */
export function evaluationLag(periodSeconds: number): number {
  return Math.min(2000, (periodSeconds * 1000) / 2);
}

export class AlarmService {
  private alarms = new Map<string, AlarmDefinition>();
  private timer: Timer | undefined;
  private busy: Promise<void> | undefined;

  constructor(private readonly o: AlarmServiceOptions) {}

  /** Replaces the set of alarms; statuses of removed alarms are deleted, new ones start INSUFFICIENT_DATA. */
  sync(defs: readonly AlarmDefinition[]): void {
    const names = new Set(defs.map((d) => d.alarmName));
    for (const name of this.alarms.keys()) if (!names.has(name)) this.o.store.deleteDoc(ALARM_STATUS_KIND, name);
    this.alarms = new Map(defs.map((d) => [d.alarmName, d]));
    for (const d of defs) if (!this.status(d.alarmName)) this.write(this.initial(d.alarmName));
  }

  start(): void {
    this.timer ??= this.o.clock.every(this.o.intervalMs ?? 1000, () => void this.tick());
  }

  stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    return this.busy ?? Promise.resolve();
  }

  /** Evaluates every alarm whose next period is complete. Never two at once. */
  tick(): Promise<void> {
    if (this.busy) return this.busy;
    this.busy = this.evaluateDue().finally(() => { this.busy = undefined; });
    return this.busy;
  }

  private async evaluateDue(): Promise<void> {
    const now = this.o.clock.now();
    for (const def of [...this.alarms.values()]) {
      try {
        await this.evaluateOne(def, now);
      } catch (err) {
        this.o.log.error({ alarm: def.alarmName, err: errorMessage(err) }, 'alarm evaluation failed');
      }
    }
  }

  private async evaluateOne(def: AlarmDefinition, now: number): Promise<void> {
    const periodMs = def.period * 1000;
    const end = Math.floor((now - evaluationLag(def.period)) / periodMs) * periodMs;
    const status = this.status(def.alarmName) ?? this.initial(def.alarmName);
    if (end > status.lastEvaluatedEnd) {
      const range = this.read(def, end);
      return this.apply(def, status, evaluateAlarm(def, range, status.state), now, { lastEvaluatedEnd: end });
    }
    // Between complete periods: a growing statistic can be seen to breach before its period ends (scale out sooner).
    if (status.state === 'ALARM' || !growsWithinPeriod(def)) return;
    const filling = Math.floor(now / periodMs) * periodMs + periodMs;
    const range = this.read(def, filling);
    if (!alarmDecidedEarly(def, range)) return;
    const e = evaluateAlarm(def, range, status.state);
    const since = cloudWatchTime(range.at(-1)!.timestamp);
    await this.apply(def, status, { ...e, reason: `${e.reason} The period from ${since} is still filling; its ${def.statistic} can only grow.` }, now, {});
  }

  private async apply(def: AlarmDefinition, status: AlarmStatus, e: Evaluation, now: number, progress: { lastEvaluatedEnd?: number }): Promise<void> {
    const changed = e.state !== status.state;
    const next: AlarmStatus = { ...status, ...progress, lastEvaluated: e.evaluated };
    if (changed) {
      Object.assign(next, {
        state: e.state, stateReason: e.reason, stateUpdatedTimestamp: now,
        stateReasonData: { version: '1.0', queryDate: new Date(now).toISOString(), statistic: def.statistic, period: def.period, threshold: def.threshold,
          evaluatedDatapoints: e.evaluated.map((d) => ({ timestamp: new Date(d.timestamp).toISOString(), value: d.value })) },
      });
      this.history(def.alarmName, 'StateUpdate', `Alarm updated from ${status.state} to ${e.state}`, { oldState: status.state, newState: e.state, stateReason: e.reason });
    }
    this.write(next);
    await this.fire({ alarm: def, state: next.state, previous: status.state, changed, reason: next.stateReason, evaluated: e.evaluated, at: now });
  }

  /** The evaluation range as slots, oldest first. */
  private read(def: AlarmDefinition, end: number): Slot[] {
    const periodMs = def.period * 1000;
    const n = evaluationRange(def.evaluationPeriods);
    const start = end - n * periodMs;
    const q = { start, end, periodSeconds: def.period };
    const points: SourcedDatapoint[] = def.source
      ? def.source(q)
      : this.o.metrics()?.query({ namespace: def.namespace, metricName: def.metricName, dimensions: def.dimensions, statistic: def.statistic as never, periodSeconds: def.period, start, end }) ?? [];
    const by = new Map(points.map((p) => [p.timestamp, p]));
    return Array.from({ length: n }, (_, i) => {
      const t = start + i * periodMs;
      const p = by.get(t);
      return p ? { timestamp: t, value: p.value, sampleCount: p.sampleCount, ...(p.total !== undefined ? { total: p.total } : {}) } : { timestamp: t };
    });
  }

  private async fire(e: AlarmEvent): Promise<void> {
    for (const action of actionsFor(e.alarm, e.state, this.status(e.alarm.alarmName))) {
      if (!e.changed && action.type !== 'scalingPolicy') continue;
      try {
        await this.o.actions.invoke(action, e);
        if (e.changed) this.history(e.alarm.alarmName, 'Action', `Successfully executed action ${actionName(action)}`, {});
      } catch (err) {
        this.history(e.alarm.alarmName, 'Action', `Failed to execute action ${actionName(action)}: ${errorMessage(err)}`, {});
        this.o.log.warn({ alarm: e.alarm.alarmName, action: actionName(action), err: errorMessage(err) }, 'alarm action failed');
      }
    }
  }

  /** SetAlarmState: until the next evaluation says otherwise (as AWS); actions run for the new state. */
  async setAlarmState(name: string, state: AlarmState, reason: string, reasonData?: unknown): Promise<void> {
    const def = this.alarms.get(name);
    if (!def) throw validationError(`Alarm ${name} not found`);
    const status = this.status(name) ?? this.initial(name);
    const now = this.o.clock.now();
    const { stateReasonData: _old, ...rest } = status;
    this.write({ ...rest, state, stateReason: reason, stateUpdatedTimestamp: now, ...(reasonData !== undefined ? { stateReasonData: reasonData } : {}) });
    this.history(name, 'StateUpdate', `Alarm updated from ${status.state} to ${state}`, { oldState: status.state, newState: state, stateReason: reason });
    await this.fire({ alarm: def, state, previous: status.state, changed: state !== status.state, reason, evaluated: status.lastEvaluated, at: now });
  }

  /**
   * Enable/DisableAlarmActions: a runtime switch kept in the status (file-owned
   * alarms take it too); undefined clears it, so the spec's actionsEnabled rules
   * again (PutMetricAlarm does that: it sets the whole configuration).
   */
  setActionsEnabled(name: string, enabled: boolean | undefined): void {
    if (!this.alarms.has(name)) throw validationError(`Alarm ${name} not found`);
    const { actionsEnabled: _old, ...status } = this.status(name) ?? this.initial(name);
    this.write(enabled === undefined ? status : { ...status, actionsEnabled: enabled });
  }

  /** A ConfigurationUpdate history item (PutMetricAlarm, DeleteAlarms through the API). */
  recordConfigurationUpdate(name: string, summary: string, data: object): void {
    this.history(name, 'ConfigurationUpdate', summary, data);
  }

  /** Every alarm name with history, deleted alarms included. */
  historyNames(): string[] {
    return alarmHistoryNames(this.o.store);
  }

  definitions(): AlarmDefinition[] {
    return [...this.alarms.values()];
  }

  definition(name: string): AlarmDefinition | undefined {
    return this.alarms.get(name);
  }

  status(name: string): AlarmStatus | undefined {
    return this.o.store.getDoc<AlarmStatus>(ALARM_STATUS_KIND, name)?.value;
  }

  /** DescribeAlarms, AWS's field names. */
  describe(names?: readonly string[]): Record<string, unknown>[] {
    return this.definitions().filter((d) => !names || names.length === 0 || names.includes(d.alarmName)).map((d) => {
      const s = this.status(d.alarmName) ?? this.initial(d.alarmName);
      return {
        AlarmName: d.alarmName, AlarmDescription: d.alarmDescription, Namespace: d.namespace, MetricName: d.metricName,
        Dimensions: d.dimensions.map((x) => ({ Name: x.name, Value: x.value })),
        ...(d.statistic.startsWith('p') ? { ExtendedStatistic: d.statistic } : { Statistic: d.statistic }),
        Period: d.period, EvaluationPeriods: d.evaluationPeriods, DatapointsToAlarm: d.datapointsToAlarm,
        ComparisonOperator: d.comparisonOperator, Threshold: d.threshold, TreatMissingData: d.treatMissingData,
        ActionsEnabled: actionsEnabledOf(d, s), AlarmActions: d.alarmActions.map(actionName), OKActions: d.okActions.map(actionName),
        InsufficientDataActions: d.insufficientDataActions.map(actionName),
        StateValue: s.state, StateReason: s.stateReason, StateReasonData: s.stateReasonData === undefined ? undefined : JSON.stringify(s.stateReasonData),
        StateUpdatedTimestamp: new Date(s.stateUpdatedTimestamp).toISOString(), Owner: d.owner,
      };
    });
  }

  /** DescribeAlarmHistory, newest first. */
  alarmHistory(name: string, limit = 100): AlarmHistoryItem[] {
    return readAlarmHistory(this.o.store, name, limit);
  }

  private history(name: string, type: AlarmHistoryType, summary: string, data: object): void {
    if (!this.o.store.getDoc(ALARM_HISTORY_INDEX_KIND, name)) this.o.store.putDoc(ALARM_HISTORY_INDEX_KIND, name, {});
    this.o.store.appendHistory(alarmStream(name), {
      AlarmName: name, Timestamp: new Date(this.o.clock.now()).toISOString(), HistoryItemType: type, HistorySummary: summary,
      HistoryData: JSON.stringify({ version: '1.0', ...data }),
    });
  }

  private initial(name: string): AlarmStatus {
    return { alarmName: name, state: 'INSUFFICIENT_DATA', stateReason: INITIAL_REASON, stateUpdatedTimestamp: this.o.clock.now(), lastEvaluatedEnd: 0, lastEvaluated: [] };
  }

  private write(s: AlarmStatus): void {
    this.o.store.putDoc(ALARM_STATUS_KIND, s.alarmName, s);
  }
}
