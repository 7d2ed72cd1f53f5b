/**
 * Target group attributes: AWS's keys (ModifyTargetGroupAttributes) onto the
 * config's `attributes`, and the spec back as AWS's list. Keys shoal does
 * not implement are refused by name, never silently kept.
 */
import { isNetworkProtocol, type TargetGroup } from '../../../model/target-group.js';
import { awsError, validation, type Input } from '../common/op.js';

type Raw = Record<string, unknown>;

const int = (key: string, v: string): number => {
  if (!/^\d+$/.test(v)) throw validation(`The value of '${key}' must be an integer (got '${v}').`);
  return Number(v);
};
const boolOf = (key: string, v: string): boolean => {
  if (v !== 'true' && v !== 'false') throw validation(`The value of '${key}' must be true or false (got '${v}').`);
  return v === 'true';
};

type Setter = (a: Raw, v: string, key: string) => void;

const COMMON: Record<string, Setter> = {
  'deregistration_delay.timeout_seconds': (a, v, k) => (a.deregistrationDelaySeconds = int(k, v)),
  'stickiness.enabled': (a, v, k) => (sticky(a).enabled = boolOf(k, v)),
  'stickiness.type': (a, v) => (sticky(a).type = v),
};

/** key -> how it changes raw attributes: application load balancer (HTTP, HTTPS) groups. */
const SETTERS: Record<string, Setter> = {
  ...COMMON,
  'slow_start.duration_seconds': (a, v, k) => (a.slowStartSeconds = int(k, v)),
  'load_balancing.algorithm.type': (a, v) => (a.algorithm = v),
  'load_balancing.algorithm.anomaly_mitigation': (a, v) => (a.anomalyMitigation = v === 'on' ? true : v === 'off' ? false : v),
  'stickiness.lb_cookie.duration_seconds': (a, v, k) => (sticky(a).durationSeconds = int(k, v)),
  'stickiness.app_cookie.duration_seconds': (a, v, k) => (sticky(a).durationSeconds = int(k, v)),
  'stickiness.app_cookie.cookie_name': (a, v) => (sticky(a).cookieName = v),
};

/** Network load balancer (TCP, TLS, UDP, TCP_UDP) groups: AWS's NLB keys; no cookies, slow start or algorithm (as AWS). */
const NETWORK_SETTERS: Record<string, Setter> = {
  ...COMMON,
  'deregistration_delay.connection_termination.enabled': (a, v, k) => (a.connectionTermination = boolOf(k, v)),
  'proxy_protocol_v2.enabled': (a, v, k) => (a.proxyProtocolV2 = boolOf(k, v)),
  'preserve_client_ip.enabled': (a, v, k) => (a.preserveClientIp = boolOf(k, v)),
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
    const setters = isNetworkProtocol(String(raw.protocol ?? 'HTTP')) ? NETWORK_SETTERS : SETTERS;
    for (const { Key, Value } of attrs) {
      const key = String(Key);
      const value = String(Value ?? '');
      const set = setters[key];
      if (set) set(a, value, key);
      else if (FIXED[key] !== undefined) {
        if (value !== FIXED[key]) throw validation(`shoal supports '${key}' only at '${FIXED[key]}' (got '${value}').`);
      } else if (SETTERS[key] !== undefined || NETWORK_SETTERS[key] !== undefined) {
        // AWS answers a key of the other kind of group with InvalidConfigurationRequest in these words.
        throw awsError('InvalidConfigurationRequest', `The provided target group attribute is not supported: '${key}' is not an attribute of ${String(raw.protocol ?? 'HTTP')} target groups`);
      } else throw validation(`The attribute '${key}' is not supported by shoal.`);
    }
    return { ...raw, attributes: a };
  };
}

export function tgAttributesOut(tg: TargetGroup): Array<{ Key: string; Value: string }> {
  const a = tg.attributes;
  const s = a.stickiness;
  if (isNetworkProtocol(tg.protocol)) {
    return pairs({
      'deregistration_delay.timeout_seconds': String(a.deregistrationDelaySeconds),
      'deregistration_delay.connection_termination.enabled': String(a.connectionTermination === true),
      'stickiness.enabled': String(s.enabled),
      'stickiness.type': s.type,
      'proxy_protocol_v2.enabled': String(a.proxyProtocolV2 === true),
      'preserve_client_ip.enabled': String(a.preserveClientIp === true),
      ...FIXED,
    });
  }
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
  return pairs(out);
}

function pairs(out: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(out).map(([Key, Value]) => ({ Key, Value }));
}
