/**
 * The whole config file, normalized: every default filled in, every relative
 * path resolved against the config file's directory, every reference checked.
 * Produced by src/config (loadConfigFile / parseConfig).
 */
import type { AutoScalingGroup, LaunchTemplate } from './auto-scaling.js';
import type { LoadBalancer } from './load-balancer.js';
import type { TargetGroup } from './target-group.js';
import type { AlarmSpec } from './scaling.js';
import type { ZoneSpec } from './zones.js';
import type { Cluster, Service, TaskDefinition } from './ecs.js';

export interface ApiCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ApiConfig {
  /** host:port of the AWS-compatible endpoint, console and /metrics. Default 127.0.0.1:4566. */
  listen: string;
  /** Accepted SigV4 key pairs. Default [{ accessKeyId: test, secretAccessKey: test }]. */
  credentials: ApiCredentials[];
  /** Host names (optionally name:port) the API also answers to, besides its own address (docs/security.md). Default []. */
  allowedHosts: string[];
  /** Serve AWS API calls that carry no SigV4 signature (aws --no-sign-request). Default false; refused off loopback. */
  allowUnsigned: boolean;
  /** GET /metrics: public serves it without credentials. Default { public: false }. */
  metrics: { public: boolean };
}

export interface DataPlaneConfig {
  /** Data-plane worker processes; auto = one per core. Env SHOAL_WORKERS overrides (applied by the daemon, not here). */
  workers: number | 'auto';
}

export interface ShoalConfig {
  api: ApiConfig;
  dataPlane: DataPlaneConfig;
  /** Absolute directory of the SQLite store. shoal extension; default `.shoal` beside the config file. */
  stateDir: string;
  /** Zones that run their instances on a Docker engine (model/zones.ts); other zones run processes. Default []. */
  zones: ZoneSpec[];
  loadBalancers: LoadBalancer[];
  targetGroups: TargetGroup[];
  launchTemplates: LaunchTemplate[];
  autoScalingGroups: AutoScalingGroup[];
  /** CloudWatch-style alarms (model/scaling.ts). Default []. */
  alarms: AlarmSpec[];
  /** ECS-style clusters, task definitions and services (model/ecs.ts). Each service also adds a launch template and a group above. */
  clusters: Cluster[];
  taskDefinitions: TaskDefinition[];
  services: Service[];
}
