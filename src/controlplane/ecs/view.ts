/**
 * Services and tasks as ECS describes them (DescribeServices, DescribeTasks,
 * in ECS's own camelCase), read from a service's internal group: its
 * instances are the tasks (a task id is the instance id without "i-"), its
 * instance refreshes the deployments, its activities the service events.
 * Stopped tasks are the provider's terminated instances, kept an hour.
 */
import { createHash } from 'node:crypto';
import { ACCOUNT } from '../../model/ids.js';
import { type Cluster, type Service, type TaskDefinition } from '../../model/ecs.js';
import type { InstanceObservation } from '../../providers/provider.js';
import type { Activity, GroupState, InstanceRecord } from '../asg/types.js';
import { activeRefresh, type InstanceRefresh } from '../asg/refresh/types.js';

export interface EcsArns {
  cluster(name: string): string;
  service(cluster: string, name: string): string;
  task(cluster: string, taskId: string): string;
  taskDefinition(family: string, revision: number): string;
}

export function ecsArns(region: string): EcsArns {
  const base = `arn:aws:ecs:${region}:${ACCOUNT}:`;
  return {
    cluster: (n) => `${base}cluster/${n}`,
    service: (c, n) => `${base}service/${c}/${n}`,
    task: (c, id) => `${base}task/${c}/${id}`,
    taskDefinition: (f, r) => `${base}task-definition/${f}:${r}`,
  };
}

export const taskId = (instanceId: string): string => instanceId.replace(/^i-/, '');
export const instanceIdOfTask = (id: string): string => `i-${id.replace(/^.*\//, '')}`;

/** What the views read from the running Auto Scaling service. */
export interface ServiceRuntime {
  state: GroupState | undefined;
  activities: Activity[];
  /** Provider observations of the service's instances (running and recently stopped). */
  observed: InstanceObservation[];
}

type Obj = Record<string, unknown>;
const iso = (ms: number) => new Date(ms).toISOString();

/** ecs-svc/ and 19 digits, stable for a deployment (its refresh, or the revision the service started on). */
const deploymentId = (svc: Service, key: string) =>
  `ecs-svc/${BigInt('0x' + createHash('sha256').update(`${svc.cluster}/${svc.name}/${key}`).digest('hex').slice(0, 15)).toString().padStart(19, '0')}`;

/** `targetGroupArn` renders a load balancer's target group (by name) as the caller's elbv2 ARN; absent, the name stands. */
export function describeService(arns: EcsArns, svc: Service, rt: ServiceRuntime, meta: { createdAt: number; status?: string; targetGroupArn?: (name: string) => string }): Obj {
  const s = rt.state;
  const live = (s?.instances ?? []).filter((x) => !x.terminating && x.healthStatus === 'Healthy');
  const running = live.filter((x) => x.lifecycleState === 'InService').length;
  const pending = live.filter((x) => x.lifecycleState.startsWith('Pending')).length;
  const td = svc.taskDefinition;
  return {
    serviceArn: arns.service(svc.cluster, svc.name), serviceName: svc.name, clusterArn: arns.cluster(svc.cluster),
    loadBalancers: svc.loadBalancers.map((l) => ({ targetGroupArn: meta.targetGroupArn?.(l.targetGroup) ?? l.targetGroup, containerName: l.containerName, containerPort: l.containerPort })),
    status: meta.status ?? 'ACTIVE', desiredCount: s?.desiredCapacity ?? svc.desiredCount, runningCount: running, pendingCount: pending,
    launchType: svc.launchType, taskDefinition: arns.taskDefinition(td.family, primaryRevision(svc, s)),
    deploymentConfiguration: svc.deploymentConfiguration,
    deployments: deployments(arns, svc, s, meta.createdAt),
    events: events(svc, rt.activities),
    createdAt: iso(meta.createdAt), placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
    healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds, schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' }, enableECSManagedTags: false, propagateTags: 'NONE',
    tags: Object.entries(svc.tags).map(([key, value]) => ({ key, value })),
  };
}

/**
 * The revision new tasks get: a deployment's target (its previous one while
 * it rolls back), else what a finished deployment left the group on (after a
 * rollback, the revision rolled back to), else the service's own.
 */
