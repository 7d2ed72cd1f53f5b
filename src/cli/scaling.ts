/** Alarm and scaling commands of `shoal` (through the daemon's JSON API): alarms, policies, execute-policy, explain. */
import type { Command } from 'commander';
import type { Decision } from '../controlplane/scaling/types.js';
import type { Explanation } from '../controlplane/scaling/explain.js';
import type { PolicyPreview } from '../controlplane/scaling/service.js';
import { asJson, callApi, endpointOptions, resolveEndpoint, type EndpointOptions } from './client.js';
import { formatTable } from './table.js';

const withEndpoint = endpointOptions;
const get = <T>(o: EndpointOptions, path: string) => callApi<T>(resolveEndpoint(o), 'GET', path);
const post = <T>(o: EndpointOptions, path: string, body: unknown) => callApi<T>(resolveEndpoint(o), 'POST', path, body);
const g = (name: string, rest = ''): string => `/_shoal/auto-scaling-groups/${encodeURIComponent(name)}${rest}`;

interface AlarmView { AlarmName: string; StateValue: string; StateReason: string; MetricName: string; Statistic?: string; ExtendedStatistic?: string; ComparisonOperator: string; Threshold: number; Period: number; DatapointsToAlarm: number; EvaluationPeriods: number }
const OPS: Record<string, string> = { GreaterThanThreshold: '>', GreaterThanOrEqualToThreshold: '>=', LessThanThreshold: '<', LessThanOrEqualToThreshold: '<=' };

export function decisionLine(d: Decision): string {
  const t = new Date(d.at).toISOString().slice(11, 19);
  const who = d.policy ? `policy ${d.policy}` : `scheduled ${d.scheduledAction}`;
  return `${t}  ${d.kind.padEnd(5)}  ${who} (${d.trigger}): ${d.summary}`;
}

export function explanationText(e: Explanation): string {
  const out = [`${e.group}: desired ${e.desiredCapacity} (min ${e.minSize}, max ${e.maxSize}); ${e.warmed} in service and warmed up, ${e.warming} warming up or pending`];
  if (e.cooldownUntil) out.push(`simple scaling cooldown until ${e.cooldownUntil}`);
  for (const p of e.policies) {
    out.push(`policy ${String(p.PolicyName)} (${String(p.PolicyType)}${p.Enabled === false ? ', disabled' : ''}, warmup ${String(p.WarmupSeconds)} s)`);
    for (const a of p.Alarms as { AlarmName: string; StateValue?: string; StateReason?: string }[]) out.push(`  alarm ${a.AlarmName}: ${a.StateValue ?? '?'} — ${a.StateReason ?? ''}`);
    const now = p.Now as PolicyPreview | undefined;
    if (now) out.push(`  now: ${now.summary}`);
  }
  for (const s of e.scheduledActions) out.push(`scheduled ${String(s.ScheduledActionName)}: next run ${String(s.NextRun ?? 'never')}${s.LastRun ? `, last ${String(s.LastRun)}` : ''}`);
  out.push('', e.decisions.length ? 'last decisions (newest first):' : 'no decisions yet');
  for (const d of e.decisions) out.push(`  ${decisionLine(d)}`);
  return out.join('\n');
}

export function registerScalingCommands(program: Command): void {
  const cmd = (spec: string, description: string): Command => withEndpoint(program.command(spec).description(description));

  cmd('alarms', 'alarms with their state and reason (describe-alarms)').option('--json', 'as JSON').action(async (o: EndpointOptions & { json?: boolean }) => {
    const r = await get<{ MetricAlarms: AlarmView[] }>(o, '/_shoal/alarms');
    if (asJson(o)) return console.log(JSON.stringify(r.MetricAlarms, null, 2));
    console.log(formatTable(['ALARM', 'STATE', 'CONDITION', 'REASON'], r.MetricAlarms.map((a) => [
      a.AlarmName, a.StateValue,
      `${a.ExtendedStatistic ?? a.Statistic} ${a.MetricName} ${OPS[a.ComparisonOperator] ?? a.ComparisonOperator} ${a.Threshold} for ${a.DatapointsToAlarm} of ${a.EvaluationPeriods} × ${a.Period} s`,
      a.StateReason,
    ])));
  });

  cmd('alarm-history <alarm>', 'state changes and actions of an alarm, newest first').action(async (name: string, o: EndpointOptions) => {
    const r = await get<{ AlarmHistoryItems: { Timestamp: string; HistorySummary: string; HistoryData: string }[] }>(o, `/_shoal/alarms/${encodeURIComponent(name)}/history`);
    for (const h of r.AlarmHistoryItems) {
      const data = JSON.parse(h.HistoryData) as { stateReason?: string };
      console.log(`${h.Timestamp}  ${h.HistorySummary}${data.stateReason ? `\n    ${data.stateReason}` : ''}`);
    }
  });

  cmd('set-alarm-state <alarm> <state>', 'set an alarm to OK, ALARM or INSUFFICIENT_DATA until its next evaluation (runs its actions)')
    .option('--reason <text>', 'state reason').action(async (name: string, state: string, o: EndpointOptions & { reason?: string }) => {
      await post(o, `/_shoal/alarms/${encodeURIComponent(name)}/state`, { stateValue: state, ...(o.reason ? { stateReason: o.reason } : {}) });
      console.log(`${name}: ${state}`);
    });

  cmd('policies <group>', "a group's scaling policies and the state of their alarms (describe-policies)").option('--json', 'as JSON')
    .action(async (name: string, o: EndpointOptions & { json?: boolean }) => {
      const r = await get<{ ScalingPolicies: Record<string, unknown>[] }>(o, g(name, '/policies'));
      if (asJson(o)) return console.log(JSON.stringify(r.ScalingPolicies, null, 2));
      console.log(formatTable(['POLICY', 'TYPE', 'ALARMS'], r.ScalingPolicies.map((p) => [
        String(p.PolicyName), String(p.PolicyType), (p.Alarms as { AlarmName: string; StateValue?: string }[]).map((a) => `${a.AlarmName}=${a.StateValue}`).join(' '),
      ])));
    });

  cmd('execute-policy <group> <policy>', 'run a simple or step scaling policy now (step policies need --metric-value and --breach-threshold)')
    .option('--honor-cooldown', 'wait out a simple policy\'s cooldown (default: ignore it, as AWS)')
    .option('--metric-value <n>', 'the metric value a step policy picks its step by').option('--breach-threshold <n>', 'the threshold the steps are relative to')
    .action(async (name: string, policy: string, o: EndpointOptions & { honorCooldown?: boolean; metricValue?: string; breachThreshold?: string }) => {
      const body = { honorCooldown: o.honorCooldown === true, ...(o.metricValue ? { metricValue: Number(o.metricValue) } : {}), ...(o.breachThreshold ? { breachThreshold: Number(o.breachThreshold) } : {}) };
      const r = await post<{ Decision: Decision }>(o, g(name, `/policies/${encodeURIComponent(policy)}/execute`), body);
      console.log(r.Decision.cause);
    });

  cmd('explain <group>', 'why the group has the capacity it has: policies, alarms, warmup, cooldown, schedule and the last decisions')
    .option('--json', 'as JSON').action(async (name: string, o: EndpointOptions & { json?: boolean }) => {
      const e = await get<Explanation>(o, g(name, '/explain'));
      console.log(asJson(o) ? JSON.stringify(e, null, 2) : explanationText(e));
    });
}
