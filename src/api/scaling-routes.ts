/**
 * Alarms and scaling in shoal's JSON API (under /_shoal/): DescribeAlarms,
 * DescribeAlarmHistory, SetAlarmState, DescribePolicies, ExecutePolicy,
 * DescribeScheduledActions and `explain`. Requests camelCase, answers AWS's
 * PascalCase (decisions are shoal's own shape).
 */
import { ShoalError, validationError } from '../core/errors.js';
import type { AutoScalingService } from '../controlplane/asg/service.js';
import { describePolicies, explain, explainUnscaled } from '../controlplane/scaling/explain.js';
import type { ScalingService } from '../controlplane/scaling/service.js';

export interface ScalingBackend {
  scalingService?: ScalingService | undefined;
  autoScalingService?: AutoScalingService | undefined;
}

function svc(b: ScalingBackend): ScalingService {
  if (!b.scalingService) throw new ShoalError('ValidationError', 'This daemon runs no alarms or scaling policies: its config declares none (alarms:, scalingPolicies:, scheduledActions:).');
  return b.scalingService;
}

type Body = Record<string, unknown>;
const obj = (body: unknown): Body => (body && typeof body === 'object' ? (body as Body) : {});
const optNum = (body: unknown, key: string): number | undefined => {
  const v = obj(body)[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw validationError(`${key} must be a number`);
  return v;
};
const group = (rest: string): RegExp => new RegExp(`^/_shoal/auto-scaling-groups/([^/]+)${rest}$`);
type Route = { method: string; pattern: RegExp; handler: (b: ScalingBackend, params: string[], body: unknown) => unknown };

export const scalingRoutes: Route[] = [
  { method: 'GET', pattern: /^\/_shoal\/alarms$/, handler: (b) => ({ MetricAlarms: b.scalingService?.alarms.describe() ?? [] }) },
  {
    method: 'GET', pattern: /^\/_shoal\/alarms\/([^/]+)\/history$/,
    handler: (b, [name]) => {
      if (!svc(b).alarms.definition(name!)) throw new ShoalError('ResourceNotFound', `Alarm ${name} does not exist`);
      return { AlarmHistoryItems: svc(b).alarms.alarmHistory(name!) };
    },
  },
  {
    method: 'POST', pattern: /^\/_shoal\/alarms\/([^/]+)\/state$/,
    handler: async (b, [name], body) => {
      const state = obj(body).stateValue;
      if (state !== 'OK' && state !== 'ALARM' && state !== 'INSUFFICIENT_DATA') throw validationError('stateValue must be OK, ALARM or INSUFFICIENT_DATA');
      const reason = typeof obj(body).stateReason === 'string' ? (obj(body).stateReason as string) : 'Set by a user request (set-alarm-state)';
      await svc(b).alarms.setAlarmState(name!, state, reason);
      return {};
    },
  },
  { method: 'GET', pattern: group('/policies'), handler: (b, [g]) => ({ ScalingPolicies: b.scalingService ? describePolicies(b.scalingService, g!) : explained(b, g!).policies }) },
  {
    method: 'POST', pattern: group('/policies/([^/]+)/execute'),
    handler: (b, [g, p], body) => {
      const o = obj(body);
      const metricValue = optNum(body, 'metricValue');
      const breachThreshold = optNum(body, 'breachThreshold');
      const d = svc(b).executePolicy(g!, p!, {
        honorCooldown: o.honorCooldown === true, ...(metricValue !== undefined ? { metricValue } : {}), ...(breachThreshold !== undefined ? { breachThreshold } : {}),
      });
      return { Decision: d };
    },
  },
  { method: 'GET', pattern: group('/scheduled-actions'), handler: (b, [g]) => ({ ScheduledUpdateGroupActions: explained(b, g!).scheduledActions }) },
  { method: 'GET', pattern: group('/explain'), handler: (b, [g]) => explained(b, g!) },
];

/** A group's explanation, also when the daemon runs no scaling service (then it has no policies, actions or decisions). */
function explained(b: ScalingBackend, g: string): ReturnType<typeof explain> {
  const s = b.scalingService;
  return s ? explain(s, b.autoScalingService, g, s.now()) : explainUnscaled(b.autoScalingService, g);
}
