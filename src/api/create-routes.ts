/**
 * Creating resources from shoal's JSON API (the console's "Create target
 * group" and "Create Auto Scaling group"): the same model writes as the AWS
 * API's CreateTargetGroup and CreateAutoScalingGroup, with the config file's
 * field names, so the config's validation (and its messages) applies, and
 * the resource is API-owned.
 *
 *   POST /_shoal/target-groups {name, protocol?, port, healthCheck?: {path?, intervalSeconds?, ...}}
 *   POST /_shoal/auto-scaling-groups {name, launchTemplate: {name, version?}, minSize, maxSize, availabilityZones, ...}
 *     (an Auto Scaling group as the file writes it)
 */
import { ShoalError, validationError } from '../core/errors.js';
import type { ModelService } from '../resources/model.js';

export interface CreateBackend {
  readonly model: Pick<ModelService, 'create' | 'update'>;
}

type Route = { method: string; pattern: RegExp; handler: (b: CreateBackend, params: string[], body: unknown) => unknown };
type Raw = Record<string, unknown>;

const HEALTH_KEYS = ['protocol', 'path', 'port', 'intervalSeconds', 'timeoutSeconds', 'healthyThresholdCount', 'unhealthyThresholdCount', 'matcher'];

/** The config file's shape of a new target group, from the request (unknown keys refused, as the file refuses them). */
export function targetGroupRaw(body: unknown): Raw {
  const o = body && typeof body === 'object' && !Array.isArray(body) ? (body as Raw) : {};
  const name = o.name;
  if (typeof name !== 'string' || name === '') throw validationError('name is required: 1 to 32 letters, digits and hyphens');
  if (typeof o.port !== 'number' || !Number.isInteger(o.port)) throw validationError('port must be a whole number (the targets\' default port)');
  const health = o.healthCheck && typeof o.healthCheck === 'object' ? (o.healthCheck as Raw) : {};
  const unknown = Object.keys(health).filter((k) => !HEALTH_KEYS.includes(k));
  if (unknown.length > 0) throw validationError(`healthCheck has no field ${unknown.join(', ')} (it takes ${HEALTH_KEYS.join(', ')})`);
  const healthCheck = Object.fromEntries(Object.entries(health).filter(([, v]) => v !== undefined && v !== ''));
  return { name, protocol: typeof o.protocol === 'string' ? o.protocol : 'HTTP', port: o.port, healthCheck, attributes: {} };
}

export const createRoutes: Route[] = [
  {
    method: 'POST', pattern: /^\/_shoal\/target-groups$/,
    handler: async (b, _p, body) => {
      const raw = targetGroupRaw(body);
      try {
        await b.model.create('targetGroups', raw);
      } catch (err) {
        if (err instanceof ShoalError && err.code === 'AlreadyExists') throw new ShoalError('DuplicateTargetGroupName', err.message, 400);
        throw err;
      }
      return { name: raw.name };
    },
  },
  {
    method: 'POST', pattern: /^\/_shoal\/auto-scaling-groups$/,
    handler: async (b, _p, body) => {
      const raw = autoScalingGroupRaw(body);
      await b.model.create('autoScalingGroups', raw);
      return { name: raw.name };
    },
  },
];

/** The request is the file's group as it stands; the config schema checks every field (and refuses unknown ones). */
export function autoScalingGroupRaw(body: unknown): Raw {
  const o = body && typeof body === 'object' && !Array.isArray(body) ? (body as Raw) : undefined;
  if (!o || typeof o.name !== 'string' || o.name === '') throw validationError('name is required: the Auto Scaling group\'s name');
  return o;
}
