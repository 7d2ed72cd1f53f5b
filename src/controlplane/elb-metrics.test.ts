import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostCountData, trafficData } from './elb-metrics.js';
import { loadBalancerDimension, targetGroupDimension } from '../model/ids.js';
import type { StatsReport } from '../dataplane/stats.js';
import type { LoadBalancer } from '../model/load-balancer.js';

const LB = { name: 'LoadBalancer', value: loadBalancerDimension('web') };
const TG = { name: 'TargetGroup', value: targetGroupDimension('app') };

const report: StatsReport = {
  at: 1_700_000_000_000,
  loadBalancers: { web: { requests: 10, elb2xx: 0, elb3xx: 2, elb4xx: 1, elb5xx: 0, newConnections: 2, activeConnections: 3, processedBytes: 4096 } },
  targetGroups: {
    'web/app': {
      loadBalancer: 'web',
      targetGroup: 'app',
      requests: 9,
      target2xx: 8,
      target3xx: 0,
      target4xx: 0,
      target5xx: 1,
      connectionErrors: 0,
      responseTime: { count: 9, sum: 0.9, min: 0.05, max: 0.2, sample: [0.1, 0.05, 0.2], buckets: [0, 0, 0, 0, 3, 6, 0, 0, 0, 0, 0, 0] },
    },
  },
};

function find(data: ReturnType<typeof trafficData>, metricName: string, dims: { name: string; value: string }[]) {
  return data.filter((d) => d.metricName === metricName && JSON.stringify(d.dimensions) === JSON.stringify(dims));
}

test('dimension values have AWS shapes and are stable per name', () => {
  assert.match(LB.value, /^app\/web\/[0-9a-f]{16}$/);
  assert.match(TG.value, /^targetgroup\/app\/[0-9a-f]{16}$/);
  assert.equal(loadBalancerDimension('web'), LB.value);
});

const cases: { description: string; metric: string; dims: { name: string; value: string }[]; value: number }[] = [
  { description: 'RequestCount per load balancer', metric: 'RequestCount', dims: [LB], value: 10 },
  { description: 'RequestCount per load balancer and target group', metric: 'RequestCount', dims: [LB, TG], value: 9 },
  { description: 'RequestCountPerTarget divides by the healthy targets', metric: 'RequestCountPerTarget', dims: [TG], value: 3 },
  { description: 'HTTPCode_Target_5XX_Count', metric: 'HTTPCode_Target_5XX_Count', dims: [LB, TG], value: 1 },
  { description: 'HTTPCode_ELB_3XX_Count (redirects)', metric: 'HTTPCode_ELB_3XX_Count', dims: [LB], value: 2 },
  { description: 'HTTPCode_ELB_4XX_Count', metric: 'HTTPCode_ELB_4XX_Count', dims: [LB], value: 1 },
  { description: 'ActiveConnectionCount', metric: 'ActiveConnectionCount', dims: [LB], value: 3 },
  { description: 'NewConnectionCount', metric: 'NewConnectionCount', dims: [LB], value: 2 },
  { description: 'ProcessedBytes', metric: 'ProcessedBytes', dims: [LB], value: 4096 },
];

for (const c of cases) {
  test(`trafficData: ${c.description}`, () => {
    const got = find(trafficData(report, () => 3), c.metric, c.dims);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.value, c.value);
    assert.equal(got[0]!.namespace, 'AWS/ApplicationELB');
    assert.equal(got[0]!.timestamp, report.at);
  });
}

test('trafficData: TargetResponseTime carries exact statistics and the sample, in seconds', () => {
  const [rt] = find(trafficData(report, () => 3), 'TargetResponseTime', [LB, TG]);
  assert.deepEqual(rt!.statisticValues, { sampleCount: 9, sum: 0.9, minimum: 0.05, maximum: 0.2 });
  assert.deepEqual(rt!.values, [0.1, 0.05, 0.2]);
  assert.equal(rt!.unit, 'Seconds');
});

test('trafficData: codes with no responses are not published', () => {
  assert.equal(find(trafficData(report, () => 3), 'HTTPCode_Target_4XX_Count', [LB, TG]).length, 0);
});

test('hostCountData: healthy and unhealthy counts per forwarded target group', () => {
  const lb = {
    name: 'web',
    listeners: [{ port: 1, protocol: 'HTTP', rules: [], defaultActions: [{ type: 'forward', targetGroups: [{ targetGroup: 'app', weight: 1 }] }] }],
  } as unknown as LoadBalancer;
  const health = (state: string) => ({ target: { id: '127.0.0.1', port: 1 }, healthCheckPort: '1', targetHealth: { state } });
  const data = hostCountData(
    { loadBalancers: () => [lb], describeTargetHealth: () => [health('healthy'), health('healthy'), health('unhealthy'), health('initial')] as never },
    5000,
  );
  assert.equal(find(data, 'HealthyHostCount', [LB, TG])[0]!.value, 2);
  assert.equal(find(data, 'UnHealthyHostCount', [LB, TG])[0]!.value, 1);
});

test('hostCountData: also per AvailabilityZone of the targets', () => {
  const lb = {
    name: 'web',
    listeners: [{ port: 1, protocol: 'HTTP', rules: [], defaultActions: [{ type: 'forward', targetGroups: [{ targetGroup: 'app', weight: 1 }] }] }],
  } as unknown as LoadBalancer;
  const t = (state: string, availabilityZone: string) => ({ target: { id: '127.0.1.10', port: 1, availabilityZone }, healthCheckPort: '1', targetHealth: { state } });
  const data = hostCountData(
    { loadBalancers: () => [lb], describeTargetHealth: () => [t('healthy', 'zone-a'), t('unhealthy', 'zone-a'), t('healthy', 'zone-b')] as never },
    5000,
  );
  const az = (zone: string) => [LB, TG, { name: 'AvailabilityZone', value: zone }];
  assert.equal(find(data, 'HealthyHostCount', az('zone-a'))[0]!.value, 1);
  assert.equal(find(data, 'UnHealthyHostCount', az('zone-a'))[0]!.value, 1);
  assert.equal(find(data, 'HealthyHostCount', az('zone-b'))[0]!.value, 1);
  assert.equal(find(data, 'HealthyHostCount', [LB, TG])[0]!.value, 2);
});
