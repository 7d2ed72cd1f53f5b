/**
 * CreateService and UpdateService input as the config's `services[]` record
 * (config/schema-ecs.ts), which the model then checks as it checks the file:
 * the task definition resolved to family:revision (a bare family is its
 * latest ACTIVE revision, pinned now, as ECS pins it), load balancers'
 * targetGroupArn to the target group's name. Members with no meaning here:
 * networkConfiguration, platformVersion, role, clientToken, propagateTags,
 * enableECSManagedTags, enableExecuteCommand and forceNewDeployment are
 * dropped (tasks take their zone's Docker network; a deployment happens when
 * the revision changes); the rest answer ClientException unless empty.
 */
import { invalidParameter } from './errors.js';
import { refuseOthers } from './ignored.js';
import type { EcsRefs } from './refs.js';
import { tagsIn } from './tags.js';

type Obj = Record<string, unknown>;

const DROPPED = ['networkConfiguration', 'platformVersion', 'role', 'clientToken', 'propagateTags', 'enableECSManagedTags', 'enableExecuteCommand', 'forceNewDeployment'];
const SPEC = ['taskDefinition', 'loadBalancers', 'desiredCount', 'deploymentConfiguration', 'placementStrategy', 'healthCheckGracePeriodSeconds'];
const CREATE = new Set([...DROPPED, ...SPEC, 'cluster', 'serviceName', 'launchType', 'schedulingStrategy', 'deploymentController', 'tags']);
const UPDATE = new Set([...DROPPED, ...SPEC, 'cluster', 'service']);
const DEPLOYMENT = new Set(['minimumHealthyPercent', 'maximumPercent', 'deploymentCircuitBreaker']);

/** family:revision of a revision that exists and is ACTIVE (ECS starts no deployment of an INACTIVE one). */
function taskDefinition(r: EcsRefs, ref: string): string {
  const { family, revision } = r.revision(ref, 'TaskDefinition not found.');
  if (family.revisions[revision - 1]!.status !== 'ACTIVE') throw invalidParameter(`TaskDefinition is inactive: ${family.family}:${revision}. Register a new revision, or name an ACTIVE one.`);
  return `${family.family}:${revision}`;
}

function loadBalancers(r: EcsRefs, list: Obj[]): Obj[] {
  return list.map((lb, i) => {
    if (lb.loadBalancerName !== undefined) throw invalidParameter(`loadBalancers[${i}]: shoal has no Classic Load Balancers; name a target group in targetGroupArn.`);
    if (typeof lb.targetGroupArn !== 'string') throw invalidParameter(`loadBalancers[${i}]: targetGroupArn is required.`);
    return { targetGroup: r.targetGroupName(lb.targetGroupArn), containerName: lb.containerName, containerPort: lb.containerPort };
  });
}

function deployment(given: Obj, now: Obj = {}): Obj {
  refuseOthers(given, DEPLOYMENT, 'deploymentConfiguration');
  const out: Obj = { ...now };
  for (const k of DEPLOYMENT) if (given[k] !== undefined) out[k] = given[k];
  return out;
}

/** The members both CreateService and UpdateService set, onto `raw`. */
function applySpec(r: EcsRefs, input: Obj, raw: Obj): Obj {
  const out = { ...raw };
  if (input.taskDefinition !== undefined) out.taskDefinition = taskDefinition(r, input.taskDefinition as string);
  if (input.loadBalancers !== undefined) out.loadBalancers = loadBalancers(r, input.loadBalancers as Obj[]);
  if (input.desiredCount !== undefined) out.desiredCount = input.desiredCount;
  if (input.deploymentConfiguration !== undefined) out.deploymentConfiguration = deployment(input.deploymentConfiguration as Obj, raw.deploymentConfiguration as Obj | undefined);
  if (input.placementStrategy !== undefined) out.placementStrategy = (input.placementStrategy as Obj[]).map((p) => ({ type: p.type, ...(p.field !== undefined ? { field: p.field } : {}) }));
  if (input.healthCheckGracePeriodSeconds !== undefined) out.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds;
  return out;
}

export function createRecord(r: EcsRefs, input: Obj, cluster: string): Obj {
  refuseOthers(input, CREATE, 'CreateService');
  if (input.taskDefinition === undefined) throw invalidParameter('taskDefinition is required (shoal runs every service with the ECS deployment controller).');
  const controller = (input.deploymentController as Obj | undefined)?.type;
  if (controller !== undefined && controller !== 'ECS') throw invalidParameter(`deploymentController ${String(controller)} is not supported: shoal deploys with the rolling ECS controller.`);
  const raw: Obj = { name: input.serviceName, cluster };
  if (input.launchType !== undefined) raw.launchType = input.launchType;
  if (input.schedulingStrategy !== undefined) raw.schedulingStrategy = input.schedulingStrategy;
  if (input.tags !== undefined) raw.tags = tagsIn(input.tags as Array<{ key?: string; value?: string }>);
  return applySpec(r, input, raw);
}

export function updateRecord(r: EcsRefs, input: Obj, raw: Obj): Obj {
  refuseOthers(input, UPDATE, 'UpdateService');
  return applySpec(r, input, raw);
}
