/**
 * PutMetricAlarm and DeleteAlarms through the model service (an alarm is a
 * record, checked by the config's rules; a file-owned alarm answers
 * ResourceOwnedByFile naming its file and line), DescribeAlarms and
 * DescribeAlarmsForMetric over the alarm service's definitions.
 */
import { ShoalError } from '../../../core/errors.js';
import { fileOwned } from '../../../resources/records.js';
import { tagMap, type Input, type Operations } from '../common/op.js';
import { alarmInput } from './alarm-input.js';
import { alarmOut, allAlarms, findAlarm, type AlarmRef } from './alarm-view.js';
import type { CloudWatchDeps } from './deps.js';
import { combination, invalid, limit, need, notFound, pageOf } from './errors.js';
import { dimensionsIn } from './metrics.js';

const KIND = 'alarms' as const;
/** Alarms per account (AWS's default quota is per region; shoal has one). */
export const MAX_ALARMS = 5000;

/** An alarm a target tracking policy made: it follows its policy, not the API. */
function policyOwned(r: AlarmRef): ShoalError | undefined {
  const m = /^policy:([^/]+)\/(.+)$/.exec(r.def.owner);
  return m ? invalid(`The alarm '${r.def.alarmName}' belongs to target tracking policy '${m[2]}' of Auto Scaling group '${m[1]}'; change or delete the policy instead (put-scaling-policy, delete-policy).`) : undefined;
}

async function putMetricAlarm(d: CloudWatchDeps, input: Input): Promise<Record<string, never>> {
  const { raw, meta } = alarmInput(input);
  const name = raw.alarmName as string;
  const existing = d.model.get(KIND, name);
  const running = findAlarm(d, name);
  const owned = running && policyOwned(running);
  if (owned) throw owned;
  if (existing) {
    await d.model.update(KIND, name, () => raw, existing.version); // a file-owned alarm: ResourceOwnedByFile, with its file and line
  } else {
    if (d.model.list(KIND).length >= MAX_ALARMS) throw limit(`The maximum of ${MAX_ALARMS} alarms is reached; delete alarms you no longer need.`);
    await d.model.create(KIND, raw, tagMap(input.Tags as Array<{ Key: string; Value?: string }> | undefined, 'InvalidParameterValue'));
  }
  const at = d.clock.now();
  d.model.annotate(KIND, name, (r) => ({ tags: r.tags, meta: { ...meta, configurationUpdatedAt: at } }));
  const svc = d.alarms();
  // PutMetricAlarm sets the whole configuration: ActionsEnabled as given, not a runtime switch from before.
  svc?.setActionsEnabled(name, undefined);
  const verb = existing ? 'updated' : 'created';
  svc?.recordConfigurationUpdate(name, `Alarm "${name}" ${verb}`, { type: existing ? 'Update' : 'Create', [`${verb}Alarm`]: { ...raw, ...meta } });
  return {};
}

async function deleteAlarms(d: CloudWatchDeps, input: Input): Promise<Record<string, never>> {
  const names = [...new Set(need<string[]>(input, 'AlarmNames'))];
  // Check every name first: on any error nothing is deleted (as AWS).
  const unknown = names.filter((n) => !d.model.get(KIND, n) && !findAlarm(d, n));
  if (unknown.length > 0) throw notFound(`${unknown.length} alarm${unknown.length === 1 ? '' : 's'} not found: ${unknown.join(', ')}. Nothing was deleted.`);
  for (const n of names) {
    const r = findAlarm(d, n);
    const owned = r && policyOwned(r);
    if (owned) throw owned;
    const rec = d.model.get(KIND, n)!;
    if (rec.owner.kind === 'file') throw fileOwned(KIND, n, rec.owner);
  }
  for (const n of names) {
    const rec = d.model.get(KIND, n)!;
    d.alarms()?.recordConfigurationUpdate(n, `Alarm "${n}" deleted`, { type: 'Delete', deletedAlarm: rec.raw });
    await d.model.remove(KIND, n, rec.version);
  }
  return {};
}

function describeAlarms(d: CloudWatchDeps, input: Input, region: string): Record<string, unknown> {
  const max = (input.MaxRecords as number | undefined) ?? 50;
  const types = (input.AlarmTypes as string[] | undefined) ?? ['MetricAlarm'];
  const names = input.AlarmNames as string[] | undefined;
  const prefix = input.AlarmNamePrefix as string | undefined;
  const family = input.ChildrenOfAlarmName ?? input.ParentsOfAlarmName;
  if (names !== undefined && names.length > 0 && prefix !== undefined) throw combination('AlarmNames and AlarmNamePrefix are mutually exclusive: specify one of them.');
  if (input.ChildrenOfAlarmName !== undefined && input.ParentsOfAlarmName !== undefined) throw combination('ChildrenOfAlarmName and ParentsOfAlarmName are mutually exclusive.');
  if (family !== undefined && (names?.length || prefix !== undefined || input.StateValue !== undefined || input.ActionPrefix !== undefined)) {
    throw combination('With ChildrenOfAlarmName or ParentsOfAlarmName, only NextToken and MaxRecords may be given.');
  }
  // shoal has no composite alarms: a metric alarm is nobody's child or parent.
  const wanted = family === undefined && types.includes('MetricAlarm') ? allAlarms(d) : [];
  const out = wanted.filter((r) => (!names?.length || names.includes(r.def.alarmName))
    && (prefix === undefined || r.def.alarmName.startsWith(prefix))
    && (input.StateValue === undefined || (r.status?.state ?? 'INSUFFICIENT_DATA') === input.StateValue))
    .map((r) => alarmOut(d, region, r))
    .filter((a) => input.ActionPrefix === undefined
      || [...(a.AlarmActions as string[]), ...(a.OKActions as string[]), ...(a.InsufficientDataActions as string[])].some((x) => x.startsWith(input.ActionPrefix as string)));
  const page = pageOf(out, 'DescribeAlarms', input.NextToken, max);
  return { MetricAlarms: page.items, CompositeAlarms: [], ...(page.next ? { NextToken: page.next } : {}) };
}

function describeAlarmsForMetric(d: CloudWatchDeps, input: Input, region: string): Record<string, unknown> {
  const namespace = need<string>(input, 'Namespace');
  const metricName = need<string>(input, 'MetricName');
  const dims = input.Dimensions === undefined ? undefined : dimensionsIn(input.Dimensions);
  const same = (a: readonly { name: string; value: string }[], b: readonly { name: string; value: string }[]) =>
    a.length === b.length && a.every((x) => b.some((y) => y.name === x.name && y.value === x.value));
  const alarms = allAlarms(d).filter(({ def, rec }) => def.namespace === namespace && def.metricName === metricName
    && (input.Statistic === undefined || def.statistic === input.Statistic)
    && (input.ExtendedStatistic === undefined || def.statistic === input.ExtendedStatistic)
    && (input.Period === undefined || def.period === input.Period)
    && (input.Unit === undefined || rec?.meta?.unit === input.Unit)
    && (dims === undefined || same(def.dimensions, dims)));
  return { MetricAlarms: alarms.map((r) => alarmOut(d, region, r)) };
}

export function alarmOps(d: CloudWatchDeps): Operations {
  return {
    PutMetricAlarm: (input) => putMetricAlarm(d, input),
    DeleteAlarms: (input) => deleteAlarms(d, input),
    DescribeAlarms: (input, ctx) => describeAlarms(d, input, ctx.region),
    DescribeAlarmsForMetric: (input, ctx) => describeAlarmsForMetric(d, input, ctx.region),
  };
}
