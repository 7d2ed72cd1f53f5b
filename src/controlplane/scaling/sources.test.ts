import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeMetrics } from '../../alarms/testing.js';
import { loadBalancerDimension, targetGroupDimension } from '../../model/ids.js';
import { instanceAverage, requestsPerTarget } from './sources.js';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
const ELB = 'AWS/ApplicationELB';

describe('the metrics target tracking reads', () => {
  it('ALBRequestCountPerTarget: per minute, zero-filled, with the target group\'s requests over every load balancer as the total', () => {
    const m = new FakeMetrics();
    const tg = { name: 'TargetGroup', value: targetGroupDimension('app') };
    const lb = (name: string) => ({ name: 'LoadBalancer', value: loadBalancerDimension(name) });
    for (let s = 0; s < 10; s++) {
      const t = T0 + s * 1000;
      m.add(ELB, 'RequestCountPerTarget', [tg], t, 15); // 30 requests a second over 2 targets
      m.add(ELB, 'RequestCount', [lb('web'), tg], t, 20);
      m.add(ELB, 'RequestCount', [lb('admin'), tg], t, 10);
      m.add(ELB, 'RequestCount', [lb('web')], t, 20); // the load balancer's own series: not the target group's
    }
    const points = requestsPerTarget(() => m, 'app')({ start: T0, end: T0 + 20_000, periodSeconds: 10 });
    assert.deepEqual(points, [
      { timestamp: T0, value: 900, sampleCount: 10, total: 1800 },
      { timestamp: T0 + 10_000, value: 0, sampleCount: 0, total: 0 },
    ]);
  });

  it('ASGAverageCPUUtilization: the mean over instances past their warmup, their sum as the total', () => {
    const m = new FakeMetrics();
    const cpu = (id: string, t: number, v: number) => m.add('AWS/EC2', 'CPUUtilization', [{ name: 'InstanceId', value: id }], t, v);
    for (let s = 0; s < 20; s++) {
      cpu('i-a', T0 + s * 1000, 80);
      cpu('i-b', T0 + s * 1000, 40);
    }
    const warmed = new Map([['i-a', T0], ['i-b', T0 + 10_000]]); // i-b's warmup ends with the first period
    const points = instanceAverage(() => m, 'CPUUtilization', () => warmed)({ start: T0, end: T0 + 20_000, periodSeconds: 10 });
    assert.deepEqual(points, [
      { timestamp: T0, value: 80, sampleCount: 1, total: 80 },
      { timestamp: T0 + 10_000, value: 60, sampleCount: 2, total: 120 },
    ]);
  });
});
