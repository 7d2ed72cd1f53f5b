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

export const MATCHER_RULE = 'must be HTTP codes from 200 to 499 (to 599 on TCP, TLS, UDP and TCP_UDP groups): a code ("200"), a list ("200,302") or a range ("200-299"), or { httpCode: ... }';

/** The network load balancer protocols (NLB target groups and listeners). */
export const L4_PROTOCOLS = ['TCP', 'TLS', 'UDP', 'TCP_UDP'] as const;
export const isL4 = (p: unknown): boolean => (L4_PROTOCOLS as readonly unknown[]).includes(p);

/** Highest code in a matcher already parsed by parseMatcher. */
export function matcherMax(m: string): number {
  return Math.max(...m.split(',').map((p) => Number(p.split('-').pop())));
}

/** "200", "200,302", "200-299": every code within 200..599 (NLB's range; ALB's 200..499 is checked by the group). */
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
    if (lo < 200 || hi > 599 || lo > hi) return undefined;
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

/**
 * timeoutSeconds and matcher have no default here: it depends on the group's
 * protocol (ALB: 5 s and "200"; NLB: 6 s for HTTP checks, 10 s for TCP and
 * HTTPS, and "200-399"), filled by normalize; the group checks the timeout
 * against the interval (checkHealthCheck).
 */
export const healthCheckSchema = strictObject({
  enabled: bool().default(true),
  /** Default: the target group's protocol for HTTP/HTTPS groups (as ALB), TCP for network ones (as NLB). */
  protocol: oneOf(['HTTP', 'HTTPS', 'TCP']).optional(),
  path: healthCheckPath.default('/'),
  port: healthCheckPort.default('traffic-port'),
  intervalSeconds: intIn(5, 300).default(30),
  timeoutSeconds: intIn(2, 120).optional(),
  healthyThresholdCount: intIn(2, 10).default(5),
  unhealthyThresholdCount: intIn(2, 10).default(2),
  matcher: checked(MATCHER_RULE, parseMatcher).optional(),
});

type HealthCheckLike = { protocol?: unknown; intervalSeconds?: unknown; timeoutSeconds?: unknown; matcher?: unknown };

/** The health check timeout a group gets when none is given (ALB 5 s; NLB 6 s for HTTP checks, 10 s for TCP and HTTPS). */
export function defaultHealthCheckTimeout(groupProtocol: unknown, checkProtocol: unknown): number {
  if (!isL4(groupProtocol)) return 5;
  return (checkProtocol ?? 'TCP') === 'HTTP' ? 6 : 10;
}

/** Cross-field rules of a group's health check: protocol allowed for the group, timeout below the interval, matcher range. */
function checkHealthCheck(protocol: unknown, hc: HealthCheckLike, ctx: z.RefinementCtx): void {
  const l4 = isL4(protocol);
  if (!l4 && hc.protocol === 'TCP') {
    ctx.addIssue({ code: 'custom', path: ['healthCheck', 'protocol'], message: `TCP health checks are for TCP, TLS, UDP and TCP_UDP target groups; a ${String(protocol)} group checks with HTTP or HTTPS` });
  }
  const i = hc.intervalSeconds;
  const t = hc.timeoutSeconds ?? defaultHealthCheckTimeout(protocol, hc.protocol);
  const inRange = typeof i === 'number' && Number.isInteger(i) && i >= 5 && i <= 300 && typeof t === 'number' && Number.isInteger(t) && t >= 2 && t <= 120;
  // ALB: the timeout must be smaller than the interval; NLB: not greater than it.
  if (inRange && (l4 ? t > i : t >= i)) {
    const dflt = l4 ? 'defaults are 10 (6 for HTTP checks) and 30' : 'defaults are 5 and 30';
    ctx.addIssue({
      code: 'custom',
      path: ['healthCheck', 'timeoutSeconds'],
      message: `must be ${l4 ? 'at most' : 'smaller than'} intervalSeconds (timeoutSeconds ${t}, intervalSeconds ${i}; ${dflt})`,
    });
  }
  if (!l4 && typeof hc.matcher === 'string' && matcherMax(hc.matcher) > 499) {
    ctx.addIssue({ code: 'custom', path: ['healthCheck', 'matcher'], message: `must be HTTP codes from 200 to 499 on an ${String(protocol)} target group (200 to 599 is for network load balancer groups) (got "${hc.matcher}")` });
  }
}

