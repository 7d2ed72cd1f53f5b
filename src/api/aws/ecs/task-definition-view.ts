/** A task definition revision as ECS's DescribeTaskDefinition / RegisterTaskDefinition answer it. */
import type { EcsArns } from '../../../controlplane/ecs/view.js';
import type { TaskDefinition } from '../../../model/ecs.js';

type Obj = Record<string, unknown>;

export function describeTaskDefinition(arns: EcsArns, t: TaskDefinition, revision: number, registeredAt: number | undefined): Obj {
  const r = t.revisions[revision - 1]!;
  const compat = new Set(['EC2', ...r.requiresCompatibilities]);
  return {
    taskDefinitionArn: arns.taskDefinition(t.family, revision), family: t.family, revision, status: r.status,
    containerDefinitions: r.containerDefinitions.map((c) => ({
      ...c,
      environment: c.environment.map((e) => ({ ...e })),
      portMappings: c.portMappings.map((p) => ({ ...p })),
      volumesFrom: [], mountPoints: [],
    })),
    networkMode: r.networkMode, requiresCompatibilities: r.requiresCompatibilities, compatibilities: [...compat],
    ...(r.cpu !== undefined ? { cpu: String(r.cpu) } : {}),
    ...(r.memory !== undefined ? { memory: String(r.memory) } : {}),
    volumes: [], placementConstraints: [], requiresAttributes: [],
    ...(registeredAt !== undefined ? { registeredAt: new Date(registeredAt) } : {}),
  };
}
