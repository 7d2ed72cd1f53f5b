/** Target groups as the config file declares them (elbv2 CreateTargetGroup + ModifyTargetGroupAttributes). */
import { z } from 'zod';
import { asText, checked, elbName, intIn, ipAddress, list, oneOf, str, strictObject, bool } from './schema-common.js';

/** A protocol the schema knows but shoal does not serve yet: a clear error instead of "must be one of". */
export function supportedProtocol<T extends string>(all: readonly [T, ...T[]], supported: readonly T[]) {
  return oneOf(all).superRefine((v, ctx) => {
    if (!supported.includes(v)) {
      ctx.addIssue({ code: 'custom', message: `${v} is not supported yet; use ${supported.join(' or ')}` });
    }
  });
}

export const MATCHER_RULE = 'must be HTTP codes from 200 to 499: a code ("200"), a list ("200,302") or a range ("200-299"), or { httpCode: ... }';

/** "200", "200,302", "200-299": every code within 200..499 (ALB's range for HTTP health checks). */
export function parseMatcher(v: unknown): string | undefined {
  const raw = typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && 'httpCode' in v
    ? asText((v as { httpCode: unknown }).httpCode)
    : asText(v);
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((p) => p.trim());
  for (const part of parts) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 200 || hi > 499 || lo > hi) return undefined;
  }
  return parts.join(',');
}

const healthCheckPort = checked<'traffic-port' | number>('must be "traffic-port" or an integer from 1 to 65535', (v) => {
  if (v === 'traffic-port') return v;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
});

const healthCheckPath = checked('must start with "/" and be at most 1024 characters', (v) =>
  typeof v === 'string' && v.startsWith('/') && v.length <= 1024 ? v : undefined);

export const healthCheckSchema = strictObject({
  enabled: bool().default(true),
  /** Default: the target group's protocol (HTTPS groups check over HTTPS, as ALB). */
  protocol: supportedProtocol(['HTTP', 'HTTPS', 'TCP'], ['HTTP', 'HTTPS']).optional(),
  path: healthCheckPath.default('/'),
  port: healthCheckPort.default('traffic-port'),
  intervalSeconds: intIn(5, 300).default(30),
  timeoutSeconds: intIn(2, 120).default(5),
  healthyThresholdCount: intIn(2, 10).default(5),
  unhealthyThresholdCount: intIn(2, 10).default(2),
  matcher: checked(MATCHER_RULE, parseMatcher).default('200'),
}).superRefine((hc, ctx) => {
  const { intervalSeconds: i, timeoutSeconds: t } = hc;
  const inRange = Number.isInteger(i) && i >= 5 && i <= 300 && Number.isInteger(t) && t >= 2 && t <= 120;
  if (inRange && t >= i) {
    ctx.addIssue({
      code: 'custom',
      path: ['timeoutSeconds'],
      message: `must be smaller than intervalSeconds (timeoutSeconds ${t}, intervalSeconds ${i}; defaults are 5 and 30)`,
    });
  }
});

const slowStart = checked('must be 0 (off) or an integer from 30 to 900', (v) =>
  typeof v === 'number' && Number.isInteger(v) && (v === 0 || (v >= 30 && v <= 900)) ? v : undefined);

/** Cookie names ALB keeps for itself (stickiness.app_cookie.cookie_name may not start with them). */
const RESERVED_COOKIE = /^(AWSALB|AWSALBAPP|AWSALBTG)/i;

const cookieName = checked('must be a cookie name of 1 to 255 token characters, not starting with AWSALB, AWSALBAPP or AWSALBTG', (v) =>
  typeof v === 'string' && /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,255}$/.test(v) && !RESERVED_COOKIE.test(v) ? v : undefined);

export const stickinessSchema = strictObject({
  enabled: bool().default(false),
  type: oneOf(['lb_cookie', 'app_cookie', 'source_ip']).default('lb_cookie'),
  durationSeconds: intIn(1, 604800).default(86400),
  cookieName: cookieName.optional(),
}).superRefine((st, ctx) => {
  if (st.type === 'app_cookie' && st.cookieName === undefined) {
    ctx.addIssue({ code: 'custom', path: ['cookieName'], message: 'is required with type app_cookie: the name of the cookie your application sets' });
  }
});

export const targetGroupAttributesSchema = strictObject({
  deregistrationDelaySeconds: intIn(0, 3600).default(300),
  algorithm: oneOf(['round_robin', 'least_outstanding_requests', 'weighted_random']).default('round_robin'),
  slowStartSeconds: slowStart.default(0),
  anomalyMitigation: bool().default(false),
  stickiness: stickinessSchema.default({}),
}).superRefine((a, ctx) => {
  // ALB: slow start works with round robin only (not least outstanding requests, not weighted random).
  if (a.algorithm !== 'round_robin' && typeof a.slowStartSeconds === 'number' && a.slowStartSeconds > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['slowStartSeconds'],
      message: `cannot be used with algorithm ${a.algorithm} (ALB allows slow start with round_robin only); set slowStartSeconds: 0 or algorithm: round_robin (got ${a.slowStartSeconds})`,
    });
  }
  if (a.anomalyMitigation === true && a.algorithm !== 'weighted_random') {
    ctx.addIssue({ code: 'custom', path: ['anomalyMitigation'], message: `needs algorithm weighted_random (got algorithm ${String(a.algorithm)})` });
  }
});

export const targetSchema = strictObject({
  id: checked('must be an IPv4 or IPv6 address', ipAddress),
  port: intIn(1, 65535).optional(),
  availabilityZone: str({ max: 255 }).optional(),
});

export const targetGroupSchema = strictObject({
  name: elbName(),
  protocol: supportedProtocol(['HTTP', 'HTTPS', 'TCP'], ['HTTP', 'HTTPS']).default('HTTP'),
  port: intIn(1, 65535),
  healthCheck: healthCheckSchema.default({}),
  attributes: targetGroupAttributesSchema.default({}),
  targets: list(targetSchema, { noun: 'targets' }).default([]),
}).superRefine((tg, ctx) => {
  const sticky = tg.attributes?.stickiness;
  if (sticky?.type === 'source_ip' && (tg.protocol === 'HTTP' || tg.protocol === 'HTTPS')) {
    ctx.addIssue({ code: 'custom', path: ['attributes', 'stickiness', 'type'], message: `source_ip stickiness is for network load balancer target groups (TCP, UDP, TLS); ${tg.protocol} groups use lb_cookie or app_cookie` });
  }
  const seen = new Map<string, number>();
  tg.targets.forEach((t, i) => {
    const port = t.port ?? tg.port;
    if (typeof t.id !== 'string' || typeof port !== 'number') return; // already reported
    const key = `${t.id}:${port}`;
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['targets', i], message: `duplicates targets[${first}] (${key}); each target (id, port) may be listed once` });
    } else {
      seen.set(key, i);
    }
  });
});

export type TargetGroupInput = z.output<typeof targetGroupSchema>;
