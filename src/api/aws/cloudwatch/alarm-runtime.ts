/**
 * The runtime alarm operations, which work on every alarm (file-owned ones
 * and a target tracking policy's too, as AWS): SetAlarmState (until the next
 * evaluation says otherwise; actions run for the new state),
 * Enable/DisableAlarmActions (a runtime switch over ActionsEnabled), and
 * DescribeAlarmHistory (read from the store: a deleted alarm keeps its history).
 */
import { alarmHistoryNames, readAlarmHistory, type AlarmHistoryItem } from '../../../alarms/history.js';
import { ShoalError } from '../../../core/errors.js';
import type { AlarmState } from '../../../model/scaling.js';
import type { Input, Operations } from '../common/op.js';
import { findAlarm } from './alarm-view.js';
import type { CloudWatchDeps } from './deps.js';
import { combination, need, notFound, pageOf } from './errors.js';

/** Items read per alarm for DescribeAlarmHistory (the store keeps the newest). */
const HISTORY_READ = 10_000;

async function setAlarmState(d: CloudWatchDeps, input: Input): Promise<Record<string, never>> {
  const name = need<string>(input, 'AlarmName');
  const svc = d.alarms();
  if (!svc || !findAlarm(d, name)) throw notFound(`Alarm ${name} not found`);
  let data: unknown;
  if (input.StateReasonData !== undefined) {
    try {
      data = JSON.parse(input.StateReasonData as string);
    } catch {
      throw new ShoalError('InvalidFormat', 'StateReasonData is not valid JSON.', 400);
    }
  }
  await svc.setAlarmState(name, need<AlarmState>(input, 'StateValue'), (input.StateReason as string | undefined) ?? '', data);
  return {};
}

/** AWS's Enable/DisableAlarmActions have no error for a name that does not exist: such names are skipped. */
function setActions(d: CloudWatchDeps, input: Input, enabled: boolean): Record<string, never> {
  const svc = d.alarms();
  for (const name of need<string[]>(input, 'AlarmNames')) if (svc?.definition(name)) svc.setActionsEnabled(name, enabled);
  return {};
}

function describeAlarmHistory(d: CloudWatchDeps, input: Input): Record<string, unknown> {
  const max = (input.MaxRecords as number | undefined) ?? 50;
  const types = input.AlarmTypes as string[] | undefined;
  if (input.AlarmContributorId !== undefined) throw combination('AlarmContributorId is for multi-time-series alarms, which shoal does not have.');
  const start = (input.StartDate as Date | undefined)?.getTime() ?? -Infinity;
  const end = (input.EndDate as Date | undefined)?.getTime() ?? Infinity;
  const names = input.AlarmName !== undefined ? [input.AlarmName as string] : alarmHistoryNames(d.store);
  const items: AlarmHistoryItem[] = types !== undefined && !types.includes('MetricAlarm') ? [] : names.flatMap((n) => readAlarmHistory(d.store, n, HISTORY_READ));
  const chosen = items
    .filter((h) => (input.HistoryItemType === undefined || h.HistoryItemType === input.HistoryItemType) && inRange(Date.parse(h.Timestamp), start, end))
    .sort((a, b) => Date.parse(b.Timestamp) - Date.parse(a.Timestamp));
  if (input.ScanBy === 'TimestampAscending') chosen.reverse();
  const page = pageOf(chosen, 'DescribeAlarmHistory', input.NextToken, max);
  return { AlarmHistoryItems: page.items.map((h) => ({ ...h, AlarmType: 'MetricAlarm' })), ...(page.next ? { NextToken: page.next } : {}) };
}

function inRange(t: number, start: number, end: number): boolean {
  return t >= start && t <= end;
}

export function alarmRuntimeOps(d: CloudWatchDeps): Operations {
  return {
    SetAlarmState: (input) => setAlarmState(d, input),
    EnableAlarmActions: (input) => setActions(d, input, true),
    DisableAlarmActions: (input) => setActions(d, input, false),
    DescribeAlarmHistory: (input) => describeAlarmHistory(d, input),
  };
}
