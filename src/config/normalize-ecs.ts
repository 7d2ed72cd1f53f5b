/**
 * ECS sections from the schema's output to the model (model/ecs.ts), and each
 * service compiled into what runs it: an internal launch template whose
 * version N is the family's revision N, and an internal Auto Scaling group
 * (named ecs/CLUSTER/SERVICE) in the cluster's zones, registered in the
 * service's target groups, health-checked by them, scaled by the service's
 * target tracking policies. Runs after the references were checked, so every
 * name here resolves.
 */
import type { AutoScalingGroup, ContainerSettings, LaunchTemplate, LaunchTemplateVersion } from '../model/auto-scaling.js';
import type { Cluster, ContainerDefinition, Service, TaskDefinition, TaskDefinitionRevision } from '../model/ecs.js';
import { serviceGroupName } from '../model/ecs.js';
import type { ScalingPolicy } from '../model/scaling.js';
import type { ZoneSpec } from '../model/zones.js';
import { parseTaskDefinitionRef, type ClusterInput, type ServiceInput, type TaskDefinitionInput } from './schema-ecs.js';

export interface EcsModel {
  clusters: Cluster[];
  taskDefinitions: TaskDefinition[];
  services: Service[];
}

export function normalizeEcs(input: { clusters: ClusterInput[]; taskDefinitions: TaskDefinitionInput[]; services: ServiceInput[] }, zones: ZoneSpec[]): EcsModel {
  const dockerZones = zones.filter((z) => z.docker).map((z) => z.name);
  const clusters: Cluster[] = input.clusters.map((c) => ({ name: c.name, availabilityZones: c.availabilityZones ?? dockerZones, tags: { ...c.tags } }));
  if (input.services.some((s) => s.cluster === 'default') && !clusters.some((c) => c.name === 'default')) {
    clusters.push({ name: 'default', availabilityZones: dockerZones, tags: {} });
  }
  const taskDefinitions: TaskDefinition[] = input.taskDefinitions.map((t) => ({ family: t.family, revisions: t.revisions.map(revision) }));
  const services = input.services.map((s) => service(s, taskDefinitions));
  return { clusters, taskDefinitions, services };
}

/** The latest ACTIVE revision of a family (what a bare family name means), or 0 when none is. */
export function latestActive(t: TaskDefinition): number {
  for (let i = t.revisions.length - 1; i >= 0; i--) if (t.revisions[i]!.status === 'ACTIVE') return i + 1;
  return 0;
}

function revision(r: TaskDefinitionInput['revisions'][number]): TaskDefinitionRevision {
  return {
    containerDefinitions: r.containerDefinitions.map((c): ContainerDefinition => ({
      name: c.name, image: c.image, essential: c.essential,
      ...(c.cpu !== undefined ? { cpu: c.cpu } : {}),
      ...(c.memory !== undefined ? { memory: c.memory } : {}),
      ...(c.memoryReservation !== undefined ? { memoryReservation: c.memoryReservation } : {}),
      ...(c.command ? { command: [...c.command] } : {}),
      ...(c.entryPoint ? { entryPoint: [...c.entryPoint] } : {}),
      environment: c.environment.map((e) => ({ ...e })),
      portMappings: c.portMappings.map((p) => ({
        containerPort: p.containerPort, protocol: p.protocol,
        hostPort: p.hostPort ?? (r.networkMode === 'bridge' ? 0 : p.containerPort),
      })),
      ...(c.healthCheck ? { healthCheck: { ...c.healthCheck, command: [...c.healthCheck.command] } } : {}),
      dockerLabels: { ...c.dockerLabels },
      stopTimeout: c.stopTimeout,
    })),
    networkMode: r.networkMode,
    ...(r.cpu !== undefined ? { cpu: r.cpu } : {}),
    ...(r.memory !== undefined ? { memory: r.memory } : {}),
    requiresCompatibilities: [...r.requiresCompatibilities],
    status: r.status,
  };
}

function service(s: ServiceInput, families: TaskDefinition[]): Service {
  const ref = parseTaskDefinitionRef(s.taskDefinition)!;
  const family = families.find((t) => t.family === ref.family)!;
  const d = s.deploymentConfiguration;
  return {
    name: s.name,
    cluster: s.cluster,
    taskDefinition: { family: ref.family, revision: ref.revision ?? latestActive(family) },
    desiredCount: s.desiredCount,
    launchType: s.launchType,
    loadBalancers: s.loadBalancers.map((l) => ({ ...l })),
    deploymentConfiguration: {
      minimumHealthyPercent: d.minimumHealthyPercent, maximumPercent: d.maximumPercent,
      deploymentCircuitBreaker: { ...d.deploymentCircuitBreaker },
    },
    healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds,
    ...(s.autoScaling ? {
      autoScaling: {
        minCapacity: s.autoScaling.minCapacity, maxCapacity: s.autoScaling.maxCapacity,
        targetTrackingPolicies: s.autoScaling.targetTrackingPolicies.map((p) => ({ ...p })),
      },
    } : {}),
    tags: { ...s.tags },
  };
}

