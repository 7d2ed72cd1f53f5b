import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forwardTargets, gatherTop, renderTop, WINDOW_SECONDS, type Api } from './top.js';
import { loadBalancerDimension, targetGroupDimension } from '../model/ids.js';

test('forwardTargets reads the status tree wording of forward actions', () => {
  assert.deepEqual(forwardTargets('forward to app'), ['app']);
  assert.deepEqual(forwardTargets('forward to blue (weight 80), green (weight 20)'), ['blue', 'green']);
  assert.deepEqual(forwardTargets('redirect to https://#{host}:443/#{path}?#{query} (HTTP_301)'), []);
});

/** A daemon API with one load balancer in front of one group's target group, and fixed datapoints. */
function fakeApi(points: Record<string, number[]>, asked: unknown[] = []): Api {
  const LB = loadBalancerDimension('web');
  const TG = targetGroupDimension('app');
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    if (path === '/_shoal/status') {
      return {
        loadBalancers: [{ name: 'web', type: 'application', owner: 'f:1', listeners: [{ address: '127.0.0.1:80', protocol: 'HTTP', rules: [{ priority: 'default', matches: '', action: 'forward to app' }] }] }],
        targetGroups: [{ name: 'app', owner: 'f:2', protocol: 'HTTP', port: 80, targets: [{ target: 'a', state: 'healthy' }, { target: 'b', state: 'initial' }] }],
        autoScalingGroups: [], zones: [], snapshotVersion: 1,
      } as T;
    }
    if (path === '/_shoal/auto-scaling-groups') {
      return { AutoScalingGroups: [{ AutoScalingGroupName: 'app', MinSize: 1, MaxSize: 4, DesiredCapacity: 3, TargetGroupNames: ['app'], Instances: [{ LifecycleState: 'InService' }, { LifecycleState: 'InService' }, { LifecycleState: 'Pending' }] }] } as T;
    }
    if (path === '/_shoal/metrics/list') return { Metrics: [{ Dimensions: [{ Name: 'LoadBalancer', Value: LB }] }, { Dimensions: [{ Name: 'LoadBalancer', Value: LB }, { Name: 'TargetGroup', Value: TG }] }] } as T;
    assert.equal(method, 'POST');
    assert.equal(path, '/_shoal/metrics/query');
    asked.push(body);
    const q = body as { metricName: string; dimensions: { name: string }[] };
    const key = `${q.metricName}${q.dimensions.length === 2 ? '@tg' : ''}`;
    return { Datapoints: (points[key] ?? []).map((Value) => ({ Timestamp: '', Value })) } as T;
  };
}

test('gatherTop: rates over the last complete seconds, p99 in ms, capacity and CPU per group', async () => {
  const asked: unknown[] = [];
  const api = fakeApi({
    RequestCount: [40, 60], HTTPCode_ELB_5XX_Count: [3], HTTPCode_Target_5XX_Count: [2], TargetResponseTime: [0.012, 0.031], ActiveConnectionCount: [7, 9],
    'RequestCount@tg': [100], 'HTTPCode_Target_5XX_Count@tg': [10], 'TargetResponseTime@tg': [0.02], CPUUtilization: [12, 35.5],
  }, asked);
  const now = Date.parse('2026-12-07T10:00:05.700Z');
  const s = await gatherTop(api, now);
  assert.deepEqual(s.loadBalancers, [{
    name: 'web', type: 'application', requestsPerSecond: 100 / WINDOW_SECONDS, errorsPerSecond: 5 / WINDOW_SECONDS, p99Ms: 31, activeConnections: 9, healthyTargets: 1, targets: 2,
  }]);
  assert.deepEqual(s.groups, [{ name: 'app', desired: 3, inService: 2, min: 1, max: 4, cpuPercent: 35.5, requestsPerSecond: 10, errorsPerSecond: 1, p99Ms: 20 }]);
  // The window ends at the last whole second: the one in progress is not counted.
  const rate = asked.find((b) => (b as { metricName: string }).metricName === 'RequestCount') as { start: number; end: number; period: number };
  assert.deepEqual([rate.start, rate.end, rate.period], [Date.parse('2026-12-07T09:59:55Z'), Date.parse('2026-12-07T10:00:05Z'), 1]);
});

test('renderTop: a table per kind; no data shows as -', async () => {
  const s = await gatherTop(fakeApi({}), Date.now());
  const text = renderTop(s, 'shoal top');
  assert.match(text, /^LOAD BALANCER\s+TYPE\s+REQ\/S\s+P99 MS\s+5XX\/S\s+ACTIVE\s+TARGETS$/m);
  assert.match(text, /^web\s+application\s+0\.0\s+-\s+0\.0\s+-\s+1\/2 healthy$/m);
  assert.match(text, /^app\s+2\s+3\s+1-4\s+-\s+0\.0\s+-\s+0\.0$/m);
});
