/** Target groups, health check settings and target health, as elbv2 names them. */
export type Algorithm = 'round_robin' | 'least_outstanding_requests' | 'weighted_random';

/** stickiness.* attributes: lb_cookie and app_cookie for ALB target groups, source_ip for NLB ones. */
export interface Stickiness {
  enabled: boolean; // default false
  type: 'lb_cookie' | 'app_cookie' | 'source_ip'; // default lb_cookie
  /** stickiness.lb_cookie.duration_seconds / stickiness.app_cookie.duration_seconds: 1..604800, default 86400. */
  durationSeconds: number;
  /** stickiness.app_cookie.cookie_name: the application's cookie (app_cookie). */
  cookieName?: string;
}

export interface HealthCheck {
  enabled: boolean;
  /** HTTPS: TLS to the target without verifying its certificate (as ALB). TCP: the connection opens (network load balancer groups). */
  protocol: 'HTTP' | 'HTTPS' | 'TCP';
  path: string; // default /
  port: 'traffic-port' | number; // default traffic-port
  intervalSeconds: number; // 5..300, default 30
  timeoutSeconds: number; // 2..120; ALB default 5, < interval; NLB default 10 (6 for HTTP checks), <= interval
  healthyThresholdCount: number; // 2..10, default 5
  unhealthyThresholdCount: number; // 2..10, default 2
  matcher: string; // "200", "200-299,302"; codes 200..499 (ALB, default 200) or 200..599 (NLB, default 200-399)
}

export const NO_STICKINESS: Readonly<Stickiness> = Object.freeze({ enabled: false, type: 'lb_cookie', durationSeconds: 86400 });

export interface TargetGroupAttributes {
  deregistrationDelaySeconds: number; // 0..3600, default 300
  algorithm: Algorithm; // load_balancing.algorithm.type, default round_robin
  slowStartSeconds: number; // slow_start.duration_seconds: 0 (off) or 30..900, default 0; only with round_robin
  /** load_balancing.algorithm.anomaly_mitigation: only with weighted_random; default false. */
  anomalyMitigation: boolean;
  stickiness: Stickiness;
  /** deregistration_delay.connection_termination.enabled (NLB groups): a drained target's connections are closed when the delay ends. */
  connectionTermination?: boolean;
  /** proxy_protocol_v2.enabled (NLB groups): a PROXY protocol v2 header opens each connection to a target. */
  proxyProtocolV2?: boolean;
  /** preserve_client_ip.enabled (NLB groups): connect from the client's address (loopback clients; docs). */
  preserveClientIp?: boolean;
}

export interface Target {
  id: string; // an IP address (targetType ip) or an instance id
  port: number;
  /** Zone the target is in, when known (ASG instances). */
  availabilityZone?: string;
}

/** HTTP/HTTPS: application load balancer groups; TCP, TLS, UDP, TCP_UDP: network load balancer groups. */
export type TargetGroupProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';

export function isNetworkProtocol(p: string): boolean {
  return p === 'TCP' || p === 'TLS' || p === 'UDP' || p === 'TCP_UDP';
}

export interface TargetGroup {
  name: string;
  /** HTTPS: the load balancer speaks TLS to the targets and does not verify their certificates (as ALB). */
  protocol: TargetGroupProtocol;
  port: number;
  healthCheck: HealthCheck;
  attributes: TargetGroupAttributes;
  /** Static targets from the config; ASGs and the API register more at runtime. */
  targets: Target[];
}

export type TargetHealthState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export type TargetHealthReason =
  | 'Elb.RegistrationInProgress'
  | 'Elb.InitialHealthChecking'
  | 'Target.ResponseCodeMismatch'
  | 'Target.Timeout'
  | 'Target.FailedHealthChecks'
  | 'Target.NotRegistered'
  | 'Target.NotInUse'
  | 'Target.DeregistrationInProgress'
  | 'Target.HealthCheckDisabled'
  | 'Elb.InternalError';

export interface TargetHealth {
  state: TargetHealthState;
  reason?: TargetHealthReason;
  description?: string;
}

export interface TargetHealthDescription {
  target: Target;
  healthCheckPort: string;
  targetHealth: TargetHealth;
}

/** Key for live per-target state: counters survive reloads because they are keyed by address. */
export function targetKey(t: { id: string; port: number }): string {
  return t.id.includes(':') ? `[${t.id}]:${t.port}` : `${t.id}:${t.port}`;
}
