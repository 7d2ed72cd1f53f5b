/**
 * Service auto scaling through the same scaling engine as Auto Scaling
 * groups: a service's target tracking policies (from the config file) drive
 * its group's desired count on a manual clock, within minCapacity..maxCapacity.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeMetrics } from '../../alarms/testing.js';
import { parseConfig } from '../../config/load.js';
import { ManualClock } from '../../core/clock.js';
import { silentLogger } from '../../core/log.js';
import { targetGroupDimension } from '../../model/ids.js';
import { createMemoryStore } from '../../store/index.js';
import type { AutoScalingService } from '../asg/service.js';
import { inst, state } from '../asg/testing.js';
import type { GroupState } from '../asg/types.js';
import { ScalingService } from '../scaling/service.js';
import { scalingConfigOf } from '../scaling/wiring.js';

const NAME = 'ecs/default/api';

function yaml(policy: string): string {
  return `zones: [{ name: zone-a, docker: { host: "unix:///run/a.sock" } }]
targetGroups: [{ name: web, port: 80 }]
taskDefinitions:
  - family: web
    revisions: [{ containerDefinitions: [{ name: app, image: shoal/web:1, portMappings: [{ containerPort: 8080 }] }] }]
services:
  - name: api
    taskDefinition: web
    desiredCount: 2
    loadBalancers: [{ targetGroup: web, containerName: app, containerPort: 8080 }]
    autoScaling:
      minCapacity: 2
      maxCapacity: 5
      targetTrackingPolicies: [{ policyName: p, ${policy}, scaleOutCooldown: 0 }]
`;
}

function world(policy: string) {
  const start = Date.UTC(2026, 11, 7);
  const clock = new ManualClock(start);
  const metrics = new FakeMetrics();
  const config = parseConfig(yaml(policy), 'shoal.yaml');
  const g = { state: state({ name: NAME, desiredCapacity: 2, minSize: 2, maxSize: 5 }) as GroupState, deleting: false, persist() {} };
  for (let i = 0; i < 2; i++) g.state.instances.push(inst({ launchedAt: start - 600_000 }));
  const asg = { group: (n: string) => (n === NAME ? g : undefined), poke() {}, activities: { record() {} } } as unknown as AutoScalingService;
  const svc = new ScalingService({ store: createMemoryStore(clock), clock, log: silentLogger, metrics: () => metrics, asg: () => asg });
  svc.sync(scalingConfigOf(config));
  return { clock, metrics, g, svc, start };
}

describe('service auto scaling', () => {
  it('ECSServiceAverageCPUUtilization: tasks at 90 % against a target of 50 % scale the service from 2 to 4', async () => {
    const w = world('predefinedMetricType: ECSServiceAverageCPUUtilization, targetValue: 50');
    for (let s = 0; s < 400 && w.g.state.desiredCapacity === 2; s++) {
      for (const r of w.g.state.instances) w.metrics.add('AWS/EC2', 'CPUUtilization', [{ name: 'InstanceId', value: r.instanceId }], w.clock.now(), 90);
      w.clock.advance(1000);
      await w.svc.tick();
    }
    assert.equal(w.g.state.desiredCapacity, 4, 'ceil(2 × 90 / 50)');
    assert.ok(w.svc.alarms.status(`TargetTracking-${NAME}-p-AlarmHigh`), 'the policy owns its alarms, as a group\'s does');
  });

  it('ALBRequestCountPerTarget: the service\'s target group at 3000 requests per target per minute against 1000 scales to the max of 5', async () => {
    const w = world('predefinedMetricType: ALBRequestCountPerTarget, targetValue: 1000');
    const dim = { name: 'TargetGroup', value: targetGroupDimension('web') };
    for (let s = 0; s < 400 && w.g.state.desiredCapacity === 2; s++) {
      w.metrics.add('AWS/ApplicationELB', 'RequestCountPerTarget', [dim], w.clock.now(), 50);
      w.metrics.add('AWS/ApplicationELB', 'RequestCount', [{ name: 'LoadBalancer', value: 'app/front/0123456789abcdef' }, dim], w.clock.now(), 100);
      w.clock.advance(1000);
      await w.svc.tick();
    }
    assert.equal(w.g.state.desiredCapacity, 5, 'ceil(2 × 3000 / 1000) = 6, capped at maxCapacity 5');
  });
});