function primaryRevision(svc: Service, s: GroupState | undefined): number {
  const r = s ? activeRefresh(s) : undefined;
  if (r) return r.status === 'RollbackInProgress' ? r.previous.version : r.target.version;
  return s?.launchTemplate ? Number(s.launchTemplate.version) : svc.taskDefinition.revision;
}

/** PRIMARY: the revision new tasks get; ACTIVE: each other revision tasks still run. */
function deployments(arns: EcsArns, svc: Service, s: GroupState | undefined, createdAt: number): Obj[] {
  const r = s ? activeRefresh(s) : undefined;
  const last = s?.refreshes?.[0];
  const primary = primaryRevision(svc, s);
  const live = (s?.instances ?? []).filter((x) => !x.terminating);
  const versions = [primary, ...new Set(live.map((x) => x.templateVersion).filter((v) => v !== primary))];
  return versions.map((v, i) => {
    const mine = live.filter((x) => x.templateVersion === v);
    const failed = r && v === r.target.version ? (s?.backoff.failures ?? 0) : 0;
    const rollout = i > 0 ? 'COMPLETED' : r ? 'IN_PROGRESS' : last && last.target.version === svc.taskDefinition.revision && /Failed|Rollback/.test(last.status) ? 'FAILED' : 'COMPLETED';
    const refresh = r && (v === r.target.version || v === r.previous.version) ? r : last;
    return {
      id: deploymentId(svc, refresh && i === 0 ? refresh.instanceRefreshId : String(v)),
      status: i === 0 ? 'PRIMARY' : 'ACTIVE', taskDefinition: arns.taskDefinition(svc.taskDefinition.family, v),
      desiredCount: i === 0 ? (s?.desiredCapacity ?? svc.desiredCount) : 0,
      runningCount: mine.filter((x) => x.lifecycleState === 'InService' && x.healthStatus === 'Healthy').length,
      pendingCount: mine.filter((x) => x.lifecycleState.startsWith('Pending')).length,
      failedTasks: failed, launchType: svc.launchType,
      createdAt: iso(refresh && i === 0 ? refresh.startTime : mine.length > 0 ? Math.min(...mine.map((x) => x.launchedAt)) : createdAt),
      updatedAt: iso(refresh?.endTime ?? refresh?.startTime ?? createdAt),
      rolloutState: rollout, rolloutStateReason: i === 0 ? rolloutReason(rollout, r ?? last) : 'ECS deployment completed.',
    };
  });
}

function rolloutReason(state: string, r: InstanceRefresh | undefined): string {
  if (state === 'IN_PROGRESS') return `ECS deployment in progress: ${r?.statusReason ?? ''}`.trim();
  if (state === 'FAILED') return `ECS deployment circuit breaker: ${r?.rollbackReason ?? r?.statusReason ?? 'the deployment failed'}.`;
  return 'ECS deployment completed.';
}

/** The group's activities in ECS's event sentences, newest first. */
function events(svc: Service, activities: Activity[]): Obj[] {
  const who = `(service ${svc.name})`;
  const out: Obj[] = [];
  for (const a of activities) {
    const launched = /^Launching a new EC2 instance: (i-[0-9a-f]+)/.exec(a.Description);
    const stopped = /^Terminating EC2 instance: (i-[0-9a-f]+)/.exec(a.Description);
    const refresh = /^Instance refresh \S+: (\w+)/.exec(a.Description);
    let message: string | undefined;
    if (launched && a.StatusCode !== 'Failed') message = `${who} has started 1 tasks: (task ${taskId(launched[1]!)}).`;
    else if (a.StatusCode === 'Failed' && a.Description.startsWith('Launching')) message = `${who} was unable to place a task. Reason: ${a.StatusMessage ?? a.Description}.`;
    else if (stopped) message = `${who} has stopped 1 running tasks: (task ${taskId(stopped[1]!)}). Reason: ${a.Cause.replace(/^At \S+ /, '')}`;
    else if (refresh) {
      const status = refresh[1]!;
      message = status === 'started' ? `${who} started a deployment: ${a.Cause.replace(/^At \S+ /, '')}`
        : status === 'Successful' ? `${who} deployment completed.`
          : status === 'RollbackInProgress' ? `${who} deployment failed: ${a.Cause.replace(/^.*?: /, '')} Rolling back to the previous task definition.`
            : status === 'RollbackSuccessful' ? `${who} rolled back to the previous task definition; deployment completed.`
              : `${who} deployment ${status}: ${a.Cause.replace(/^.*?: /, '')}`;
    }
    if (message) out.push({ id: a.ActivityId, createdAt: a.StartTime, message });
  }
  return out.slice(0, 100);
}

