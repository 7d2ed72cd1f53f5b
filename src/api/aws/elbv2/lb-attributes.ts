/**
 * Load balancer attributes: AWS's keys onto the config's `attributes` (spec) or the record's meta.
 * access_logs.s3.enabled turns the local access log on or off (attributes.accessLogs.enabled; the
 * file is attributes.accessLogs.path, by default <stateDir>/access-logs/<name>.log); the bucket and
 * prefix are kept and shown back, but shoal writes no S3 object (docs/aws-api.md).
 *
 * Keys are per type, as AWS's LoadBalancerAttribute lists them: an application-only key on a
 * network load balancer answers InvalidConfigurationRequest naming the key (AWS's words), never
 * accepted and ignored. load_balancing.cross_zone.enabled is true or false on a network load
 * balancer (attributes.crossZoneEnabled, default false) and always true on an application one.
 */
import type { LoadBalancerType } from '../../../model/load-balancer.js';
import { awsError, validation, type Input } from '../common/op.js';
import type { LbRef } from './resolve.js';

type Raw = Record<string, unknown>;

const SPEC_KEYS: Record<string, string> = {
  'idle_timeout.timeout_seconds': 'idleTimeoutSeconds',
  'routing.http.desync_mitigation_mode': 'desyncMitigationMode',
};

/** AWS keys shoal accepts at the one value that describes what it does (application load balancers). */
const FIXED: Record<string, string> = {
  'routing.http.drop_invalid_header_fields.enabled': 'false',
  'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': 'false',
  'routing.http.xff_client_port.enabled': 'false',
  'routing.http.xff_header_processing.mode': 'append',
  'routing.http.preserve_host_header.enabled': 'true',
  'waf.fail_open.enabled': 'false',
  'load_balancing.cross_zone.enabled': 'true',
};

/** Keys AWS has on application load balancers only (LoadBalancerAttribute's "supported by only Application Load Balancers"). */
const APPLICATION_ONLY = new Set([
  ...Object.keys(SPEC_KEYS),
  ...Object.keys(FIXED).filter((k) => k !== 'load_balancing.cross_zone.enabled'),
  'routing.http2.enabled',
  'client_keep_alive.seconds',
  'routing.http.x_amzn_mtls_clientcert_serial_number.header_name',
]);

const bool = (key: string, value: string): boolean => {
  if (value !== 'true' && value !== 'false') throw validation(`The value of '${key}' must be true or false.`);
  return value === 'true';
};

export function lbAttributesIn(attrs: Input[], type: LoadBalancerType): { spec?: (raw: Raw) => Raw; meta?: Raw } {
  const spec: Raw = {};
  const meta: Raw = {};
  let accessLogs: boolean | undefined;
  for (const { Key, Value } of attrs) {
    const key = String(Key);
    const value = String(Value ?? '');
    if (type === 'network' && (APPLICATION_ONLY.has(key) || key.startsWith('routing.http'))) {
      throw awsError('InvalidConfigurationRequest', `Load balancer attribute key '${key}' is not supported on load balancers with type 'network'`);
    }
    if (type === 'network' && key === 'load_balancing.cross_zone.enabled') spec.crossZoneEnabled = bool(key, value);
    else if (SPEC_KEYS[key]) spec[SPEC_KEYS[key]!] = key === 'idle_timeout.timeout_seconds' ? Number(value) : value;
    else if (key === 'routing.http2.enabled') spec.http2Enabled = bool(key, value);
    else if (key === 'access_logs.s3.enabled') accessLogs = bool(key, value);
    else if (key === 'access_logs.s3.bucket' || key === 'access_logs.s3.prefix') {
      meta[key === 'access_logs.s3.bucket' ? 'accessLogsBucket' : 'accessLogsPrefix'] = value;
    } else if (key === 'deletion_protection.enabled') meta.deletionProtection = bool(key, value);
    else if (FIXED[key] !== undefined) {
      if (value !== FIXED[key]) throw validation(`shoal supports '${key}' only at '${FIXED[key]}' (got '${value}').`);
    } else throw validation(`The attribute '${key}' is not supported by shoal.`);
  }
  const edits = Object.keys(spec).length > 0 || accessLogs !== undefined;
  const withAccessLogs = (attrs: Raw): Raw =>
    accessLogs === undefined ? attrs : { ...attrs, accessLogs: { ...(attrs.accessLogs as Raw | undefined), enabled: accessLogs } };
  return {
    ...(edits ? { spec: (raw: Raw) => ({ ...raw, attributes: withAccessLogs({ ...(raw.attributes as Raw | undefined), ...spec }) }) } : {}),
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
  };
}

export function lbAttributesOut(lb: LbRef): Array<{ Key: string; Value: string }> {
  const a = lb.spec.attributes;
  const common: Record<string, string> = {
    'deletion_protection.enabled': String(lb.rec.meta?.deletionProtection === true),
    'access_logs.s3.enabled': String(a.accessLogs !== undefined),
    'access_logs.s3.bucket': String(lb.rec.meta?.accessLogsBucket ?? ''),
    'access_logs.s3.prefix': String(lb.rec.meta?.accessLogsPrefix ?? ''),
  };
  const out: Record<string, string> = lb.spec.type === 'network'
    ? { ...common, 'load_balancing.cross_zone.enabled': String(a.crossZoneEnabled === true) }
    : {
      'idle_timeout.timeout_seconds': String(a.idleTimeoutSeconds),
      'routing.http.desync_mitigation_mode': a.desyncMitigationMode,
      'routing.http2.enabled': String(a.http2Enabled !== false),
      ...common,
      ...FIXED,
    };
  return Object.entries(out).map(([Key, Value]) => ({ Key, Value }));
}
