/**
 * ECS-style clusters, task definitions and services as the config file (and
 * the ECS API) declares them: spec only, ECS's field names. The controllers
 * run a service as an internal Auto Scaling group (config/ecs-groups.ts):
 * its tasks are that group's instances, a new task definition revision is an
 * instance refresh, the circuit breaker is the refresh's auto rollback.
 */

/** A set of zones whose Docker engines run the cluster's tasks. */
export interface Cluster {
  name: string;
  /** Default: every zone with a Docker engine. */
  availabilityZones: string[];
  tags: Record<string, string>;
}

export interface KeyValuePair {
  name: string;
  value: string;
}

export interface PortMapping {
  containerPort: number;
  /** 0: a dynamic host port, chosen per task (ECS dynamic port mapping). Default: 0 in bridge mode, containerPort otherwise. */
  hostPort: number;
  protocol: 'tcp' | 'udp';
}

/** Docker's HEALTHCHECK as ECS declares it; a task whose container turns unhealthy is replaced. */
export interface ContainerHealthCheck {
  /** ["CMD-SHELL", "curl -f http://localhost/ || exit 1"] or ["CMD", "prog", "arg"]. */
  command: string[];
  interval: number; // seconds, 5..300, default 30
  timeout: number; // seconds, 2..60, default 5
  retries: number; // 1..10, default 3
  startPeriod: number; // seconds, 0..300, default 0
}

export interface ContainerDefinition {
  name: string;
  /** As `docker run` takes it (repo/name:tag), without shoal's `docker:` prefix. */
  image: string;
  /** CPU units (1024 = one vCPU); absent: the task's. */
  cpu?: number;
  /** Hard limit, MiB; absent: the task's. */
  memory?: number;
  memoryReservation?: number;
  essential: boolean; // default true
  command?: string[];
  entryPoint?: string[];
  environment: KeyValuePair[];
  portMappings: PortMapping[];
  healthCheck?: ContainerHealthCheck;
  dockerLabels: Record<string, string>;
  /** Seconds between SIGTERM and SIGKILL; default 30. */
  stopTimeout: number;
}

export type NetworkMode = 'bridge' | 'host' | 'awsvpc';

/** One revision of a family (RegisterTaskDefinition's input). */
export interface TaskDefinitionRevision {
  /** One container per task here (docs/containers.md). */
  containerDefinitions: ContainerDefinition[];
  /** Default bridge (ECS's default on EC2). */
  networkMode: NetworkMode;
  /** Task-level CPU units and memory MiB, as ECS's strings parse. */
  cpu?: number;
  memory?: number;
  requiresCompatibilities: string[];
  /** DeregisterTaskDefinition: INACTIVE revisions run on but start no new service. */
  status: 'ACTIVE' | 'INACTIVE';
}

/** A family of revisions; revision N is `revisions[N - 1]` (ECS numbers from 1). */
export interface TaskDefinition {
  family: string;
  revisions: TaskDefinitionRevision[];
}

export interface ServiceLoadBalancer {
  targetGroup: string;
  containerName: string;
  containerPort: number;
}

export interface DeploymentConfiguration {
  minimumHealthyPercent: number; // 0..100, default 100
  maximumPercent: number; // 100..200, default 200
  deploymentCircuitBreaker: { enable: boolean; rollback: boolean }; // default off
}

export type ServiceMetric = 'ECSServiceAverageCPUUtilization' | 'ECSServiceAverageMemoryUtilization' | 'ALBRequestCountPerTarget';

/** Application Auto Scaling's target tracking on the service (RegisterScalableTarget + PutScalingPolicy). */
export interface ServiceTargetTracking {
  policyName: string;
  predefinedMetricType: ServiceMetric;
  targetValue: number;
  scaleInCooldown: number; // seconds, default 300
  scaleOutCooldown: number; // seconds, default 300
  disableScaleIn: boolean;
}

export interface ServiceAutoScaling {
  minCapacity: number;
  maxCapacity: number;
  targetTrackingPolicies: ServiceTargetTracking[];
}

export interface Service {
  name: string;
  cluster: string; // default "default"
  /** family:revision, resolved (a bare family in the file means its latest ACTIVE revision). */
  taskDefinition: { family: string; revision: number };
  desiredCount: number;
  launchType: 'EC2' | 'FARGATE' | 'EXTERNAL';
  loadBalancers: ServiceLoadBalancer[];
  deploymentConfiguration: DeploymentConfiguration;
  healthCheckGracePeriodSeconds: number; // default 0
  autoScaling?: ServiceAutoScaling;
  tags: Record<string, string>;
}

/** The internal group and launch template that run a service's tasks. */
export function serviceGroupName(cluster: string, service: string): string {
  return `ecs/${cluster}/${service}`;
}

/** ECS's circuit breaker threshold: half the desired count, at least 3, at most 200 failed tasks. */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount * 0.5)));
}
