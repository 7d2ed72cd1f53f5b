/**
 * `clusters:`, `taskDefinitions:` and `services:` as the config file declares
 * them (model/ecs.ts): ECS's field names and ranges (RegisterTaskDefinition,
 * CreateService, Application Auto Scaling's target tracking).
 */
import { z } from 'zod';
import { asScalarText, bool, checked, elbName, intIn, list, oneOf, str, strictObject } from './schema-common.js';

/** Cluster, family, service and container names: ECS's rule. */
const ECS_NAME_RULE = 'must be 1 to 255 characters: letters, digits, hyphens and underscores';
const ecsNameText = (v: unknown): string | undefined => (typeof v === 'string' && /^[A-Za-z0-9_-]{1,255}$/.test(v) ? v : undefined);
const ecsName = checked(ECS_NAME_RULE, ecsNameText);

/** An image as `docker run` takes it; shoal's `docker:` prefix is optional here. */
const image = checked('must be a container image reference such as repo/name:tag', (v) =>
  typeof v === 'string' && /^(?:docker:)?[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/.test(v) ? v.replace(/^docker:/, '') : undefined);

const words = (what: string) => list(str({ what }), { noun: `${what}s` });

const keyValue = strictObject({
  name: checked('must be an environment variable name (letters, digits and "_", not starting with a digit)', (v) =>
    typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? v : undefined),
  value: checked('must be text', asScalarText),
});

const portMapping = strictObject({
  containerPort: intIn(1, 65535),
  hostPort: intIn(0, 65535).optional(),
  protocol: oneOf(['tcp', 'udp']).default('tcp'),
  name: str({ max: 64 }).optional(),
  appProtocol: oneOf(['http', 'http2', 'grpc']).optional(),
});

const healthCheck = strictObject({
  command: list(str(), { min: 1, noun: 'words (["CMD-SHELL", "command"] or ["CMD", "prog", ...])' }),
  interval: intIn(5, 300).default(30),
  timeout: intIn(2, 60).default(5),
  retries: intIn(1, 10).default(3),
  startPeriod: intIn(0, 300).default(0),
}).superRefine((h, ctx) => {
  const first = Array.isArray(h.command) ? h.command[0] : undefined;
  if (typeof first === 'string' && first !== 'CMD' && first !== 'CMD-SHELL' && first !== 'NONE') {
    ctx.addIssue({ code: 'custom', path: ['command', 0], message: `must start with "CMD-SHELL" (one shell command follows) or "CMD" (a program and its arguments follow) (got "${first}")` });
  }
});

const labels = z.record(checked('must be text', asScalarText), { errorMap: () => ({ message: 'must be a map of labels (key: value)' }) });

const containerDefinition = strictObject({
  name: ecsName,
  image,
  cpu: intIn(0, 10240).optional(),
  memory: intIn(6, 1048576).optional(),
  memoryReservation: intIn(6, 1048576).optional(),
  essential: bool().default(true),
  command: words('argument').optional(),
  entryPoint: words('argument').optional(),
  environment: list(keyValue, { noun: 'environment variables ({ name, value })' }).default([]),
  portMappings: list(portMapping, { noun: 'port mappings' }).default([]),
  healthCheck: healthCheck.optional(),
  dockerLabels: labels.default({}),
  stopTimeout: intIn(2, 120).default(30),
});

/**
 * Task cpu and memory: ECS takes them as strings ("256", "1 vCPU", "0.5 GB");
 * YAML users write numbers. A plain number is the base unit (CPU units, MiB);
 * `unit` is the larger one, worth 1024 of them.
 */
function taskAmount(message: string, unit: RegExp, min: number, max: number) {
  return checked(message, (v) => {
    const s = asScalarText(v)?.trim();
    if (s === undefined) return undefined;
    const m = unit.exec(s);
    const n = m ? Number(m[1]) * 1024 : /^\d+$/.test(s) ? Number(s) : NaN;
    return Number.isFinite(n) && n >= min && n <= max ? Math.round(n) : undefined;
  });
}
const taskCpu = taskAmount('must be CPU units (256, 512, 1024, ...) or vCPUs ("1 vCPU")', /^(\d+(?:\.\d+)?)\s*vcpu$/i, 128, 196608);
const taskMemory = taskAmount('must be MiB (512, 1024, ...) or GB ("2 GB")', /^(\d+(?:\.\d+)?)\s*gb$/i, 6, 1048576);

const taskDefinitionRevisionSchema = strictObject({
  containerDefinitions: list(containerDefinition, { min: 1, max: 1, noun: 'container definitions', one: 'container definition (one container per task here; docs/containers.md)' }),
  networkMode: oneOf(['bridge', 'host', 'awsvpc']).default('bridge'),
  cpu: taskCpu.optional(),
  memory: taskMemory.optional(),
  requiresCompatibilities: list(oneOf(['EC2', 'FARGATE', 'EXTERNAL']), { noun: 'compatibilities' }).default([]),
  status: oneOf(['ACTIVE', 'INACTIVE']).default('ACTIVE'),
}).superRefine((r, ctx) => {
  if (!Array.isArray(r.containerDefinitions)) return;
  r.containerDefinitions.forEach((c, i) => {
    if (!c || !Array.isArray(c.portMappings)) return;
    c.portMappings.forEach((p, j) => {
      if (!p || typeof p.hostPort !== 'number' || p.hostPort === 0) return;
      if (r.networkMode !== 'bridge' && p.hostPort !== p.containerPort) {
        ctx.addIssue({ code: 'custom', path: ['containerDefinitions', i, 'portMappings', j, 'hostPort'], message: `must equal containerPort (${p.containerPort}) in ${r.networkMode} network mode, or be left out (got ${p.hostPort})` });
      }
    });
  });
});

export const taskDefinitionSchema = strictObject({
  family: ecsName,
  revisions: list(taskDefinitionRevisionSchema, { min: 1, noun: 'revisions' }),
});

export const clusterSchema = strictObject({
  name: ecsName,
  availabilityZones: list(str({ max: 255 }), { min: 1, noun: 'zones' }).optional(),
  tags: z.record(checked('must be text', asScalarText)).default({}),
});

/** family, or family:revision. */
const TASK_DEFINITION_RULE = 'must be a task definition family, or family:revision (web or web:3)';
export function parseTaskDefinitionRef(v: unknown): { family: string; revision?: number } | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^([A-Za-z0-9_-]{1,255})(?::(\d+))?$/.exec(v);
  if (!m) return undefined;
  return m[2] === undefined ? { family: m[1]! } : Number(m[2]) >= 1 ? { family: m[1]!, revision: Number(m[2]) } : undefined;
}

