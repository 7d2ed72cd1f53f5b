/**
 * The ECS part of shoal's JSON API (under /_shoal/ecs/), for the CLI: clusters,
 * task definitions, services with their deployments and events, tasks, and
 * StopTask. Answers are ECS's own shapes (camelCase), as DescribeServices and
 * DescribeTasks give them.
 */
import { ShoalError } from '../core/errors.js';
import type { EcsService } from '../controlplane/ecs/service.js';
import { REGION } from '../model/ids.js';

export interface EcsBackend {
  ecs: EcsService;
}

type Handler = (b: EcsBackend, params: string[], body: unknown) => unknown;

function service(b: EcsBackend, name: string): Record<string, unknown> {
  const s = b.ecs.describeServices(REGION, [name])[0];
  if (!s) throw new ShoalError('ServiceNotFoundException', `Service not found: ${name}`, 400);
  return s;
}

export const ecsRoutes: { method: string; pattern: RegExp; handler: Handler }[] = [
  { method: 'GET', pattern: /^\/_shoal\/ecs\/clusters$/, handler: (b) => ({ clusters: b.ecs.describeClusters(REGION) }) },
  {
    method: 'GET',
    pattern: /^\/_shoal\/ecs\/task-definitions$/,
    handler: (b) => ({
      taskDefinitions: b.ecs.taskDefinitions().flatMap((t) => t.revisions.map((r, i) => ({ family: t.family, revision: i + 1, status: r.status, networkMode: r.networkMode, containerDefinitions: r.containerDefinitions }))),
    }),
  },
  { method: 'GET', pattern: /^\/_shoal\/ecs\/services$/, handler: (b) => ({ services: b.ecs.describeServices(REGION) }) },
  { method: 'GET', pattern: /^\/_shoal\/ecs\/services\/([^/]+)$/, handler: (b, [name]) => service(b, name!) },
  {
    method: 'GET',
    pattern: /^\/_shoal\/ecs\/services\/([^/]+)\/tasks$/,
    handler: (b, [name]) => {
      service(b, name!);
      return { tasks: b.ecs.describeTasks(REGION, (s) => s.name === name) };
    },
  },
  { method: 'GET', pattern: /^\/_shoal\/ecs\/tasks$/, handler: (b) => ({ tasks: b.ecs.describeTasks(REGION) }) },
  {
    method: 'POST',
    pattern: /^\/_shoal\/ecs\/tasks\/([^/]+)\/stop$/,
    handler: (b, [id], body) => {
      const reason = (body as { reason?: unknown } | undefined)?.reason;
      b.ecs.stopTask(id!, typeof reason === 'string' ? reason : 'Task stopped by the user (shoal stop-task)');
      return { task: b.ecs.describeTasks(REGION).find((t) => String(t.taskArn).endsWith(`/${id}`)) };
    },
  },
];
