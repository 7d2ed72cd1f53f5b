// Auto Scaling group: capacity, instances by zone and lifecycle state (health,
// protection, actions), activity history with causes, scaling policies,
// instance refreshes, and the capacity and CPU charts.
import { ApiError, enc, get, post } from '../api.js';
import { h, link, section, state, table, type Child } from '../dom.js';
import { action } from '../dialog.js';
import { metricCharts } from '../charts.js';
import type { PageContext } from '../router.js';
import type { Activity, Group, GroupInstance, Status } from '../types.js';

interface Explanation {
  cooldownUntil?: string;
  policies: Array<Record<string, unknown>>;
  scheduledActions: Array<Record<string, unknown>>;
  decisions: Array<{ at: number; trigger: string; kind: string; from: number; to: number; summary: string }>;
}

/** A section that needs a service the daemon may not run (no alarms or policies): its message instead. */
async function optional<T>(p: Promise<T>): Promise<T | ApiError> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'ValidationError') return err;
    throw err;
  }
}

export async function autoScalingGroup(c: PageContext): Promise<HTMLElement> {
  const name = c.params[0] ?? '';
  const base = `/_shoal/auto-scaling-groups/${enc(name)}`;
  const [g, acts, explained, refreshes, status] = await Promise.all([
    get<Group>(base), get<{ Activities: Activity[] }>(`${base}/activities`),
    optional(get<Explanation>(`${base}/explain`)),
    get<{ InstanceRefreshes: Array<Record<string, unknown>> }>(`${base}/instance-refreshes`),
    get<Status>('/_shoal/status'),
  ]);
  const owner = status.autoScalingGroups.find((x) => x.name === name)?.owner ?? '';
  const inService = g.Instances.filter((i) => i.LifecycleState === 'InService').length;
  const done = async (p: Promise<unknown>): Promise<void> => {
    await p;
    c.refresh();
  };
  const setDesired = action('Set desired capacity', () => ({
    title: `Set the desired capacity of ${name}`,
    body: h('p', { class: 'muted' }, `Between the min size ${g.MinSize} and the max size ${g.MaxSize}. The group launches or terminates instances to match.`),
    fields: [{ name: 'desired', label: 'Desired capacity', type: 'number', value: g.DesiredCapacity }],
    confirm: 'Set desired capacity',
    run: (v) => done(post(`${base}/desired-capacity`, { desiredCapacity: Number(v.desired) })),
  }), { name: 'set-desired' });
  const startRefresh = action('Start instance refresh', () => ({
    title: `Start an instance refresh of ${name}`,
    body: h('p', {}, 'Replaces every instance, a batch at a time, keeping at least the minimum healthy percentage in service.'),
    fields: [
      { name: 'min', label: 'Minimum healthy percentage', type: 'number', value: 90 },
      { name: 'warmup', label: 'Instance warmup (seconds; empty: the group\'s)', type: 'number', optional: true },
      { name: 'checkpoints', label: 'Checkpoint percentages (e.g. 20, 50; empty: none)', type: 'text', value: '', optional: true },
      { name: 'delay', label: 'Checkpoint delay (seconds)', type: 'number', value: 3600 },
      { name: 'skip', label: 'Skip matching (keep instances already on the desired launch template)', type: 'checkbox', value: false },
    ],
    confirm: 'Start refresh', danger: true,
    run: (v) => {
      const checkpoints = String(v.checkpoints).split(/[\s,]+/).filter((x) => x !== '').map(Number);
      return done(post(`${base}/instance-refreshes`, { preferences: {
        minHealthyPercentage: Number(v.min), skipMatching: v.skip === true,
        ...(String(v.warmup) !== '' ? { instanceWarmup: Number(v.warmup) } : {}),
        ...(checkpoints.length ? { checkpointPercentages: checkpoints, checkpointDelay: Number(v.delay) } : {}),
      } }));
    },
  }), { name: 'start-refresh', danger: true });
  const active = refreshes.InstanceRefreshes.find((r) => ['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'].includes(String(r.Status)));
  const cancelRefresh = active ? action('Cancel instance refresh', () => ({
    title: `Cancel instance refresh ${String(active.InstanceRefreshId)}?`, body: h('p', {}, 'Instances already replaced stay; the rest are not replaced.'),
    confirm: 'Cancel refresh', danger: true, run: () => done(post(`${base}/instance-refreshes/cancel`)),
  }), { name: 'cancel-refresh', danger: true }) : null;
  const rollbackRefresh = active ? action('Roll back instance refresh', () => ({
    title: `Roll back instance refresh ${String(active.InstanceRefreshId)}?`, body: h('p', {}, 'Instances already replaced are replaced again with the previous launch template.'),
    confirm: 'Roll back', danger: true, run: () => done(post(`${base}/instance-refreshes/rollback`)),
  }), { name: 'rollback-refresh', danger: true }) : null;

  return h('div', {},
    h('h1', {}, 'Auto Scaling group ', h('span', { class: 'name' }, name)),
    h('p', { class: 'muted' }, 'defined by ', h('code', {}, owner), ` · launch template ${String((g.LaunchTemplate as { LaunchTemplateName?: string } | undefined)?.LaunchTemplateName ?? '')}`,
      ' · target groups ', (g.TargetGroupNames ?? []).map((t, i) => [i > 0 ? ', ' : '', link(t, 'tg', t)])),
    section('Capacity',
      table(['min', 'desired', 'max', 'in service'], [[g.MinSize, h('span', { id: 'desired' }, String(g.DesiredCapacity)), g.MaxSize, h('span', { id: 'in-service' }, String(inService))]]),
      g.Status.length ? h('ul', { class: 'status' }, g.Status.map((s) => h('li', {}, s))) : null,
      h('div', { class: 'actions' }, setDesired, startRefresh, cancelRefresh, rollbackRefresh)),
    section('Instances', byZone(g.Instances), instances(g.Instances, base, done)),
    section('Metrics', await metricCharts({ kind: 'asg', name, marks: acts.Activities.map((a) => ({
      at: Date.parse(a.StartTime), kind: a.Description.startsWith('Launching') ? 'launch' : a.Description.startsWith('Terminating') ? 'terminate' : 'other',
    })) })),
    section('Activity history', table(['start', 'status', 'description', 'cause', 'message'], acts.Activities.slice(0, 30).map((a) => [
      new Date(a.StartTime).toLocaleTimeString(), state(a.StatusCode), a.Description, h('span', { class: 'cause' }, a.Cause), a.StatusMessage ?? '']), { id: 'activities' })),
    section('Scaling policies', explained instanceof ApiError ? h('p', { class: 'muted' }, explained.message) : [
      explained.cooldownUntil ? h('p', {}, `In cooldown until ${new Date(explained.cooldownUntil).toLocaleTimeString()}.`) : null,
      table(['name', 'type', 'enabled', 'alarms', 'what it would do now', ''], explained.policies.map((p) => [String(p.PolicyName), String(p.PolicyType), p.Enabled === false ? 'no' : 'yes',
        ((p.Alarms as Array<{ AlarmName: string; StateValue?: string }>) ?? []).map((a) => h('div', {}, a.AlarmName, ' ', state(a.StateValue))),
        h('span', { class: 'policy-now' }, (p.Now as { summary?: string } | undefined)?.summary ?? ''),
        action(p.Enabled === false ? 'Enable' : 'Disable', () => ({
          title: `${p.Enabled === false ? 'Enable' : 'Disable'} the scaling policy ${String(p.PolicyName)}?`,
          body: h('p', { class: 'muted' }, p.Enabled === false ? 'Its alarms scale the group again.' : 'Its alarms still change state but no longer scale the group.'),
          confirm: p.Enabled === false ? 'Enable' : 'Disable', danger: p.Enabled !== false,
          run: () => done(post(`${base}/policies/${enc(String(p.PolicyName))}/enabled`, { enabled: p.Enabled === false })),
        }), { name: 'toggle-policy' })]), { id: 'policies' }),
      h('h3', {}, 'Recent scaling decisions'),
      table(['time', 'trigger', 'decision', 'capacity', 'why'], explained.decisions.map((d) => [
        new Date(d.at).toLocaleTimeString(), d.trigger, d.kind, `${d.from} → ${d.to}`, d.summary])),
      h('h3', {}, 'Scheduled actions'),
      table(['name', 'recurrence', 'min', 'max', 'desired', 'last run', 'next run'], explained.scheduledActions.map((a) => [
        String(a.ScheduledActionName), String(a.Recurrence ?? a.StartTime ?? ''), String(a.MinSize ?? ''), String(a.MaxSize ?? ''),
        String(a.DesiredCapacity ?? ''), a.LastRun ? new Date(String(a.LastRun)).toLocaleString() : '', a.NextRun ? new Date(String(a.NextRun)).toLocaleString() : ''])),
    ]),
    g.WarmPoolConfiguration ? section('Warm pool',
      h('p', {}, `min size ${String((g.WarmPoolConfiguration as Record<string, unknown>).MinSize)} · state ${String((g.WarmPoolConfiguration as Record<string, unknown>).PoolState)} · size ${String(g.WarmPoolSize ?? '')}`),
      table(['instance', 'zone', 'lifecycle', 'health'], ((g.WarmPoolInstances as GroupInstance[] | undefined) ?? []).map((i) => [
        link(i.InstanceId, 'instance', i.InstanceId), i.AvailabilityZone, state(i.LifecycleState), state(i.HealthStatus)]))) : null,
    section('Instance refreshes', table(['id', 'status', 'complete', 'to update', 'checkpoints', 'started', 'reason'], refreshes.InstanceRefreshes.map((r) => [
      String(r.InstanceRefreshId), state(String(r.Status)), h('span', {}, h('progress', { max: 100, value: Number(r.PercentageComplete ?? 0) }), ` ${String(r.PercentageComplete ?? 0)} %`),
      String(r.InstancesToUpdate ?? ''), checkpoints(r.Checkpoints as Checkpoint[] | undefined),
      r.StartTime ? new Date(String(r.StartTime)).toLocaleTimeString() : '', String(r.StatusReason ?? '')]), { id: 'refreshes' })),
  );
}

