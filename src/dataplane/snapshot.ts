/**
 * What a data-plane worker runs on: an immutable, compiled view of listeners,
 * rules and target sets, built by the control plane and swapped in atomically.
 * Workers never read the store (design.md); this is plain, serializable data
 * so it can cross the cluster IPC channel.
 */
import type { AccessLogFormat, Action, AlpnPolicy, ListenerProtocol, LoadBalancerAttributes, MutualAuthentication, Rule } from '../model/load-balancer.js';
import type { Algorithm, Stickiness, TargetHealthState } from '../model/target-group.js';
import type { SlowStartWindow } from './balancer/balancer.js';

export interface TargetSnapshot {
  /** targetKey(): "ip:port", the identity live counters are keyed by. */
  key: string;
  host: string;
  port: number;
  state: TargetHealthState;
  availabilityZone?: string;
  /**
   * Present while the target is in slow start (the group's slowStartSeconds):
   * its share of new requests ramps up linearly over this window. Workers move
   * the ramp on their own clock tick; no snapshot is sent as it progresses.
   */
  slowStart?: SlowStartWindow;
}

export interface TargetGroupSnapshot {
  name: string;
  /**
   * Present for HTTPS and TLS target groups (TLS to the targets, their
   * certificates not verified, as ELB) and the other network ones.
   */
  protocol?: 'HTTPS' | 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';
  /** Network groups: a PROXY protocol v2 header first on each connection. */
  proxyProtocolV2?: boolean;
  /** Network groups: connect to targets from the client's own (loopback) address. */
  preserveClientIp?: boolean;
  /** Network groups: a target's open connections are reset when its deregistration delay ends. */
  connectionTermination?: boolean;
  algorithm: Algorithm;
  targets: TargetSnapshot[];
  /** weighted_random only: anomaly mitigation on. */
  anomalyMitigation?: boolean;
  /** Present when sticky sessions are enabled. */
  stickiness?: Stickiness;
  /** Set when no target can take a request: why, as the control plane knows it (the 503's x-shoal-reason). */
  unserved?: string;
}

/** One certificate as PEM text (the control plane reads the files; workers never read the config's files). */
export interface CertificatePem {
  cert: string;
  key: string;
}

/** An HTTPS listener's TLS side; a change (a reload, a renewed file) is applied to new handshakes only. */
export interface TlsSnapshot {
  /** The first is the default; the others are chosen by SNI from their names (tls/contexts.ts). */
  certificates: CertificatePem[];
  sslPolicy: string;
  alpnPolicy: AlpnPolicy;
  mutualAuthentication: { mode: MutualAuthentication['mode']; trustStore?: string };
}

export interface ListenerSnapshot {
  loadBalancer: string;
  bindAddress: string;
  port: number;
  protocol: ListenerProtocol;
  rules: Rule[];
  defaultActions: Action[];
  attributes: LoadBalancerAttributes;
  /** HTTPS listeners only. */
  tls?: TlsSnapshot;
}

export interface Snapshot {
  version: number;
  /** Hex key that authenticates sticky-session cookies (sticky/tokens.ts); the same for every worker and across restarts. */
  stickySecret: string;
  listeners: ListenerSnapshot[];
  targetGroups: Record<string, TargetGroupSnapshot>;
  /** The access log files workers write, by load balancer (absent: none logs). */
  accessLogs?: Record<string, AccessLogSnapshot>;
}

/** One load balancer's access log, as every worker appends to it (access-log/file.ts). */
export interface AccessLogSnapshot {
  path: string;
  format: AccessLogFormat;
  /** Past this size the primary rotates the file. */
  maxBytes: number;
}
