/**
 * Instance refresh and warm pool routes of shoal's JSON API (under /_shoal/),
 * beside asg-routes.ts: AWS's request fields in camelCase, AWS's answers.
 */
import { ShoalError, validationError } from '../core/errors.js';
import type { AutoScalingService } from '../controlplane/asg/service.js';
import { cancelInstanceRefresh, describeInstanceRefreshes, rollbackInstanceRefresh, startInstanceRefresh, type StartRefreshInput } from '../controlplane/asg/refresh/ops.js';
import { deleteWarmPool, describeWarmPool, putWarmPool } from '../controlplane/asg/warm-pool/ops.js';
import type { WarmPoolSpec } from '../controlplane/asg/warm-pool/types.js';
import type { AsgBackend, AsgRoute } from './asg-routes.js';

type Body = Record<string, unknown>;
const obj = (v: unknown): Body => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Body) : {});
const group = (path: string): RegExp => new RegExp(`^/_shoal/auto-scaling-groups/([^/]+)${path}$`);
function svc(b: AsgBackend): AutoScalingService {
  if (!b.autoScalingService) throw new ShoalError('ValidationError', 'This daemon runs no Auto Scaling: its config declares no launch templates or Auto Scaling groups.');
  return b.autoScalingService;
}

/** Keeps only the keys given (undefined dropped), checking each one's type. */
function pick<T>(body: Body, keys: Record<string, 'number' | 'boolean' | 'string' | 'numbers' | 'strings'>): Partial<T> {
  const out: Body = {};
  for (const [k, type] of Object.entries(keys)) {
    const v = body[k];
    if (v === undefined || v === null) continue;
    const ok = type === 'numbers' ? Array.isArray(v) && v.every((x) => typeof x === 'number')
      : type === 'strings' ? Array.isArray(v) && v.every((x) => typeof x === 'string') : typeof v === type;
    if (!ok) throw validationError(`${k} must be ${type === 'numbers' ? 'a list of numbers' : type === 'strings' ? 'a list of names' : `a ${type}`}`);
    out[k] = v;
  }
  return out as Partial<T>;
}

export function refreshInput(body: unknown): StartRefreshInput {
  const b = obj(body);
  const p = obj(b.preferences);
  const preferences = pick<NonNullable<StartRefreshInput['preferences']>>(p, {
    minHealthyPercentage: 'number', maxHealthyPercentage: 'number', instanceWarmup: 'number', checkpointPercentages: 'numbers',
    checkpointDelay: 'number', skipMatching: 'boolean', autoRollback: 'boolean',
  });
  const alarms = obj(p.alarmSpecification).alarms;
  if (alarms !== undefined) Object.assign(preferences, pick(obj(p.alarmSpecification), { alarms: 'strings' }));
  const lt = obj(obj(b.desiredConfiguration).launchTemplate);
  const version = lt.version;
  if (version !== undefined && typeof version !== 'string' && typeof version !== 'number') throw validationError('desiredConfiguration.launchTemplate.version must be $Latest, $Default or a number');
  const name = typeof lt.launchTemplateName === 'string' ? lt.launchTemplateName : undefined;
  return {
    preferences,
    ...(version !== undefined || name !== undefined ? { desiredConfiguration: { version: version ?? '$Default', ...(name ? { name } : {}) } } : {}),
  };
}

export const refreshRoutes: AsgRoute[] = [
  {
    method: 'POST', pattern: group('/instance-refreshes'),
    handler: (b, [n], body) => ({ InstanceRefreshId: startInstanceRefresh(svc(b), n!, refreshInput(body)).instanceRefreshId }),
  },
  { method: 'GET', pattern: group('/instance-refreshes'), handler: (b, [n]) => ({ InstanceRefreshes: describeInstanceRefreshes(svc(b), n!) }) },
  { method: 'POST', pattern: group('/instance-refreshes/cancel'), handler: (b, [n]) => ({ InstanceRefreshId: cancelInstanceRefresh(svc(b), n!) }) },
  { method: 'POST', pattern: group('/instance-refreshes/rollback'), handler: (b, [n]) => ({ InstanceRefreshId: rollbackInstanceRefresh(svc(b), n!) }) },
  {
    method: 'POST', pattern: group('/warm-pool'),
    handler: (b, [n], body) => {
      const o = obj(body);
      const spec = pick<WarmPoolSpec>(o, { minSize: 'number', maxGroupPreparedCapacity: 'number', poolState: 'string' });
      const reuse = obj(o.instanceReusePolicy).reuseOnScaleIn;
      if (reuse !== undefined) spec.instanceReusePolicy = { reuseOnScaleIn: reuse === true };
      putWarmPool(svc(b), n!, spec);
      return {};
    },
  },
  { method: 'GET', pattern: group('/warm-pool'), handler: (b, [n]) => describeWarmPool(svc(b), n!) },
  { method: 'POST', pattern: group('/warm-pool/delete'), handler: (b, [n]) => (deleteWarmPool(svc(b), n!), {}) },
];