const slowStart = checked('must be 0 (off) or an integer from 30 to 900', (v) =>
  typeof v === 'number' && Number.isInteger(v) && (v === 0 || (v >= 30 && v <= 900)) ? v : undefined);

/** Cookie names ALB keeps for itself (stickiness.app_cookie.cookie_name may not start with them). */
const RESERVED_COOKIE = /^(AWSALB|AWSALBAPP|AWSALBTG)/i;

const cookieName = checked('must be a cookie name of 1 to 255 token characters, not starting with AWSALB, AWSALBAPP or AWSALBTG', (v) =>
  typeof v === 'string' && /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,255}$/.test(v) && !RESERVED_COOKIE.test(v) ? v : undefined);

export const stickinessSchema = strictObject({
  enabled: bool().default(false),
  /** Default: lb_cookie on HTTP/HTTPS groups, source_ip on network ones (normalize). */
  type: oneOf(['lb_cookie', 'app_cookie', 'source_ip']).optional(),
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
  /** deregistration_delay.connection_termination.enabled (NLB): close a drained target's connections when the delay ends. */
  connectionTermination: bool().default(false),
  /** proxy_protocol_v2.enabled (NLB): send a PROXY protocol v2 header with the client's address first on each connection. */
  proxyProtocolV2: bool().default(false),
  /** preserve_client_ip.enabled (NLB): connect to the target from the client's own address (loopback clients only: see docs). */
  preserveClientIp: bool().default(false),
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
  protocol: oneOf(['HTTP', 'HTTPS', ...L4_PROTOCOLS]).default('HTTP'),
  port: intIn(1, 65535),
  healthCheck: healthCheckSchema.default({}),
  attributes: targetGroupAttributesSchema.default({}),
  targets: list(targetSchema, { noun: 'targets' }).default([]),
}).superRefine((tg, ctx) => {
  checkHealthCheck(tg.protocol, tg.healthCheck ?? {}, ctx);
  checkGroupAttributes(tg.protocol, tg.attributes ?? {}, ctx);
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

type AttributesLike = { stickiness?: { type?: unknown }; connectionTermination?: unknown; proxyProtocolV2?: unknown; preserveClientIp?: unknown };

/** Stickiness types by kind of group, and the NLB-only attributes. */
function checkGroupAttributes(protocol: unknown, a: AttributesLike, ctx: z.RefinementCtx): void {
  const type = a.stickiness?.type;
  if (type === 'source_ip' && !isL4(protocol)) {
    ctx.addIssue({ code: 'custom', path: ['attributes', 'stickiness', 'type'], message: `source_ip stickiness is for network load balancer target groups (TCP, UDP, TLS); ${String(protocol)} groups use lb_cookie or app_cookie` });
  }
  if ((type === 'lb_cookie' || type === 'app_cookie') && isL4(protocol)) {
    ctx.addIssue({ code: 'custom', path: ['attributes', 'stickiness', 'type'], message: `${type} stickiness is for HTTP and HTTPS target groups; a ${String(protocol)} group uses source_ip` });
  }
  if (isL4(protocol)) return;
  for (const field of ['connectionTermination', 'proxyProtocolV2', 'preserveClientIp'] as const) {
    if (a[field] === true) ctx.addIssue({ code: 'custom', path: ['attributes', field], message: `is for network load balancer target groups (TCP, TLS, UDP, TCP_UDP); this one is ${String(protocol)}` });
  }
}

export type TargetGroupInput = z.output<typeof targetGroupSchema>;
