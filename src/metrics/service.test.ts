import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import { silentLogger } from '../core/log.js';
import type { InstanceObservation } from '../providers/provider.js';
import { MetricsService, type AutoScalingView } from './service.js';
import type { GroupView } from './producers.js';

function obs(instanceId: string, cpuPercent: number | undefined, over: Partial<InstanceObservation> = {}): InstanceObservation {
  return {
    instanceId, state: 'running', privateIp: '127.0.1.10', host: '127.0.1.10', port: 80, availabilityZone: 'zone-a', instanceType: 't3.micro',
    templateVersion: '1', tags: {}, bootStatus: 'succeeded', launchedAt: 0, ...(cpuPercent === undefined ? {} : { cpuPercent }), ...over,
  };
}

describe('MetricsService producers', () => {
  const clock = new ManualClock(1_700_000_000_000);
  const state: GroupView = {
    name: 'web', minSize: 1, maxSize: 4, desiredCapacity: 3,
    instances: [
      { instanceId: 'i-a', lifecycleState: 'InService' }, { instanceId: 'i-b', lifecycleState: 'InService' },
      { instanceId: 'i-c', lifecycleState: 'Pending:Wait' }, { instanceId: 'i-d', lifecycleState: 'Standby' },
      { instanceId: 'i-e', lifecycleState: 'Terminating' }, { instanceId: 'i-w', lifecycleState: 'Warmed:Stopped' },
    ],
  };
  const view: AutoScalingView = {
    groups: new Map([['web', { state }]]),
    observed: new Map([
      ['i-a', obs('i-a', 20)], ['i-b', obs('i-b', 60, { impairedReason: 'Boot script exited with status 1' })],
      ['i-c', obs('i-c', undefined)], ['i-x', obs('i-x', 5)], ['i-t', obs('i-t', 99, { state: 'terminated' })],
    ]),
  };
  const svc = new MetricsService({ clock, log: silentLogger, path: ':memory:', autoScaling: () => view });
  svc.start();
  clock.advance(5000); // 5 ticks; the observations did not change: one EC2 sample
  const start = clock.now() - 10_000;
  const get = (namespace: string, metricName: string, name: string, value: string, statistic = 'Average' as const) =>
    svc.store.query({ namespace, metricName, dimensions: [{ name, value }], statistic, periodSeconds: 60, start, end: clock.now() + 1 }).map((d) => [d.value, d.sampleCount]);

  const cases: { desc: string; got: () => unknown; want: unknown }[] = [
    { desc: 'group CPU is the average over its running instances, sampled once per observation', got: () => get('AWS/EC2', 'CPUUtilization', 'AutoScalingGroupName', 'web'), want: [[40, 2]] },
    { desc: 'per-instance CPU', got: () => get('AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-a'), want: [[20, 1]] },
    { desc: 'an instance outside any group has no group series but its own', got: () => get('AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-x'), want: [[5, 1]] },
    { desc: 'terminated instances publish nothing', got: () => get('AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-t'), want: [] },
    { desc: 'StatusCheckFailed is 1 for an impaired instance', got: () => get('AWS/EC2', 'StatusCheckFailed', 'InstanceId', 'i-b'), want: [[1, 1]] },
    { desc: 'StatusCheckFailed of the group sums to the impaired count', got: () => get('AWS/EC2', 'StatusCheckFailed', 'AutoScalingGroupName', 'web', 'Sum' as never), want: [[1, 3]] },
    { desc: 'GroupDesiredCapacity every second', got: () => get('AWS/AutoScaling', 'GroupDesiredCapacity', 'AutoScalingGroupName', 'web'), want: [[3, 5]] },
    { desc: 'GroupInServiceInstances', got: () => get('AWS/AutoScaling', 'GroupInServiceInstances', 'AutoScalingGroupName', 'web'), want: [[2, 5]] },
    { desc: 'GroupPendingInstances counts Pending:Wait', got: () => get('AWS/AutoScaling', 'GroupPendingInstances', 'AutoScalingGroupName', 'web'), want: [[1, 5]] },
    { desc: 'GroupStandbyInstances', got: () => get('AWS/AutoScaling', 'GroupStandbyInstances', 'AutoScalingGroupName', 'web'), want: [[1, 5]] },
    { desc: 'GroupTerminatingInstances', got: () => get('AWS/AutoScaling', 'GroupTerminatingInstances', 'AutoScalingGroupName', 'web'), want: [[1, 5]] },
    { desc: 'GroupTotalInstances: in service, pending and terminating (not standby, not warm pool)', got: () => get('AWS/AutoScaling', 'GroupTotalInstances', 'AutoScalingGroupName', 'web'), want: [[4, 5]] },
    { desc: 'GroupMinSize and GroupMaxSize', got: () => [get('AWS/AutoScaling', 'GroupMinSize', 'AutoScalingGroupName', 'web'), get('AWS/AutoScaling', 'GroupMaxSize', 'AutoScalingGroupName', 'web')], want: [[[1, 5]], [[4, 5]]] },
  ];
  for (const c of cases) it(c.desc, () => assert.deepEqual(c.got(), c.want));

  it('a new observation map is sampled again; stop() cancels its timers and closes the store', () => {
    view.observed = new Map([['i-a', obs('i-a', 40)]]);
    clock.advance(1000);
    assert.deepEqual(get('AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-a'), [[30, 2]]);
    const before = clock.pending();
    svc.stop();
    assert.equal(clock.pending(), before - 3);
    svc.store.put([{ namespace: 'A', metricName: 'B', dimensions: [], timestamp: clock.now(), value: 1 }]); // no throw after close
  });
});
