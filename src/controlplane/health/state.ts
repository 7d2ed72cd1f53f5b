/**
 * The health of one target, as a pure state machine: what DescribeTargetHealth
 * reports, driven by active check results and passive reports from the data plane.
 *
 *   initial   --1 success----------------------> healthy
 *   initial   --unhealthyThresholdCount fails--> unhealthy
 *   healthy   --unhealthyThresholdCount fails--> unhealthy
 *   healthy   --markSuspect (refused/reset)----> unhealthy
 *   unhealthy --healthyThresholdCount passes---> healthy
 *   any       --health checks disabled---------> unavailable (routable, as ALB)
 *   unavailable --health checks re-enabled-----> initial
 *
 * One success from `initial`: AWS's ALB guide says "After your target is
 * registered, it must pass one health check to be considered healthy"
 * (elasticloadbalancing/latest/application/target-group-health-checks). Coming
 * back from `unhealthy` takes healthyThresholdCount consecutive passes.
 */
import type { HealthCheck, TargetHealth, TargetHealthReason } from '../../model/target-group.js';
import type { ProbeResult } from './probe.js';

/** Passes needed to leave `initial` (see the header comment for the source). */
export const INITIAL_HEALTHY_CHECKS = 1;

/** The states this machine produces; draining/unused belong to registration, not to checks. */
export type CheckedState = 'initial' | 'healthy' | 'unhealthy' | 'unavailable';

export interface CheckedHealth extends TargetHealth {
  state: CheckedState;
}

export interface HealthState {
  readonly health: Readonly<CheckedHealth>;
  /** Consecutive passing checks (reset by a failure or a suspect report). */
  readonly successes: number;
  /** Consecutive failing checks (reset by a pass). */
  readonly failures: number;
  /** When health.state last changed. */
  readonly since: number;
  /** When the last check result arrived, if any. */
  readonly checkedAt?: number;
  /** The last check result's detail, for logs and the console. */
  readonly lastDetail?: string;
}

/** Descriptions as DescribeTargetHealth shows them. */
export const DESCRIPTIONS = {
  initial: 'Initial health checks in progress',
  timeout: 'Request timed out',
  failed: 'Health checks failed',
  disabled: 'Health checks are disabled',
  notRegistered: 'Target is not registered to the target group',
} as const;

export function mismatchDescription(statusCode: number | undefined): string {
  return `Health checks failed with these codes: [${statusCode ?? ''}]`;
}

const INITIAL: CheckedHealth = { state: 'initial', reason: 'Elb.InitialHealthChecking', description: DESCRIPTIONS.initial };
const HEALTHY: CheckedHealth = { state: 'healthy' };
const DISABLED: CheckedHealth = { state: 'unavailable', reason: 'Target.HealthCheckDisabled', description: DESCRIPTIONS.disabled };

/** A newly registered target (checks enabled). */
export function initialHealth(now: number): HealthState {
  return { health: INITIAL, successes: 0, failures: 0, since: now };
}

/** A target whose group has health checks disabled: not checked, still routed to. */
export function disabledHealth(now: number): HealthState {
  return { health: DISABLED, successes: 0, failures: 0, since: now };
}

/** Where a target starts when registered in a group with these settings. */
export function startingHealth(settings: HealthCheck, now: number): HealthState {
  return settings.enabled ? initialHealth(now) : disabledHealth(now);
}

/**
 * Applies one check result and returns the new state (counters always move;
 * compare `health` with sameHealth() to tell whether DescribeTargetHealth changed).
 */
export function applyResult(state: HealthState, result: ProbeResult, settings: HealthCheck, now: number): HealthState {
  if (!settings.enabled) return state.health.state === 'unavailable' ? state : disabledHealth(now);
  const from = state.health.state === 'unavailable' ? initialHealth(now) : state;
  const observed = { checkedAt: now, lastDetail: result.detail };
  if (result.ok) {
    const successes = from.successes + 1;
    const needed = from.health.state === 'initial' ? INITIAL_HEALTHY_CHECKS : settings.healthyThresholdCount;
    const becomesHealthy = from.health.state !== 'healthy' && successes >= needed;
    return becomesHealthy
      ? { ...from, ...observed, health: HEALTHY, successes, failures: 0, since: now }
      : { ...from, ...observed, successes, failures: 0 };
  }
  const failures = from.failures + 1;
  const failed = failureHealth(result);
  if (from.health.state === 'unhealthy') {
    // Stays unhealthy; the reason follows the latest failure, as AWS reports it.
    return { ...from, ...observed, health: sameHealth(from.health, failed) ? from.health : failed, successes: 0, failures };
  }
  return failures >= settings.unhealthyThresholdCount
    ? { ...from, ...observed, health: failed, successes: 0, failures, since: now }
    : { ...from, ...observed, successes: 0, failures };
}

/**
 * Passive detection: the data plane could not connect to the target (refused,
 * reset). A healthy target goes straight to unhealthy, without waiting for
 * unhealthyThresholdCount active failures, and then needs the usual
 * healthyThresholdCount consecutive passing checks to come back. An unhealthy
 * target restarts its recovery count. `initial` targets are left alone (they
 * are still booting, refusals are expected) and so are `unavailable` ones
 * (checks disabled: no active check could ever bring them back).
 */
export function markSuspect(state: HealthState, now: number, description: string): HealthState {
  switch (state.health.state) {
    case 'healthy':
      return {
        ...state,
        health: { state: 'unhealthy', reason: 'Target.FailedHealthChecks', description },
        successes: 0,
        since: now,
        lastDetail: description,
      };
    case 'unhealthy':
      return state.successes === 0 ? state : { ...state, successes: 0 };
    default:
      return state;
  }
}

/** True when two healths would read the same in DescribeTargetHealth. */
export function sameHealth(a: TargetHealth, b: TargetHealth): boolean {
  return a.state === b.state && a.reason === b.reason && a.description === b.description;
}

function failureHealth(result: ProbeResult): CheckedHealth {
  return { state: 'unhealthy', ...failureReason(result) };
}

function failureReason(result: ProbeResult): { reason: TargetHealthReason; description: string } {
  switch (result.kind) {
    case 'code-mismatch':
      return { reason: 'Target.ResponseCodeMismatch', description: mismatchDescription(result.statusCode) };
    case 'timeout':
      return { reason: 'Target.Timeout', description: DESCRIPTIONS.timeout };
    default:
      return { reason: 'Target.FailedHealthChecks', description: DESCRIPTIONS.failed };
  }
}
