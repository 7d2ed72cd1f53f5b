/** ECS deployments on a service's group: fake provider, fake target groups, manual clock, whole passes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service } from '../../model/ecs.js';
import { groupSpec, setup, TEMPLATE } from '../asg/refresh/harness.js';
import { counts } from '../asg/types.js';
import { deployServices, nextStep } from './deployments.js';

const NAME = 'ecs/default/api';

function service(revision: number, o: Partial<Service['deploymentConfiguration']> = {}): Service {
  return {
    name: 'api', cluster: 'default', taskDefinition: { family: 'web', revision }, desiredCount: 2, launchType: 'EC2', loadBalancers: [],
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: false, rollback: false }, ...o },
    healthCheckGracePeriodSeconds: 0, tags: {},
  };
}

function world(desired = 2) {
  const w = setup({ desiredCapacity: 0 });
  const lt = { ...TEMPLATE, name: NAME };
  const sync = (revision: number) => w.svc.sync({ launchTemplates: [TEMPLATE, lt], autoScalingGroups: [groupSpec({ desiredCapacity: 0 }), groupSpec({ name: NAME, desiredCapacity: desired, launchTemplate: { name: NAME, version: revision } })] });
  sync(1);
  const g = () => w.svc.group(NAME)!.state;
  const versions = () => g().instances.filter(counts).map((r) => r.templateVersion).sort();
  const pass = async (n = 1, each?: () => void) => {
    for (let i = 0; i < n; i++) {
      w.clock.advance(1000);
      w.t.draining_.clear();
      await w.svc.pass();
      await w.svc.group(NAME)!.exec.settle();
      each?.();
    }
  };
  return { ...w, sync, g, versions, pass };
}

describe('ECS deployments', () => {
  it('a new revision rolls within 100..200 %: never fewer than the desired count in service, then every task runs it', async () => {
    const w = world(2);
    await w.pass(3);
    assert.deepEqual(w.versions(), [1, 1]);
    assert.deepEqual(nextStep(service(1), w.g()), { kind: 'none', why: 'every task runs revision 1' });
    w.sync(2);
    assert.deepEqual(nextStep(service(2), w.g()), { kind: 'start', from: 1, to: 2 });
    assert.deepEqual(deployServices([service(2)], w.svc), ['service api: deploying web:2 over 1']);
    let least = Infinity;
    await w.pass(12, () => (least = Math.min(least, w.g().instances.filter((r) => counts(r) && r.lifecycleState === 'InService').length)));
    assert.equal(w.g().refreshes![0]!.status, 'Successful');
    assert.deepEqual(w.versions(), [2, 2]);
    assert.ok(least >= 2, `in service dipped to ${least}`);
    assert.equal(nextStep(service(2), w.g()).kind, 'none');
  });

  it('the circuit breaker rolls back a revision whose tasks keep failing, and the failed revision is not retried', async () => {
    const w = world(2);
    await w.pass(3);
    for (let n = 3; n <= 12; n++) w.provider.scriptLaunch(n, { bootMs: 500, bootExitStatus: 1 });
    w.sync(2);
    deployServices([service(2, { deploymentCircuitBreaker: { enable: true, rollback: true } })], w.svc);
    for (let i = 0; i < 60 && w.g().refreshes![0]!.status !== 'RollbackSuccessful'; i++) await w.pass();
    const r = w.g().refreshes![0]!;
    assert.equal(r.status, 'RollbackSuccessful', JSON.stringify(r));
    const tripped = /the circuit breaker tripped: (\d+) new tasks in a row failed/.exec(r.rollbackReason ?? '');
    assert.ok(tripped && Number(tripped[1]) >= 3, r.rollbackReason);
    assert.deepEqual(w.versions(), [1, 1]);
    const launches = w.provider.world.launchAttempts;
    assert.deepEqual(deployServices([service(2, { deploymentCircuitBreaker: { enable: true, rollback: true } })], w.svc), []);
    await w.pass(5);
    assert.equal(w.provider.world.launchAttempts, launches, 'the group stays on revision 1: no relaunch of revision 2');
    assert.deepEqual(w.versions(), [1, 1]);
  });

  it('a revision named mid-deployment cancels the running one; the next check deploys it', async () => {
    const w = world(2);
    await w.pass(3);
    const three = { ...TEMPLATE, name: NAME, versions: [...TEMPLATE.versions, TEMPLATE.versions[1]!] };
    w.sync(2);
    deployServices([service(2)], w.svc);
    await w.pass();
    w.svc.sync({ launchTemplates: [TEMPLATE, three], autoScalingGroups: [groupSpec({ desiredCapacity: 0 }), groupSpec({ name: NAME, desiredCapacity: 2, launchTemplate: { name: NAME, version: 3 } })] });
    assert.match(deployServices([service(3)], w.svc)[0]!, /now names revision 3/);
    for (let i = 0; i < 40 && !(w.g().refreshes![0]!.target.version === 3 && w.g().refreshes![0]!.status === 'Successful'); i++) {
      await w.pass();
      deployServices([service(3)], w.svc);
    }
    assert.deepEqual(w.versions(), [3, 3]);
    assert.equal(w.g().refreshes![1]!.status, 'Cancelled');
  });
});
