/**
 * Enabling or disabling a scaling policy from shoal's JSON API (the console's
 * toggle): the same model write as the AWS API's PutScalingPolicy with
 * Enabled, so a group declared in the config file answers
 * ResourceOwnedByFile naming the file and line to change instead.
 */
import { ShoalError, validationError } from '../core/errors.js';
import type { ModelService } from '../resources/model.js';

export interface PolicyBackend {
  readonly model: Pick<ModelService, 'create' | 'update'>;
}

type Raw = Record<string, unknown>;
type Route = { method: string; pattern: RegExp; handler: (b: PolicyBackend, params: string[], body: unknown) => unknown };

export const policyRoutes: Route[] = [
  {
    method: 'POST', pattern: /^\/_shoal\/auto-scaling-groups\/([^/]+)\/policies\/([^/]+)\/enabled$/,
    handler: async (b, [group, policy], body) => {
      const enabled = (body as { enabled?: unknown } | undefined)?.enabled;
      if (typeof enabled !== 'boolean') throw validationError('body must be {"enabled": true|false}');
      try {
        await b.model.update('autoScalingGroups', group!, (r) => {
          const list = (r.scalingPolicies as Raw[] | undefined) ?? [];
          if (!list.some((p) => p.name === policy)) throw validationError(`The scaling policy '${policy}' does not exist in Auto Scaling group '${group}'.`);
          return { ...r, scalingPolicies: list.map((p) => (p.name === policy ? { ...p, enabled } : p)) };
        });
      } catch (err) {
        if (err instanceof ShoalError && err.code === 'NotFound') throw validationError(`AutoScalingGroup name not found - AutoScalingGroup ${group} not found`);
        throw err;
      }
      return {};
    },
  },
];