const targetTracking = strictObject({
  policyName: str({ max: 256 }),
  predefinedMetricType: oneOf(['ECSServiceAverageCPUUtilization', 'ALBRequestCountPerTarget']),
  targetValue: checked('must be a number greater than 0', (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined)),
  scaleInCooldown: intIn(0, 86400).default(300),
  scaleOutCooldown: intIn(0, 86400).default(300),
  disableScaleIn: bool().default(false),
});

const autoScaling = strictObject({
  minCapacity: intIn(0, 10000),
  maxCapacity: intIn(0, 10000),
  targetTrackingPolicies: list(targetTracking, { noun: 'target tracking policies' }).default([]),
}).superRefine((a, ctx) => {
  if (typeof a.minCapacity === 'number' && typeof a.maxCapacity === 'number' && a.minCapacity > a.maxCapacity) {
    ctx.addIssue({ code: 'custom', path: ['minCapacity'], message: `must not be greater than maxCapacity (minCapacity ${a.minCapacity}, maxCapacity ${a.maxCapacity})` });
  }
});

const placementStrategy = strictObject({
  type: oneOf(['spread']),
  field: oneOf(['attribute:ecs.availability-zone']).default('attribute:ecs.availability-zone'),
});

export const serviceSchema = strictObject({
  name: ecsName,
  cluster: ecsName.default('default'),
  taskDefinition: checked(TASK_DEFINITION_RULE, (v) => (parseTaskDefinitionRef(v) ? (v as string) : undefined)),
  desiredCount: intIn(0, 10000).default(1),
  launchType: oneOf(['EC2', 'FARGATE', 'EXTERNAL']).default('EC2'),
  schedulingStrategy: oneOf(['REPLICA']).default('REPLICA'),
  loadBalancers: list(strictObject({ targetGroup: elbName(), containerName: ecsName, containerPort: intIn(1, 65535) }), { max: 5, noun: 'load balancers' }).default([]),
  deploymentConfiguration: strictObject({
    minimumHealthyPercent: intIn(0, 100).default(100),
    maximumPercent: intIn(100, 200).default(200),
    deploymentCircuitBreaker: strictObject({ enable: bool(), rollback: bool() }).default({ enable: false, rollback: false }),
  }).default({}),
  healthCheckGracePeriodSeconds: intIn(0, 2147483647).default(0),
  placementStrategy: list(placementStrategy, { max: 5, noun: 'placement strategies' }).default([]),
  autoScaling: autoScaling.optional(),
  tags: z.record(checked('must be text', asScalarText)).default({}),
}).superRefine((s, ctx) => {
  const d = s.deploymentConfiguration;
  if (d && d.minimumHealthyPercent === 100 && d.maximumPercent === 100) {
    ctx.addIssue({ code: 'custom', path: ['deploymentConfiguration', 'maximumPercent'], message: 'must be above 100 when minimumHealthyPercent is 100, or a deployment could never replace a task' });
  }
  if (s.autoScaling && typeof s.desiredCount === 'number' && typeof s.autoScaling.minCapacity === 'number' && typeof s.autoScaling.maxCapacity === 'number'
    && (s.desiredCount < s.autoScaling.minCapacity || s.desiredCount > s.autoScaling.maxCapacity)) {
    ctx.addIssue({ code: 'custom', path: ['desiredCount'], message: `must be from autoScaling.minCapacity to maxCapacity: ${s.autoScaling.minCapacity} to ${s.autoScaling.maxCapacity} (got ${s.desiredCount})` });
  }
});

export type ClusterInput = z.output<typeof clusterSchema>;
export type TaskDefinitionInput = z.output<typeof taskDefinitionSchema>;
export type ServiceInput = z.output<typeof serviceSchema>;
