/**
 * Load balancers, listeners, rules and actions: the spec as the user wrote it
 * (YAML, CLI or AWS API), with AWS's field names in camelCase. Plain data.
 */
export type LoadBalancerType = 'application' | 'network';
export type DesyncMitigationMode = 'monitor' | 'defensive' | 'strictest';

export interface LoadBalancerAttributes {
  idleTimeoutSeconds: number; // 1..4000, default 60
  desyncMitigationMode: DesyncMitigationMode; // default defensive
  /** Seconds a client has to send the full request head (slowloris guard). shoal extension, default 10. */
  headerTimeoutSeconds: number;
  /** Seconds to wait for a target's response head before 504. shoal extension, default 60 (as idle timeout). */
  targetTimeoutSeconds: number;
  /**
   * load_balancing.cross_zone.enabled: network load balancers (default false,
   * as AWS). Off, new connections go round robin over the zones that have
   * healthy targets, then to a target in that zone (tcp/zones.ts): the share
   * each zone's node gets from DNS on AWS. On, over all targets. Application
   * load balancers always cross zones.
   */
  crossZoneEnabled?: boolean;
  /**
   * routing.http2.enabled (application load balancers, default true): HTTPS
   * listeners that name no alpnPolicy offer h2 before http/1.1, as ALB's do;
   * false offers no h2 whatever alpnPolicy says.
   */
  http2Enabled?: boolean;
  /** access_logs.*: present while access logs are on (docs/load-balancing.md "Access logs"). */
  accessLogs?: AccessLogs;
}

export type AccessLogFormat = 'alb' | 'json';

export interface AccessLogs {
  /** Absolute; undefined: <stateDir>/access-logs/<load balancer name>.log. */
  path?: string;
  format: AccessLogFormat;
  maxFileSizeMegabytes: number;
  maxFiles: number;
}

export interface LoadBalancer {
  name: string;
  type: LoadBalancerType;
  /** Address the listeners bind; default 127.0.0.1. */
  bindAddress: string;
  listeners: Listener[];
  attributes: LoadBalancerAttributes;
}

export type ListenerProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';

/** One certificate of an HTTPS listener: PEM files (the chain may follow the leaf), paths absolute after normalize. */
export interface ListenerCertificate {
  certificateFile: string;
  privateKeyFile: string;
}

/** ALB's AlpnPolicy names. */
export type AlpnPolicy = 'HTTP1Only' | 'HTTP2Only' | 'HTTP2Optional' | 'HTTP2Preferred' | 'None';

/** ALB's mutual TLS: verify client certificates against a trust store (PEM CA bundle), or pass them to targets. */
export interface MutualAuthentication {
  mode: 'off' | 'verify' | 'passthrough';
  /** verify: the CA certificates (PEM) a client certificate must chain to; absolute after normalize. */
  trustStore?: string;
}

export interface Listener {
  port: number;
  protocol: ListenerProtocol;
  defaultActions: Action[];
  rules: Rule[];
  /** HTTPS and TLS: the first is the default; the others are chosen by SNI from their names. */
  certificates?: ListenerCertificate[];
  /** HTTPS: an AWS security policy name (dataplane/tls/policies.ts); default ELBSecurityPolicy-TLS13-1-2-2021-06. */
  sslPolicy?: string;
  /** HTTPS: default None (as ALB: HTTP/1.1 only). */
  alpnPolicy?: AlpnPolicy;
  mutualAuthentication?: MutualAuthentication;
}

export interface Rule {
  priority: number; // 1..50000, unique per listener
  conditions: Condition[];
  actions: Action[];
}

export type ConditionField =
  | 'path-pattern'
  | 'host-header'
  | 'http-header'
  | 'http-request-method'
  | 'query-string'
  | 'source-ip';

export interface KeyValue {
  key?: string; // query-string: optional key
  value: string;
}

/**
 * One condition. Several values are OR; several conditions on a rule are AND.
 * - path-pattern, host-header, http-request-method, source-ip: `values`
 * - http-header: `httpHeaderName` + `values`
 * - query-string: `queryStringValues` (key optional, value required)
 */
export interface Condition {
  field: ConditionField;
  values: string[];
  httpHeaderName?: string;
  queryStringValues?: KeyValue[];
}

export interface WeightedTargetGroup {
  targetGroup: string;
  weight: number; // 0..999
}

export interface ForwardAction {
  type: 'forward';
  /** Normalized: always the weighted list (a single targetGroup becomes weight 1). */
  targetGroups: WeightedTargetGroup[];
  /** forwardConfig.targetGroupStickinessConfig: keep a client on the target group it was first sent to. */
  targetGroupStickiness?: { enabled: boolean; durationSeconds: number };
}

export interface RedirectConfig {
  protocol: string; // HTTP | HTTPS | #{protocol}
  host: string; // default #{host}
  port: string; // default #{port}
  path: string; // default /#{path}
  query: string; // default #{query}
  statusCode: 'HTTP_301' | 'HTTP_302';
}

export interface RedirectAction {
  type: 'redirect';
  redirectConfig: RedirectConfig;
}

export interface FixedResponseConfig {
  statusCode: string; // 2XX, 4XX or 5XX
  contentType: string; // text/plain | text/css | text/html | application/javascript | application/json
  messageBody: string; // up to 1024 bytes
}

export interface FixedResponseAction {
  type: 'fixed-response';
  fixedResponseConfig: FixedResponseConfig;
}

export type Action = ForwardAction | RedirectAction | FixedResponseAction;

/** The target group protocols a listener of each protocol forwards to (elbv2's pairs; the config and the API check them). */
export const LISTENER_CARRIES: Readonly<Record<string, readonly string[]>> = {
  HTTP: ['HTTP', 'HTTPS'],
  HTTPS: ['HTTP', 'HTTPS'],
  TCP: ['TCP', 'TCP_UDP'],
  TLS: ['TCP', 'TLS'],
  UDP: ['UDP', 'TCP_UDP'],
  TCP_UDP: ['TCP_UDP'],
};
