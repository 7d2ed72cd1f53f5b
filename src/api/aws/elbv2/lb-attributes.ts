/**
 * Load balancer attributes: AWS's keys onto the config's `attributes` (spec) or the record's meta.
 * access_logs.s3.enabled turns the local access log on or off (attributes.accessLogs.enabled; the
 * file is attributes.accessLogs.path, by default <stateDir>/access-logs/<name>.log); the bucket and
 * prefix are kept and shown back, but shoal writes no S3 object (docs/aws-api.md).
 */
import { validation, type Input } from '../common/op.js';
import type { LbRef } from './resolve.js';

type Raw = Record<string, unknown>;

const SPEC_KEYS: Record<string, string> = {
  'idle_timeout.timeout_seconds': 'idleTimeoutSeconds',
  'routing.http.desync_mitigation_mode': 'desyncMitigationMode',
};

/** AWS keys shoal accepts at the one value that describes what it does. */
const FIXED: Record<string, string> = {
  'routing.http2.enabled': 'true',
  'routing.http.drop_invalid_header_fields.enabled': 'false',
  'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': 'false',
  'routing.http.xff_client_port.enabled': 'false',
  'routing.http.xff_header_processing.mode': 'append',
  'routing.http.preserve_host_header.enabled': 'true',
  'waf.fail_open.enabled': 'false',
  'load_balancing.cross_zone.enabled': 'true',
};

export function lbAttributesIn(attrs: Input[]): { spec?: (raw: Raw) => Raw; meta?: Raw } {
  const spec: Raw = {};
  const meta: Raw = {};
  let accessLogs: boolean | undefined;
  for (const { Key, Value } of attrs) {
    const key = String(Key);
    const value = String(Value ?? '');
    if (SPEC_KEYS[key]) spec[SPEC_KEYS[key]!] = key === 'idle_timeout.timeout_seconds' ? Number(value) : value;
    else if (key === 'access_logs.s3.enabled') {
      if (value !== 'true' && value !== 'false') throw validation(`The value of '${key}' must be true or false.`);
      accessLogs = value === 'true';
    } else if (key === 'access_logs.s3.bucket' || key === 'access_logs.s3.prefix') {
      meta[key === 'access_logs.s3.bucket' ? 'accessLogsBucket' : 'accessLogsPrefix'] = value;
    } else if (key === 'deletion_protection.enabled') {
      if (value !== 'true' && value !== 'false') throw validation(`The value of '${key}' must be true or false.`);
      meta.deletionProtection = value === 'true';
    } else if (FIXED[key] !== undefined) {
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
  const out: Record<string, string> = {
    'idle_timeout.timeout_seconds': String(a.idleTimeoutSeconds),
    'routing.http.desync_mitigation_mode': a.desyncMitigationMode,
    'deletion_protection.enabled': String(lb.rec.meta?.deletionProtection === true),
    'access_logs.s3.enabled': String(a.accessLogs !== undefined),
    'access_logs.s3.bucket': String(lb.rec.meta?.accessLogsBucket ?? ''),
    'access_logs.s3.prefix': String(lb.rec.meta?.accessLogsPrefix ?? ''),
    ...FIXED,
  };
  return Object.entries(out).map(([Key, Value]) => ({ Key, Value }));
}