/** The launch templates and groups that run the services (appended to the file's own). */
export function serviceGroups(ecs: EcsModel): { launchTemplates: LaunchTemplate[]; autoScalingGroups: AutoScalingGroup[] } {
  const launchTemplates: LaunchTemplate[] = [];
  const autoScalingGroups: AutoScalingGroup[] = [];
  for (const s of ecs.services) {
    const family = ecs.taskDefinitions.find((t) => t.family === s.taskDefinition.family)!;
    const cluster = ecs.clusters.find((c) => c.name === s.cluster)!;
    const name = serviceGroupName(s.cluster, s.name);
    const owner = { cluster: s.cluster, service: s.name };
    launchTemplates.push({
      name, defaultVersion: s.taskDefinition.revision, ecsService: owner,
      versions: family.revisions.map((r, i) => taskVersion(s, family.family, i + 1, r)),
    });
    const a = s.autoScaling;
    const stop = family.revisions[s.taskDefinition.revision - 1]!.containerDefinitions[0]!.stopTimeout;
    autoScalingGroups.push({
      name,
      launchTemplate: { name, version: s.taskDefinition.revision },
      minSize: a ? a.minCapacity : 0,
      maxSize: a ? a.maxCapacity : s.desiredCount,
      desiredCapacity: s.desiredCount,
      availabilityZones: [...cluster.availabilityZones],
      targetGroups: [...new Set(s.loadBalancers.map((l) => l.targetGroup))],
      healthCheckType: s.loadBalancers.length > 0 ? 'ELB' : 'EC2',
      healthCheckGracePeriod: s.healthCheckGracePeriodSeconds,
      defaultCooldown: 300,
      terminationPolicies: ['Default'],
      newInstancesProtectedFromScaleIn: false,
      scalingPolicies: (a?.targetTrackingPolicies ?? []).map((p): ScalingPolicy => ({
        name: p.policyName, enabled: true, policyType: 'TargetTrackingScaling', estimatedInstanceWarmup: p.scaleOutCooldown,
        targetTrackingConfiguration: {
          targetValue: p.targetValue, disableScaleIn: p.disableScaleIn, period: 60,
          predefinedMetricType: p.predefinedMetricType === 'ECSServiceAverageCPUUtilization' ? 'ASGAverageCPUUtilization' : 'ALBRequestCountPerTarget',
        },
      })),
      scheduledActions: [],
      lifecycleHooks: [],
      instanceStopTimeoutSeconds: stop,
      ecsService: owner,
    });
  }
  return { launchTemplates, autoScalingGroups };
}

/** Revision N of the family as the service runs it: its one container, the port the service's load balancer names. */
function taskVersion(s: Service, family: string, n: number, r: TaskDefinitionRevision): LaunchTemplateVersion {
  const c = r.containerDefinitions[0]!;
  const lb = s.loadBalancers.find((l) => l.containerName === c.name);
  const mapping = c.portMappings.find((p) => p.containerPort === lb?.containerPort) ?? c.portMappings[0];
  const cpu = c.cpu || r.cpu;
  const memory = c.memory ?? r.memory;
  const container: ContainerSettings = {
    ...(c.command ? { command: [...c.command] } : {}),
    ...(c.entryPoint ? { entryPoint: [...c.entryPoint] } : {}),
    ...(cpu ? { vcpus: cpu / 1024 } : {}),
    ...(memory ? { memoryMiB: memory } : {}),
    ...(c.healthCheck && c.healthCheck.command[0] !== 'NONE' ? {
      healthCheck: { test: [...c.healthCheck.command], interval: c.healthCheck.interval, timeout: c.healthCheck.timeout, retries: c.healthCheck.retries, startPeriod: c.healthCheck.startPeriod },
    } : {}),
    labels: { ...c.dockerLabels },
    port: mapping?.containerPort ?? lb?.containerPort ?? 8080,
    ...(mapping && mapping.hostPort !== 0 && mapping.hostPort !== mapping.containerPort ? { hostPort: mapping.hostPort } : {}),
    stopTimeoutSeconds: c.stopTimeout,
  };
  return {
    imageId: `docker:${c.image}`,
    instanceType: 't3.micro',
    userData: '',
    environment: Object.fromEntries(c.environment.map((e) => [e.name, e.value])),
    tags: { ...s.tags, 'ecs:cluster': s.cluster, 'ecs:service': s.name, 'ecs:taskDefinition': `${family}:${n}`, 'ecs:container': c.name },
    portMode: mapping !== undefined && mapping.hostPort === 0 ? 'dynamic' : 'host',
    container,
  };
}
