/**
 * The ECS commands of `shoal` (through the daemon's JSON API, /_shoal/ecs/):
 * clusters, task definitions, services with their deployments and events,
 * tasks, stop-task. The text forms are formatted here (pure, tested); --output
 * json prints ECS's own shapes.
 */
import type { Command } from 'commander';
import { asJson, callApi, endpointOptions, resolveEndpoint, type EndpointOptions } from './client.js';
import { formatTable } from './table.js';

type Obj = Record<string, unknown>;
const arnTail = (arn: unknown) => String(arn ?? '').replace(/^.*?\//, '');
const taskDef = (arn: unknown) => String(arn ?? '').replace(/^.*task-definition\//, '');

export function servicesTable(services: Obj[]): string {
  if (services.length === 0) return 'no services';
  return formatTable(['SERVICE', 'CLUSTER', 'TASK DEFINITION', 'DESIRED', 'RUNNING', 'PENDING', 'ROLLOUT'], services.map((s) => {
    const primary = (s.deployments as Obj[] | undefined)?.[0];
    return [String(s.serviceName), arnTail(s.clusterArn), taskDef(s.taskDefinition), String(s.desiredCount), String(s.runningCount), String(s.pendingCount), String(primary?.rolloutState ?? '-')];
  }));
}

export function tasksTable(tasks: Obj[]): string {
  if (tasks.length === 0) return 'no tasks';
  return formatTable(['TASK', 'SERVICE', 'TASK DEFINITION', 'ZONE', 'ADDRESS', 'STATUS', 'HEALTH', 'STOPPED REASON'], tasks.map((t) => {
    const b = ((t.containers as Obj[] | undefined)?.[0]?.networkBindings as Obj[] | undefined)?.[0];
    return [arnTail(arnTail(t.taskArn)), String(t.group).replace(/^service:/, ''), taskDef(t.taskDefinitionArn), String(t.availabilityZone),
      b ? `${String(b.bindIP)}:${String(b.hostPort)}` : '-', String(t.lastStatus), String(t.healthStatus), String(t.stoppedReason ?? '')];
  }));
}

export function serviceText(s: Obj, tasks: Obj[]): string {
  const deployments = (s.deployments as Obj[]).map((d) =>
    `  ${String(d.status).padEnd(7)} ${taskDef(d.taskDefinition)}  desired ${String(d.desiredCount)}  running ${String(d.runningCount)}  pending ${String(d.pendingCount)}  ${String(d.rolloutState)}: ${String(d.rolloutStateReason)}`);
  const events = (s.events as Obj[]).slice(0, 10).map((e) => `  ${String(e.createdAt)}  ${String(e.message)}`);
  return [
    `${String(s.serviceName)} (cluster ${arnTail(s.clusterArn)}): ${taskDef(s.taskDefinition)}, desired ${String(s.desiredCount)}, running ${String(s.runningCount)}, pending ${String(s.pendingCount)}`,
    'deployments:', ...deployments,
    'tasks:', ...tasksTable(tasks).split('\n').map((l) => `  ${l}`),
    'events (newest first):', ...(events.length > 0 ? events : ['  none']),
  ].join('\n');
}

export function registerEcsCommands(program: Command): void {
  const cmd = (spec: string, description: string): Command => endpointOptions(program.command(spec).description(description));
  const get = <T>(o: EndpointOptions, path: string) => callApi<T>(resolveEndpoint(o), 'GET', path);
  const print = (o: EndpointOptions, json: unknown, text: () => string) => console.log(asJson(o) ? JSON.stringify(json, null, 2) : text());

  cmd('clusters', 'ECS-style clusters: their zones, services and tasks').action(async (o: EndpointOptions) => {
    const r = await get<{ clusters: Obj[] }>(o, '/_shoal/ecs/clusters');
    print(o, r.clusters, () => r.clusters.length === 0 ? 'no clusters' : formatTable(['CLUSTER', 'ZONES', 'SERVICES', 'RUNNING', 'PENDING'],
      r.clusters.map((c) => [String(c.clusterName), String(c.registeredContainerInstancesCount), String(c.activeServicesCount), String(c.runningTasksCount), String(c.pendingTasksCount)])));
  });

  cmd('task-definitions', 'task definition families and their revisions').action(async (o: EndpointOptions) => {
    const r = await get<{ taskDefinitions: Obj[] }>(o, '/_shoal/ecs/task-definitions');
    print(o, r.taskDefinitions, () => r.taskDefinitions.length === 0 ? 'no task definitions' : formatTable(['TASK DEFINITION', 'STATUS', 'NETWORK', 'IMAGE'],
      r.taskDefinitions.map((t) => [`${String(t.family)}:${String(t.revision)}`, String(t.status), String(t.networkMode), String((t.containerDefinitions as Obj[])[0]?.image)])));
  });

  cmd('services [service]', 'ECS-style services; with a name: its deployments, tasks and events').action(async (name: string | undefined, o: EndpointOptions) => {
    if (name === undefined) {
      const r = await get<{ services: Obj[] }>(o, '/_shoal/ecs/services');
      return print(o, r.services, () => servicesTable(r.services));
    }
    const s = await get<Obj>(o, `/_shoal/ecs/services/${encodeURIComponent(name)}`);
    const t = await get<{ tasks: Obj[] }>(o, `/_shoal/ecs/services/${encodeURIComponent(name)}/tasks`);
    print(o, { service: s, tasks: t.tasks }, () => serviceText(s, t.tasks));
  });

  cmd('tasks [service]', "tasks (a service's, or all), running and stopped within the hour").action(async (name: string | undefined, o: EndpointOptions) => {
    const r = await get<{ tasks: Obj[] }>(o, name ? `/_shoal/ecs/services/${encodeURIComponent(name)}/tasks` : '/_shoal/ecs/tasks');
    print(o, r.tasks, () => tasksTable(r.tasks));
  });

  cmd('stop-task <task>', 'stop a task (its service starts a replacement)').option('--reason <text>', 'recorded as the stopped reason')
    .action(async (id: string, o: EndpointOptions & { reason?: string }) => {
      const task = id.replace(/^.*\//, '');
      await callApi(resolveEndpoint(o), 'POST', `/_shoal/ecs/tasks/${encodeURIComponent(task)}/stop`, o.reason ? { reason: o.reason } : {});
      console.log(`task ${task}: stopping`);
    });
}
