import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkMeter } from './network-metrics.js';
import type { StatsReport } from '../dataplane/stats.js';

const report = (targets: StatsReport['targets']): StatsReport => ({ at: 0, loadBalancers: {}, targetGroups: {}, targets });

test('NetworkMeter adds up the workers, publishes per instance and per group, 0 for instances without traffic, then starts afresh', () => {
  const m = new NetworkMeter();
  m.add(report({ '127.0.1.10:80': { sent: 100, received: 1000 } }));
  m.add(report({ '127.0.1.10:80': { sent: 50, received: 500 } }));
  m.add(report(undefined));
  const instances = [
    { instanceId: 'i-0aaaaaaaaaaaaaaaa1', group: 'web', targetKey: '127.0.1.10:80' },
    { instanceId: 'i-0aaaaaaaaaaaaaaaa2', group: 'web', targetKey: '127.0.2.10:80' },
  ];
  const data = m.flush(instances, 5000);
  const value = (metricName: string, name: string, v: string) =>
    data.filter((d) => d.metricName === metricName && d.dimensions[0]!.name === name && d.dimensions[0]!.value === v).map((d) => d.value);
  assert.deepEqual(value('NetworkIn', 'InstanceId', 'i-0aaaaaaaaaaaaaaaa1'), [150]);
  assert.deepEqual(value('NetworkOut', 'InstanceId', 'i-0aaaaaaaaaaaaaaaa1'), [1500]);
  assert.deepEqual(value('NetworkIn', 'InstanceId', 'i-0aaaaaaaaaaaaaaaa2'), [0]);
  assert.deepEqual(value('NetworkIn', 'AutoScalingGroupName', 'web'), [150, 0], 'one sample per instance: Average is per instance');
  assert.ok(data.every((d) => d.namespace === 'AWS/EC2' && d.unit === 'Bytes' && d.timestamp === 5000));
  assert.deepEqual(value('NetworkIn', 'InstanceId', 'i-0aaaaaaaaaaaaaaaa1').length, 1);
  const next = m.flush(instances, 6000);
  assert.ok(next.every((d) => d.value === 0), 'counted bytes are published once');
});
