/**
 * ECS (API 2014-11-13, JSON 1.1) operations over the model's clusters, task
 * definitions and services and the tasks their internal groups run:
 * clusters (Create/Describe/List/Delete), task definitions (Register,
 * Describe, List, ListFamilies, Deregister), services (Create, Update,
 * Describe, List, Delete), tasks (List, Describe, Stop) and tags.
 * See docs/containers.md ("The ECS API").
 */
import type { Operations } from '../common/op.js';
import { clusterOps } from './clusters.js';
import type { EcsDeps } from './deps.js';
import { serviceOps } from './services.js';
import { tagOps } from './tags.js';
import { taskDefinitionOps } from './task-definitions.js';
import { taskOps } from './tasks.js';

export type { EcsDeps } from './deps.js';

export function operations(d: EcsDeps): Operations {
  return { ...clusterOps(d), ...taskDefinitionOps(d), ...serviceOps(d), ...taskOps(d), ...tagOps(d) };
}
