/**
 * plan(desired, observed, now) for scaling policies (pure): what one trigger
 * does to one group, with the reason. Target tracking follows the metric
 * (arithmetic.ts); step scaling picks the step by the metric's distance from
 * the alarm threshold; simple scaling applies its adjustment and then waits
 * out its cooldown. Instances in their warmup are not counted as capacity
 * that has answered the load: step scale-outs only add the difference, and
 * scale-ins wait for them.
 */
import { iso } from '../asg/causes.js';
import type { ScalingPolicy, SimpleScalingPolicy, StepScalingPolicy, TargetTrackingPolicy } from '../../model/scaling.js';
import { adjust, metricText, num, selectStep, stepText, targetTracking, type Outcome } from './arithmetic.js';
import type { Cooldown, Decision, GroupView, Trigger } from './types.js';

export interface PolicyDesired {
  policy: ScalingPolicy;
  /** Simple scaling's cooldown, resolved (policy's, else the group's default). */
  cooldownSeconds: number;
}

export interface PolicyObserved {
  group: GroupView;
  trigger: Trigger;
  cooldown: Cooldown;
}

export function planPolicy(d: PolicyDesired, o: PolicyObserved, now: number): Decision {
  const { policy } = d;
  const { group: g, trigger: t } = o;
  const head = t.kind === 'alarm'
    ? `At ${iso(now)} a monitor alarm ${t.alarmName} in state ${t.state} triggered policy ${policy.name}`
    : `At ${iso(now)} a user request executed policy ${policy.name}`;
  const base = { group: g.name, policy: policy.name, at: now, from: g.desiredCapacity, trigger: t.kind === 'alarm' ? t.alarmName : 'execute-policy' };
  const say = (kind: Decision['kind'], to: number, detail: string, held?: string): Decision => {
    const cause = kind === 'scale'
      ? `${head} changing the desired capacity from ${g.desiredCapacity} to ${to}: ${detail}.`
      : kind === 'held'
        ? `${head}, which held the desired capacity at ${g.desiredCapacity}: ${held}; ${detail}.`
        : `${head}, which kept the desired capacity at ${g.desiredCapacity}: ${detail}.`;
    const summary = kind === 'scale' ? `${g.desiredCapacity} -> ${to}: ${detail}` : kind === 'held' ? `held at ${g.desiredCapacity}: ${held}` : `no change: ${detail}`;
    return { ...base, kind, to, cause, summary, ...(kind === 'scale' && policy.policyType === 'SimpleScaling' ? { cooldownSeconds: d.cooldownSeconds } : {}) };
  };
  if (!policy.enabled) return say('none', g.desiredCapacity, 'the policy is disabled');
  if (t.kind === 'alarm' && g.alarmsSuspended) return say('held', g.desiredCapacity, 'no action taken', 'the AlarmNotification process is suspended');
  const out = outcome(d, o, now);
  if ('none' in out) return say('none', g.desiredCapacity, out.none);
  const { r, detail } = out;
  if (r.held) return say('held', g.desiredCapacity, `${detail}; ${r.why}`, r.held);
  if (r.capacity === g.desiredCapacity) return say('none', r.capacity, `${detail}; ${r.why}`);
  return say('scale', r.capacity, `${detail}; ${r.why}`);
}

type Out = { r: Outcome; detail: string } | { none: string };

function outcome(d: PolicyDesired, o: PolicyObserved, now: number): Out {
  switch (d.policy.policyType) {
    case 'TargetTrackingScaling': return target(d.policy, o);
    case 'StepScaling': return step(d.policy, o);
    case 'SimpleScaling': return simple(d.policy, o, now);
  }
}

const mean = (vs: readonly number[]) => vs.reduce((a, b) => a + b, 0) / vs.length;

