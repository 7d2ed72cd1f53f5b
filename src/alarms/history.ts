/**
 * Reading alarm history (DescribeAlarmHistory) straight from the store: the
 * history outlives the alarm (AWS keeps a deleted alarm's history), and the
 * alarm service may not run at all when no alarm is left.
 */
import type { Store } from '../store/index.js';
import { ALARM_HISTORY_INDEX_KIND, alarmStream, type AlarmHistoryType } from './types.js';

/** One item, in AWS's member names (Timestamp ISO 8601; HistoryData a JSON text). */
export interface AlarmHistoryItem {
  AlarmName: string;
  Timestamp: string;
  HistoryItemType: AlarmHistoryType;
  HistorySummary: string;
  HistoryData: string;
}

/** An alarm's history, newest first; `limit` items at most. */
export function readAlarmHistory(store: Store, name: string, limit = 100): AlarmHistoryItem[] {
  return store.history<AlarmHistoryItem & { id?: number; at?: number }>(alarmStream(name), limit).map(({ id: _id, at: _at, ...h }) => h as AlarmHistoryItem);
}

/** Every alarm name that has history, deleted alarms included. */
export function alarmHistoryNames(store: Store): string[] {
  return store.listDocs(ALARM_HISTORY_INDEX_KIND).map((d) => d.id);
}
