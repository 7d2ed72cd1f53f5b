/** Load balancers, listeners and rules as the config file declares them. */
import { z } from 'zod';
import { actionSchema } from './schema-actions.js';
import { NAME_RULE, bool, checked, elbNameText, intIn, ipAddress, list, oneOf, str, strictObject } from './schema-common.js';
import { checkRuleConditions, conditionSchema } from './schema-conditions.js';
import { L4_PROTOCOLS } from './schema-target-group.js';
import { checkListenerKinds } from './schema-network.js';
import { listenerTlsFields, listenerTlsRules } from './schema-tls.js';

const ONE_ACTION = { min: 1, max: 1, noun: 'action (forward, redirect or fixed-response: ALB allows one terminal action)' };

export const ruleSchema = strictObject({
  priority: intIn(1, 50000),
  conditions: list(conditionSchema, { min: 1, noun: 'conditions' }),
  actions: list(actionSchema, ONE_ACTION),
}).superRefine((rule, ctx) => checkRuleConditions(rule.conditions, ctx));

export const listenerSchema = strictObject({
  port: intIn(1, 65535),
  /** Default: HTTP on application load balancers, TCP on network ones (normalize). */
  protocol: oneOf(['HTTP', 'HTTPS', ...L4_PROTOCOLS]).optional(),
  defaultActions: list(actionSchema, ONE_ACTION),
  rules: list(ruleSchema, { noun: 'rules' }).default([]),
  ...listenerTlsFields,
}).superRefine(listenerTlsRules);

/**
 * access_logs.*: one line per request, ALB's format (or JSON lines), to a local file instead of
 * S3. path: relative to the config file; default <stateDir>/access-logs/<name>.log.
 */
export const accessLogsSchema = strictObject({
  enabled: bool().default(false),
  path: str({ what: 'a file path' }).optional(),
  format: oneOf(['alb', 'json']).default('alb'),
  /** The file is renamed to PATH.1 (PATH.1 to PATH.2, ...) once it would pass this size. */
  maxFileSizeMegabytes: intIn(1, 1_048_576).default(100),
  /** Rotated files kept beside the current one; older ones are deleted. */
  maxFiles: intIn(0, 1000).default(5),
});

export const loadBalancerAttributesSchema = strictObject({
  // No defaults here for application-only keys: normalize fills them, so a network load balancer
  // that names one is refused (schema-network.ts) rather than the key kept and ignored.
  /** Default 60. */
  idleTimeoutSeconds: intIn(1, 4000).optional(),
  /** Default defensive. */
  desyncMitigationMode: oneOf(['monitor', 'defensive', 'strictest']).optional(),
  /** shoal extension: time a client has to send the request head; default 10. */
  headerTimeoutSeconds: intIn(1, 4000).optional(),
  /** shoal extension: time a target has to send its response head; defaults to idleTimeoutSeconds. */
  targetTimeoutSeconds: intIn(1, 4000).optional(),
  /** load_balancing.cross_zone.enabled: always on for application load balancers, off by default on network ones (docs: "zones"). */
  crossZoneEnabled: bool().optional(),
  /** routing.http2.enabled: an application load balancer's HTTPS listeners offer HTTP/2 (ALPN h2) unless false. */
  http2Enabled: bool().optional(),
  accessLogs: accessLogsSchema.optional(),
});

export const loadBalancerSchema = strictObject({
  name: checked(`${NAME_RULE}, and not beginning with "internal-"`, (v) => {
    const name = elbNameText(v);
    return name !== undefined && !name.toLowerCase().startsWith('internal-') ? name : undefined;
  }),
  type: oneOf(['application', 'network']).default('application'),
  bindAddress: checked('must be an IPv4 or IPv6 address (0.0.0.0 for all interfaces)', ipAddress).default('127.0.0.1'),
  listeners: list(listenerSchema, { noun: 'listeners' }).default([]),
  attributes: loadBalancerAttributesSchema.default({}),
}).superRefine(checkListenerKinds);

export type LoadBalancerInput = z.output<typeof loadBalancerSchema>;