interface Checkpoint { Percentage: number; State: 'Passed' | 'Waiting' | 'Ahead'; WaitingUntil?: string }

/** Each checkpoint of a refresh: passed, waited at (until when), or ahead. */
function checkpoints(list: readonly Checkpoint[] | undefined): Child {
  if (!list?.length) return h('span', { class: 'muted' }, 'none');
  return h('ul', { class: 'checkpoints' }, list.map((c) => h('li', {}, `${c.Percentage} %: `,
    c.State === 'Passed' ? state('passed') : c.State === 'Waiting' ? state(`waiting until ${new Date(c.WaitingUntil ?? 0).toLocaleTimeString()}`) : h('span', { class: 'muted' }, 'ahead'))));
}

/** Counts by zone and lifecycle state. */
function byZone(list: readonly GroupInstance[]): HTMLElement {
  const zones = [...new Set(list.map((i) => i.AvailabilityZone))].sort();
  const states = [...new Set(list.map((i) => i.LifecycleState))].sort();
  return table(['zone', ...states], zones.map((z) => [z, ...states.map((s) => String(list.filter((i) => i.AvailabilityZone === z && i.LifecycleState === s).length))]), { id: 'by-zone' });
}

function instances(list: readonly GroupInstance[], base: string, done: (p: Promise<unknown>) => Promise<void>): HTMLElement {
  const sorted = [...list].sort((a, b) => a.AvailabilityZone.localeCompare(b.AvailabilityZone) || a.InstanceId.localeCompare(b.InstanceId));
  return table(['instance', 'zone', 'lifecycle', 'health', 'target', 'protected', 'reason', 'actions'], sorted.map((i): Child[] => [
    link(i.InstanceId, 'instance', i.InstanceId), i.AvailabilityZone, state(i.LifecycleState), state(i.HealthStatus),
    i.Target ? h('span', {}, i.Target, ' ', state(i.TargetHealth?.split('=').pop())) : '', i.ProtectedFromScaleIn ? 'yes' : 'no', i.Reason ?? '',
    h('div', { class: 'actions' },
      action('Terminate', () => ({
        title: `Terminate ${i.InstanceId}?`, body: h('p', {}, 'The instance drains from its target groups, then stops.'),
        fields: [{ name: 'decrement', label: 'Also decrement the desired capacity (no replacement)', type: 'checkbox', value: false }],
        confirm: 'Terminate', danger: true,
        run: (v) => done(post(`/_shoal/instances/${enc(i.InstanceId)}/terminate`, { shouldDecrementDesiredCapacity: v.decrement === true })),
      }), { danger: true, name: 'terminate' }),
      action('Set health', () => ({
        title: `Set the health of ${i.InstanceId}`, body: h('p', { class: 'muted' }, 'Unhealthy: the group replaces the instance.'),
        fields: [{ name: 'health', label: 'Health status', type: 'select', value: i.HealthStatus, options: ['Healthy', 'Unhealthy'] }],
        confirm: 'Set health', danger: true,
        run: (v) => done(post(`/_shoal/instances/${enc(i.InstanceId)}/health`, { healthStatus: v.health })),
      }), { name: 'set-health' }),
      action(i.ProtectedFromScaleIn ? 'Remove scale-in protection' : 'Protect from scale-in', () => ({
        title: `${i.ProtectedFromScaleIn ? 'Remove scale-in protection from' : 'Protect from scale-in'} ${i.InstanceId}`,
        confirm: i.ProtectedFromScaleIn ? 'Remove protection' : 'Protect',
        run: () => done(post(`${base}/instance-protection`, { instanceIds: [i.InstanceId], protectedFromScaleIn: !i.ProtectedFromScaleIn })),
      }), { name: 'protect' })),
  ]), { id: 'instances' });
}
