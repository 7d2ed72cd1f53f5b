/**
 * Per-second traffic counters of a data-plane worker, the raw material of the
 * AWS/ApplicationELB metrics. The hot path only increments fields of objects
 * it already holds (no lookup per request except the target group's); once a
 * second the worker takes the counts (`take`) and starts afresh.
 *
 * Response times: count/sum/min/max exactly, plus a sample of at most
 * SAMPLE_SIZE values per second for percentiles (reservoir sampling), so a
 * busy second costs a bounded message whatever the request rate, plus exact
 * counts per RESPONSE_TIME_BUCKETS bucket (the Prometheus histogram).
 */
import type { Random } from '../core/random.js';

export const SAMPLE_SIZE = 256;

/** Upper bounds (seconds) of the response time histogram's buckets; a last bucket takes the rest (+Inf). */
export const RESPONSE_TIME_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface LoadBalancerSecond {
  requests: number;
  /** Answers the load balancer made itself, by class: fixed responses, redirects, errors. */
  elb2xx: number;
  elb3xx: number;
  elb4xx: number;
  elb5xx: number;
  newConnections: number;
  /** Connections open when the second was taken. */
  activeConnections: number;
  processedBytes: number;
}

export interface ResponseTimes {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Seconds, a uniform sample of at most SAMPLE_SIZE. */
  sample: number[];
  /** Responses per RESPONSE_TIME_BUCKETS bucket (not cumulative), the last one past the highest bound. */
  buckets: number[];
}

export interface TargetGroupSecond {
  loadBalancer: string;
  targetGroup: string;
  requests: number;
  target2xx: number;
  target3xx: number;
  target4xx: number;
  target5xx: number;
  connectionErrors: number;
  responseTime: ResponseTimes;
}

export interface StatsReport {
  /** Epoch milliseconds of the start of the second counted. */
  at: number;
  loadBalancers: Record<string, LoadBalancerSecond>;
  /** Keyed by `${loadBalancer}/${targetGroup}`. */
  targetGroups: Record<string, TargetGroupSecond>;
  /** Bytes written to and read from each target (by target key), when there were any. */
  targets?: Record<string, TargetBytes>;
}

export interface TargetBytes {
  sent: number;
  received: number;
}

export function newLoadBalancerSecond(): LoadBalancerSecond {
  return { requests: 0, elb2xx: 0, elb3xx: 0, elb4xx: 0, elb5xx: 0, newConnections: 0, activeConnections: 0, processedBytes: 0 };
}

export function newTargetGroupSecond(loadBalancer: string, targetGroup: string): TargetGroupSecond {
  return {
    loadBalancer,
    targetGroup,
    requests: 0,
    target2xx: 0,
    target3xx: 0,
    target4xx: 0,
    target5xx: 0,
    connectionErrors: 0,
    responseTime: newResponseTimes(),
  };
}

function newResponseTimes(): ResponseTimes {
  return { count: 0, sum: 0, min: Infinity, max: 0, sample: [], buckets: new Array<number>(RESPONSE_TIME_BUCKETS.length + 1).fill(0) };
}

/** Records one target response time (seconds). Called once per forwarded request. */
export function observeResponseTime(rt: ResponseTimes, seconds: number, random: Random): void {
  rt.count++;
  rt.sum += seconds;
  if (seconds < rt.min) rt.min = seconds;
  if (seconds > rt.max) rt.max = seconds;
  let b = 0;
  while (b < RESPONSE_TIME_BUCKETS.length && seconds > RESPONSE_TIME_BUCKETS[b]!) b++;
  rt.buckets[b]!++;
  if (rt.sample.length < SAMPLE_SIZE) {
    rt.sample.push(seconds);
    return;
  }
  // Algorithm R: the i-th value replaces a random slot with probability SAMPLE_SIZE / i.
  const j = Math.floor(random.next() * rt.count);
  if (j < SAMPLE_SIZE) rt.sample[j] = seconds;
}

/** Counts a target's response by status class. */
export function countTargetStatus(c: TargetGroupSecond, status: number): void {
  if (status < 300) c.target2xx++;
  else if (status < 400) c.target3xx++;
  else if (status < 500) c.target4xx++;
  else c.target5xx++;
}

/** Counters of one worker: one object per load balancer and per (load balancer, target group). */
export class TrafficStats {
  private lbs = new Map<string, LoadBalancerSecond>();
  private tgs = new Map<string, TargetGroupSecond>();

  loadBalancer(name: string): LoadBalancerSecond {
    let s = this.lbs.get(name);
    if (!s) {
      s = newLoadBalancerSecond();
      this.lbs.set(name, s);
    }
    return s;
  }

  targetGroup(loadBalancer: string, targetGroup: string): TargetGroupSecond {
    const key = `${loadBalancer}/${targetGroup}`;
    let s = this.tgs.get(key);
    if (!s) {
      s = newTargetGroupSecond(loadBalancer, targetGroup);
      this.tgs.set(key, s);
    }
    return s;
  }

  /**
   * Returns the counts so far and resets them in place (objects held by
   * listeners and exchanges stay valid). Series with no traffic are left out.
   */
  take(at: number): StatsReport {
    const report: StatsReport = { at, loadBalancers: {}, targetGroups: {} };
    for (const [name, s] of this.lbs) {
      if (s.requests || s.newConnections || s.activeConnections || s.processedBytes || s.elb2xx || s.elb3xx || s.elb4xx || s.elb5xx) {
        report.loadBalancers[name] = { ...s };
      }
      Object.assign(s, newLoadBalancerSecond());
    }
    for (const [key, s] of this.tgs) {
      if (s.requests || s.connectionErrors) {
        report.targetGroups[key] = { ...s, responseTime: { ...s.responseTime } };
      }
      s.requests = s.target2xx = s.target3xx = s.target4xx = s.target5xx = s.connectionErrors = 0;
      s.responseTime = newResponseTimes();
    }
    return report;
  }
}
