/**
 * From what ECS callers name (a name or an ARN) to the effective model and
 * back: clusters (a missing `cluster` is "default"), services, task
 * definitions (family, family:revision or ARN), tasks (id or ARN) and the
 * target groups a service's load balancers name (elbv2 ARN or name).
 */
import { ecsArns, type EcsArns } from '../../../controlplane/ecs/view.js';
import type { Cluster, Service, TaskDefinition } from '../../../model/ecs.js';
import { latestActive } from '../../../config/normalize-ecs.js';
import { parseTaskDefinitionRef } from '../../../config/schema-ecs.js';
import { parseArn, shortId, tgArn } from '../elbv2/arns.js';
import type { EcsDeps } from './deps.js';
import { clientError, clusterNotFound, invalidParameter, serviceNotFound } from './errors.js';

const ECS_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]*:\d*:([a-z-]+)\/(.+)$/;

/** The resource part of an ECS ARN of `kind` (cluster/NAME -> NAME), or the text itself when it is no ARN. */
export function arnResource(ref: string, kind: string): string {
  const m = ECS_ARN.exec(ref);
  if (m === null) return ref;
  if (m[1] !== kind) throw invalidParameter(`${ref} is not a ${kind} ARN.`);
  return m[2]!;
}

export const clusterName = (ref: string | undefined): string => (ref === undefined || ref === '' ? 'default' : arnResource(ref, 'cluster'));

/** service/CLUSTER/NAME (or the old service/NAME) -> NAME; a cluster named in the ARN must be `cluster`. */
export function serviceName(ref: string, cluster: string): string {
  const parts = arnResource(ref, 'service').split('/');
  if (parts.length === 2 && parts[0] !== cluster) throw invalidParameter(`The service ${ref} is not in the cluster ${cluster}.`);
  return parts[parts.length - 1]!;
}

/** task/CLUSTER/ID (or task/ID) -> ID. */
export const taskIdOf = (ref: string): string => arnResource(ref, 'task').replace(/^.*\//, '');

export function taskDefinitionRef(ref: string): { family: string; revision?: number } {
  const parsed = parseTaskDefinitionRef(arnResource(ref, 'task-definition'));
  if (!parsed) throw clientError(`Invalid task definition '${ref}': name a family, family:revision or a task definition ARN.`);
  return parsed;
}

export class EcsRefs {
  readonly arns: EcsArns;

  constructor(readonly d: EcsDeps, readonly region: string) {
    this.arns = ecsArns(region);
  }

  cluster(ref: string | undefined): Cluster {
    const name = clusterName(ref);
    const c = this.d.model.effective.clusters.find((x) => x.name === name);
    if (!c) throw clusterNotFound(name);
    return c;
  }

  /** CreateService's cluster: an existing one, or "default", which the config makes when a service first names it. */
  clusterForNewService(ref: string | undefined): string {
    const name = clusterName(ref);
    if (name !== 'default') this.cluster(name);
    return name;
  }

  services(cluster: string): Service[] {
    return this.d.model.effective.services.filter((s) => s.cluster === cluster);
  }

  service(cluster: string, ref: string): Service {
    const name = serviceName(ref, cluster);
    const s = this.services(cluster).find((x) => x.name === name);
    if (!s) throw serviceNotFound(name);
    return s;
  }

  family(name: string): TaskDefinition | undefined {
    return this.d.model.effective.taskDefinitions.find((t) => t.family === name);
  }

  /** A revision that exists: family alone is its latest ACTIVE one. `missing` begins ECS's ClientException message. */
  revision(ref: string, missing = 'Unable to describe task definition.'): { family: TaskDefinition; revision: number } {
    const r = taskDefinitionRef(ref);
    const family = this.family(r.family);
    const revision = r.revision ?? (family ? latestActive(family) : 0);
    if (!family || revision < 1 || revision > family.revisions.length) throw clientError(`${missing} ${ref}: no such family or ACTIVE revision; ListTaskDefinitions shows them.`);
    return { family, revision };
  }

  /** A target group's name from a load balancer's targetGroupArn (an elbv2 ARN, or a bare name). */
  targetGroupName(ref: string): string {
    if (!ref.startsWith('arn:')) return ref;
    const p = parseArn(ref);
    const rec = p?.kind === 'targetgroup' ? this.d.model.get('targetGroups', p.name) : undefined;
    if (p?.kind !== 'targetgroup' || !rec || shortId(rec.id) !== p.id) throw invalidParameter(`The target group ${ref} does not exist. DescribeTargetGroups (elbv2) lists them.`);
    return p.name;
  }

  targetGroupArn(name: string): string {
    const rec = this.d.model.get('targetGroups', name);
    return rec ? tgArn(this.region, name, shortId(rec.id)) : name;
  }
}
