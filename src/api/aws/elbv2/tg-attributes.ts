/**
 * Target group attributes: AWS's keys (ModifyTargetGroupAttributes) onto the
 * config's `attributes`, and the spec back as AWS's list. Keys shoal does
 * not implement are refused by name, never silently kept.
 */
import type { TargetGroup } from '../../../model/target-group.js';
import { validation, type Input } from '../common/op.js';

type Raw = Record<string, unknown>;

const int = (key: string, v: string): number => {
  if (!/^\d+$/.test(v)) throw validation(`The value of '${key}' must be an integer (got '${v}').`);
  return Number(v);
};
const boolOf = (key: string, v: string): boolean => {
  if (v !== 'true' && v !== 'false') throw validation(`The value of '${key}' must be true or false (got '${v}').`);
  return v === 'true';
};

/** key -> how it changes raw attributes. */
const SETTERS: Record<string, (a: Raw, v: string, key: string) => void> = {
  'deregistration_delay.timeout_seconds': (a, v, k) => (a.deregistrationDelaySeconds = int(k, v)),
  'slow_start.duration_seconds': (a, v, k) => (a.slowStartSeconds = int(k, v)),
  'load_balancing.algorithm.type': (a, v) => (a.algorithm = v),
  'load_balancing.algorithm.anomaly_mitigation': (a, v) => (a.anomalyMitigation = v === 'on' ? true : v === 'off' ? false : v),
  'stickiness.enabled': (a, v, k) => (sticky(a).enabled = boolOf(k, v)),
  'stickiness.type': (a, v) => (sticky(a).type = v),
  'stickiness.lb_cookie.duration_seconds': (a, v, k) => (sticky(a).durationSeconds = int(k, v)),
  'stickiness.app_cookie.duration_seconds': (a, v, k) => (sticky(a).durationSeconds = int(k, v)),
  'stickiness.app_cookie.cookie_name': (a, v) => (sticky(a).cookieName = v),
};

/** Keys AWS has that shoal accepts only at their one value (what it does). */
const FIXED: Record<string, string> = {
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'target_group_health.dns_failover.minimum_healthy_targets.count': 'off',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': '1',
};

function sticky(a: Raw): Raw {
  return (a.stickiness ??= {}) as Raw;
}

export function attributesIn(attrs: Input[]): (raw: Raw) => Raw {
  return (raw) => {
    const a: Raw = structuredClone((raw.attributes ?? {}) as Raw);
    for (const { Key, Value } of attrs) {
      const key = String(Key);
      const value = String(Value ?? '');
      const set = SETTERS[key];
      if (set) set(a, value, key);
      else if (FIXED[key] !== undefined) {
        if (value !== FIXED[key]) throw validation(`shoal supports '${key}' only at '${FIXED[key]}' (got '${value}').`);
      } else throw validation(`The attribute '${key}' is not supported by shoal.`);
    }
    return { ...raw, attributes: a };
  };
}

export function tgAttributesOut(tg: TargetGroup): Array<{ Key: string; Value: string }> {
  const a = tg.attributes;
  const s = a.stickiness;
  const out: Record<string, string> = {
    'deregistration_delay.timeout_seconds': String(a.deregistrationDelaySeconds),
    'slow_start.duration_seconds': String(a.slowStartSeconds),
    'load_balancing.algorithm.type': a.algorithm,
    'load_balancing.algorithm.anomaly_mitigation': a.anomalyMitigation ? 'on' : 'off',
    'stickiness.enabled': String(s.enabled),
    'stickiness.type': s.type,
    'stickiness.lb_cookie.duration_seconds': String(s.type === 'lb_cookie' ? s.durationSeconds : 86400),
    'stickiness.app_cookie.duration_seconds': String(s.type === 'app_cookie' ? s.durationSeconds : 86400),
    'stickiness.app_cookie.cookie_name': s.cookieName ?? '',
    ...FIXED,
  };
  return Object.entries(out).map(([Key, Value]) => ({ Key, Value }));
}