function target(p: TargetTrackingPolicy, o: PolicyObserved): Out {
  const t = o.trigger;
  if (t.kind !== 'alarm' || t.evaluated.length === 0) return { none: 'target tracking acts on its own alarms only' };
  if (t.state !== 'ALARM') return { none: `alarm ${t.alarmName} is ${t.state}` };
  const metric = mean(t.evaluated.map((x) => x.value));
  const totals = t.evaluated.flatMap((x) => (x.total === undefined ? [] : [x.total]));
  const total = totals.length === t.evaluated.length ? mean(totals) : undefined;
  const cfg = p.targetTrackingConfiguration;
  const n = t.evaluated.length;
  const inAll = total === undefined ? '' : ` (${metricText(total)}${t.unit} for the whole group)`;
  const detail = `${t.metricLabel} ${metricText(metric)}${t.unit}${inAll} over ${n} datapoint${n === 1 ? '' : 's'} vs target ${num(cfg.targetValue)}${t.unit}`;
  const r = targetTracking({
    group: o.group, warmed: o.group.warmed, warming: o.group.warming, metric, total, target: cfg.targetValue,
    direction: t.role === 'low' ? 'in' : 'out', disableScaleIn: cfg.disableScaleIn,
  });
  return { r, detail };
}

/** The metric value and breach threshold a step policy reads: the alarm's datapoints, aggregated, or execute-policy's. */
function reading(p: StepScalingPolicy, t: Trigger): { value: number; threshold: number; what: string } | undefined {
  if (t.kind === 'user') {
    if (t.metricValue === undefined || t.breachThreshold === undefined) return undefined;
    return { value: t.metricValue, threshold: t.breachThreshold, what: `metric value ${metricText(t.metricValue)}` };
  }
  if (t.evaluated.length === 0) return undefined;
  const vs = t.evaluated.map((x) => x.value);
  const agg = p.metricAggregationType;
  const value = agg === 'Minimum' ? Math.min(...vs) : agg === 'Maximum' ? Math.max(...vs) : mean(vs);
  return { value, threshold: t.threshold, what: `${t.metricLabel} ${metricText(value)}${t.unit} (${agg} of ${vs.length} datapoint${vs.length === 1 ? '' : 's'})` };
}

function step(p: StepScalingPolicy, o: PolicyObserved): Out {
  const g = o.group;
  const m = reading(p, o.trigger);
  if (!m) return { none: o.trigger.kind === 'user' ? 'execute-policy on a step policy needs --metric-value and --breach-threshold' : 'the alarm has no datapoints' };
  const diff = m.value - m.threshold;
  const s = selectStep(p.stepAdjustments, diff);
  const rel = `${m.what}, ${metricText(Math.abs(diff))} ${diff >= 0 ? 'above' : 'below'} the threshold ${num(m.threshold)}`;
  if (!s) return { none: `${rel}; no step adjustment covers that` };
  const detail = `${rel}: ${stepText(s)}`;
  // Instances still warming up from earlier steps count as already added: a bigger step adds only the difference.
  const settled = g.desiredCapacity - g.warming;
  const r = adjust({ group: g, adjustmentType: p.adjustmentType, adjustment: s.scalingAdjustment, minAdjustmentMagnitude: p.minAdjustmentMagnitude, base: settled });
  if (r.capacity < g.desiredCapacity && g.warming > 0) {
    return { r: { ...r, capacity: g.desiredCapacity, held: `${g.warming} instance${g.warming === 1 ? '' : 's'} still warming up: scale-in waits for them` }, detail };
  }
  if (r.capacity !== g.desiredCapacity || g.warming === 0) return { r, detail };
  return { r: { ...r, why: `${r.why}, already covered by ${g.warming} instance${g.warming === 1 ? '' : 's'} warming up` }, detail };
}

function simple(p: SimpleScalingPolicy, o: PolicyObserved, now: number): Out {
  const t = o.trigger;
  const detail = `${p.adjustmentType} ${p.scalingAdjustment >= 0 && p.adjustmentType !== 'ExactCapacity' ? '+' : ''}${p.scalingAdjustment}${p.adjustmentType === 'PercentChangeInCapacity' ? '%' : ''}`;
  const r = adjust({ group: o.group, adjustmentType: p.adjustmentType, adjustment: p.scalingAdjustment, minAdjustmentMagnitude: p.minAdjustmentMagnitude });
  const honor = t.kind === 'alarm' || t.honorCooldown;
  if (honor && o.cooldown.inProgress) return { r: { ...r, capacity: o.group.desiredCapacity, held: 'the previous scaling activity has not completed' }, detail };
  if (honor && o.cooldown.until !== undefined && now < o.cooldown.until) {
    return { r: { ...r, capacity: o.group.desiredCapacity, held: `cooldown until ${iso(o.cooldown.until)}` }, detail };
  }
  return { r, detail };
}
