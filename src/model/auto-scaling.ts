/**
 * Launch templates and Auto Scaling groups as the config file (and later the
 * API) declares them: spec only, AWS's field names in camelCase. What the
 * controllers observe (instances, activities) lives elsewhere.
 */
import type { ScalingPolicy, ScheduledAction } from './scaling.js';

/** One version of a launch template. Version N is `versions[N - 1]` (AWS numbers from 1). */
export interface LaunchTemplateVersion {
  /**
   * `ami-...` id, an absolute path to a directory (the config resolves relative
   * paths), or a container image `docker:repo/name:tag` (zones with a Docker engine).
   */
  imageId: string;
  instanceType: string; // default t3.micro
  /** Boot script run in the instance's working directory; its output is the boot log. Default "". */
  userData: string;
  /** Extra environment for the instance's processes. shoal extension, default {}. */
  environment: Record<string, string>;
  tags: Record<string, string>;
  /**
   * shoal extension. `host` (default): the app listens on its instance's own IP
   * and the target group port. `dynamic`: for apps that cannot bind a given
   * address, each instance gets HOST=127.0.0.1 and a port of its own (as ECS
   * dynamic port mapping), and is registered in its target groups with that port.
   */
  portMode?: 'host' | 'dynamic';
  /** Set for an ECS service's tasks only (config/ecs-groups.ts): what the container definition says beyond the fields above. */
  container?: ContainerSettings;
}

/** A task's container: its command, limits, health check and port (from an ECS container definition). */
export interface ContainerSettings {
  command?: string[];
  entryPoint?: string[];
  /** vCPUs and MiB; absent: the instance type's. */
  vcpus?: number;
  memoryMiB?: number;
  /** Docker HEALTHCHECK, seconds; a container that turns unhealthy fails its status check. */
  healthCheck?: { test: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  labels: Record<string, string>;
  /** The port the app listens on in its container (ECS containerPort). */
  port: number;
  /** A fixed host port (ECS hostPort other than 0); absent: dynamic in bridge mode, the container port otherwise. */
  hostPort?: number;
  stopTimeoutSeconds: number;
}

/**
 * docker: and an image reference as `docker run` takes it:
 * [registry[:port]/]path[:tag][@sha256:digest]; the first component is a
 * registry only when it has a dot or a port or is localhost, as Docker reads it.
 */
export function isContainerImage(v: string): boolean {
  const registry = '(?:(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+|localhost)(?::\\d+)?/|[A-Za-z0-9-]+:\\d+/)?';
  const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
  const tag = '(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?';
  return new RegExp(`^docker:${registry}${component}(?:/${component})*${tag}$`).test(v);
}

export interface LaunchTemplate {
  name: string;
  versions: LaunchTemplateVersion[];
  /** Version used by `$Default`; 1-based, default 1. */
  defaultVersion: number;
  /** Set on the template of an ECS service's tasks (version N = task definition revision N); the EC2 API does not show it. */
  ecsService?: { cluster: string; service: string };
}

export type LaunchTemplateVersionRef = '$Latest' | '$Default' | number;

export interface LaunchTemplateSpecification {
  name: string;
  version: LaunchTemplateVersionRef; // default $Default
}

export type HealthCheckType = 'EC2' | 'ELB';

export type TerminationPolicy =
  | 'Default'
  | 'AllocationStrategy'
  | 'OldestLaunchTemplate'
  | 'OldestLaunchConfiguration'
  | 'ClosestToNextInstanceHour'
  | 'NewestInstance'
  | 'OldestInstance';

export type ScalingPolicyType = ScalingPolicy['policyType'];
/** Scaling policies and scheduled actions: model/scaling.ts. */
export type ScalingPolicySpec = ScalingPolicy;

/** PutLifecycleHook: a pause in an instance's launch or termination until completed or timed out. */
export interface LifecycleHookSpec {
  name: string;
  lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING' | 'autoscaling:EC2_INSTANCE_TERMINATING';
  heartbeatTimeout: number; // seconds, 30..7200, default 3600
  defaultResult: 'CONTINUE' | 'ABANDON'; // default ABANDON
  /** shoal extension: a local command run (sh -c) as the hook's notification. */
  notificationCommand?: string;
}

export interface AutoScalingGroup {
  name: string;
  launchTemplate: LaunchTemplateSpecification;
  minSize: number;
  maxSize: number;
  desiredCapacity: number; // default minSize
  availabilityZones: string[];
  /** Target group names; instances are registered in each. */
  targetGroups: string[];
  healthCheckType: HealthCheckType; // default EC2
  /** Seconds after launch before health checks count. Default 300 (the console's default; the API's is 0). */
  healthCheckGracePeriod: number;
  defaultCooldown: number; // default 300
  terminationPolicies: TerminationPolicy[]; // default [Default]
  newInstancesProtectedFromScaleIn: boolean; // default false
  scalingPolicies: ScalingPolicy[];
  scheduledActions?: ScheduledAction[]; // the config always sets it (default [])
  /** Seconds; absent: a policy's estimatedInstanceWarmup, else defaultCooldown, is the warmup (AWS). */
  defaultInstanceWarmup?: number;
  lifecycleHooks: LifecycleHookSpec[]; // default []
  /** shoal extension: SIGTERM-to-SIGKILL grace when terminating an instance, seconds. Default 30. */
  instanceStopTimeoutSeconds: number;
  /** PutWarmPool's fields; absent: no warm pool (docs/instance-refresh.md). */
  warmPool?: WarmPoolConfig;
  /** Set on the group that runs an ECS service's tasks (model/ecs.ts); the Auto Scaling API does not show it. */
  ecsService?: { cluster: string; service: string };
}

export interface WarmPoolConfig {
  minSize: number; // default 0
  /** Group capacity plus pool; absent: the group's maxSize. */
  maxGroupPreparedCapacity?: number;
  poolState: 'Stopped' | 'Running'; // default Stopped; Hibernated is not supported
  instanceReusePolicy: { reuseOnScaleIn: boolean }; // default false
}