/** DescribeTasks' Task. */
export function describeTask(arns: EcsArns, svc: Service, family: TaskDefinition | undefined, obs: InstanceObservation, rec: InstanceRecord | undefined): Obj {
  const rev = Number(obs.templateVersion) || svc.taskDefinition.revision;
  const c = family?.revisions[rev - 1]?.containerDefinitions[0];
  // A task its group no longer has was terminated, even when the provider's last observation predates the end.
  const ended = obs.state === 'stopped' || obs.state === 'terminated' || rec === undefined;
  const stopping = obs.state === 'stopping' || rec?.terminating !== undefined;
  const last = ended ? 'STOPPED' : stopping ? 'DEACTIVATING' : obs.state === 'pending' ? 'PENDING' : 'RUNNING';
  const health = rec?.healthStatus === 'Unhealthy' || obs.impairedReason ? 'UNHEALTHY' : rec?.proven ? 'HEALTHY' : 'UNKNOWN';
  const id = taskId(obs.instanceId);
  const mapping = c?.portMappings[0];
  return {
    taskArn: arns.task(svc.cluster, id), clusterArn: arns.cluster(svc.cluster), taskDefinitionArn: arns.taskDefinition(svc.taskDefinition.family, rev),
    group: `service:${svc.name}`, startedBy: 'ecs-svc', lastStatus: last, desiredStatus: ended || stopping ? 'STOPPED' : 'RUNNING',
    healthStatus: health, availabilityZone: obs.availabilityZone, launchType: svc.launchType, connectivity: 'CONNECTED',
    createdAt: iso(obs.launchedAt), startedAt: iso(obs.launchedAt),
    ...(ended && obs.endedAt !== undefined ? { stoppedAt: iso(obs.endedAt), stoppingAt: iso(obs.endedAt) } : {}),
    ...(ended ? { stoppedReason: obs.impairedReason ?? 'Task stopped by the service' } : {}),
    ...(rec?.terminating ? { stopCode: 'ServiceSchedulerInitiated', stoppedReason: rec.terminating.cause } : {}),
    cpu: c?.cpu !== undefined ? String(c.cpu) : undefined, memory: c?.memory !== undefined ? String(c.memory) : undefined,
    containers: c ? [{
      containerArn: `${arns.task(svc.cluster, id)}/${c.name}`, taskArn: arns.task(svc.cluster, id), name: c.name, image: c.image,
      lastStatus: last, healthStatus: health,
      networkBindings: mapping ? [{ bindIP: obs.host, containerPort: mapping.containerPort, hostPort: obs.port, protocol: mapping.protocol }] : [],
      ...(obs.impairedReason ? { reason: obs.impairedReason } : {}),
    }] : [],
    tags: [],
  };
}

/** A service's tasks (the runtime's observations are its instances'), with their group records. */
export function serviceTasks(rt: ServiceRuntime): Array<{ obs: InstanceObservation; rec: InstanceRecord | undefined }> {
  return rt.observed.map((obs) => ({ obs, rec: rt.state?.instances.find((x) => x.instanceId === obs.instanceId) }));
}

export function describeCluster(arns: EcsArns, c: Cluster, services: readonly Service[], running: number, pending: number): Obj {
  return {
    clusterArn: arns.cluster(c.name), clusterName: c.name, status: 'ACTIVE',
    registeredContainerInstancesCount: c.availabilityZones.length, runningTasksCount: running, pendingTasksCount: pending,
    activeServicesCount: services.filter((s) => s.cluster === c.name).length,
    tags: Object.entries(c.tags).map(([key, value]) => ({ key, value })),
  };
}

