/**
 * ECS rolling deployments on a service's internal group (pure decision, then
 * the refresh ops). A service whose configured task definition revision is
 * not what its tasks run gets an instance refresh to that revision, within
 * the service's minimumHealthyPercent / maximumPercent, with ECS's circuit
 * breaker (rollback = the refresh's auto rollback to the revision the tasks
 * ran). A deployment that failed or rolled back is not retried until the
 * service names another revision; a new revision named mid-deployment cancels
 * the running one, and the next check starts the new one.
 */
import { circuitBreakerThreshold, serviceGroupName, type Service } from '../../model/ecs.js';
import { cancelInstanceRefresh, startInstanceRefresh } from '../asg/refresh/ops.js';
import { activeRefresh } from '../asg/refresh/types.js';
import type { AutoScalingService } from '../asg/service.js';
import { counts, type GroupState } from '../asg/types.js';

export type DeploymentStep =
  | { kind: 'none'; why: string }
  | { kind: 'start'; from: number; to: number }
  | { kind: 'cancel'; why: string };

const SETTLED = ['Failed', 'Cancelled', 'RollbackSuccessful', 'RollbackFailed'];

export function nextStep(svc: Service, s: GroupState): DeploymentStep {
  const to = svc.taskDefinition.revision;
  const r = activeRefresh(s);
  if (r) {
    if (r.target.version !== to && r.status !== 'Cancelling' && r.status !== 'RollbackInProgress') {
      return { kind: 'cancel', why: `the service now names revision ${to}; the deployment of revision ${r.target.version} stops` };
    }
    return { kind: 'none', why: `deployment ${r.instanceRefreshId} is ${r.status}` };
  }
  const stale = s.instances.filter((x) => counts(x) && x.templateVersion !== to);
  if (stale.length === 0) return { kind: 'none', why: `every task runs revision ${to}` };
  const last = s.refreshes?.[0];
  if (last && last.target.version === to && SETTLED.includes(last.status)) {
    return { kind: 'none', why: `the deployment of revision ${to} ended ${last.status}; name another revision to deploy again` };
  }
  const tally = new Map<number, number>();
  for (const x of stale) tally.set(x.templateVersion, (tally.get(x.templateVersion) ?? 0) + 1);
  const from = [...tally].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]![0];
  return { kind: 'start', from, to };
}

/** Applies the next step of every service; returns what it did, for the log. */
export function deployServices(services: readonly Service[], asg: AutoScalingService): string[] {
  const out: string[] = [];
  for (const svc of services) {
    const name = serviceGroupName(svc.cluster, svc.name);
    const g = asg.group(name);
    if (!g || g.deleting) continue;
    const step = nextStep(svc, g.state);
    if (step.kind === 'cancel') {
      cancelInstanceRefresh(asg, name);
      out.push(`service ${svc.name}: ${step.why}`);
    } else if (step.kind === 'start') {
      const d = svc.deploymentConfiguration;
      const cb = d.deploymentCircuitBreaker;
      startInstanceRefresh(asg, name, {
        desiredConfiguration: { name, version: step.to },
        previous: { name, version: step.from },
        cause: `a deployment of service ${svc.name} (task definition ${svc.taskDefinition.family}:${step.from} to ${svc.taskDefinition.family}:${step.to})`,
        preferences: {
          minHealthyPercentage: d.minimumHealthyPercent, maxHealthyPercentage: d.maximumPercent,
          instanceWarmup: svc.healthCheckGracePeriodSeconds, autoRollback: cb.enable && cb.rollback,
          circuitBreaker: { enabled: cb.enable, threshold: circuitBreakerThreshold(svc.desiredCount) },
        },
      });
      out.push(`service ${svc.name}: deploying ${svc.taskDefinition.family}:${step.to} over ${step.from}`);
    }
  }
  return out;
}
