import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failure, setup, webTaskDefinition } from './testing.js';

const BASE = 'arn:aws:ecs:eu-west-3:000000000000:';

async function withService() {
  const s = await setup();
  await s.call('RegisterTaskDefinition', webTaskDefinition());
  await s.call('CreateCluster', { clusterName: 'prod' });
  const tg = `arn:aws:elasticloadbalancing:eu-west-3:000000000000:targetgroup/web/${s.model.get('targetGroups', 'web')!.id.slice(0, 16)}`;
  const created = (await s.call('CreateService', {
    cluster: `${BASE}cluster/prod`, serviceName: 'api', taskDefinition: 'web', desiredCount: 2,
    loadBalancers: [{ targetGroupArn: tg, containerName: 'app', containerPort: 8080 }],
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } }, tags: [{ key: 'env', value: 'prod' }],
  })).service;
  return { s, tg, created };
}

test('CreateService: the record the config would hold, described back with ECS\'s ARNs', async (t) => {
  const { s, tg, created } = await withService();
  t.after(s.stop);
  assert.deepEqual(s.model.get('services', 'api')!.raw, {
    name: 'api', cluster: 'prod', taskDefinition: 'web:1', desiredCount: 2,
    loadBalancers: [{ targetGroup: 'web', containerName: 'app', containerPort: 8080 }], tags: { env: 'prod' },
  }, 'the bare family is pinned to its revision; the target group ARN is its name; networkConfiguration is dropped');
  assert.equal(created.serviceArn, `${BASE}service/prod/api`);
  assert.equal(created.taskDefinition, `${BASE}task-definition/web:1`);
  assert.deepEqual(created.loadBalancers, [{ targetGroupArn: tg, containerName: 'app', containerPort: 8080 }]);
  assert.deepEqual(created.tags, [{ key: 'env', value: 'prod' }]);

  const errs: Array<[string, Record<string, unknown>, string]> = [
    ['the same name again', { cluster: 'prod', serviceName: 'api', taskDefinition: 'web' }, 'InvalidParameterException'],
    ['an unknown cluster', { cluster: 'nope', serviceName: 'b', taskDefinition: 'web' }, 'ClusterNotFoundException'],
    ['an unknown family', { cluster: 'prod', serviceName: 'b', taskDefinition: 'nope' }, 'ClientException'],
    ['a target group that does not exist', { cluster: 'prod', serviceName: 'b', taskDefinition: 'web', loadBalancers: [{ targetGroupArn: tg.replace(/[0-9a-f]{16}$/, '0000000000000000'), containerName: 'app', containerPort: 8080 }] }, 'InvalidParameterException'],
    ['a container the revision does not have', { cluster: 'prod', serviceName: 'b', taskDefinition: 'web', loadBalancers: [{ targetGroupArn: 'web', containerName: 'other', containerPort: 8080 }] }, 'InvalidParameterException'],
    ['a capacity provider strategy', { cluster: 'prod', serviceName: 'b', taskDefinition: 'web', capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }] }, 'ClientException'],
  ];
  for (const [what, input, code] of errs) assert.equal((await failure(s.call('CreateService', input))).code, code, what);
  assert.match((await failure(s.call('CreateService', errs[2]![1]))).message, /^TaskDefinition not found\. nope/, 'ECS\'s words');
  assert.equal(s.model.get('services', 'b'), undefined);
});

test('tasks: the service\'s instances, listed, described and stopped (a replacement follows)', async (t) => {
  const { s } = await withService();
  t.after(s.stop);
  await s.settle(6);
  const arns: string[] = (await s.call('ListTasks', { cluster: 'prod', serviceName: 'api' })).taskArns;
  assert.equal(arns.length, 2);
  assert.ok(arns.every((a) => a.startsWith(`${BASE}task/prod/`)));
  const { tasks, failures } = await s.call('DescribeTasks', { cluster: 'prod', tasks: [...arns, 'ffffffffffffffff'] });
  assert.deepEqual(tasks.map((x: { taskArn: string }) => x.taskArn), arns);
  assert.equal(tasks[0].taskDefinitionArn, `${BASE}task-definition/web:1`);
  assert.deepEqual(failures, [{ arn: `${BASE}task/prod/ffffffffffffffff`, reason: 'MISSING' }]);
  const cluster = (await s.call('DescribeClusters', { clusters: ['prod'] })).clusters[0];
  assert.equal(cluster.activeServicesCount, 1);
  assert.equal(cluster.runningTasksCount + cluster.pendingTasksCount, 2);

  const stopped = (await s.call('StopTask', { cluster: 'prod', task: arns[0], reason: 'a test stops it' })).task;
  assert.equal(stopped.desiredStatus, 'STOPPED');
  await s.settle(6);
  const after = (await s.call('DescribeTasks', { cluster: 'prod', tasks: [arns[0]] })).tasks[0];
  assert.deepEqual([after.lastStatus, after.stopCode, after.stoppedReason], ['STOPPED', 'UserInitiated', 'a test stops it']);
  assert.ok((await s.call('ListTasks', { cluster: 'prod', desiredStatus: 'STOPPED' })).taskArns.includes(arns[0]));
  const running: string[] = (await s.call('ListTasks', { cluster: 'prod' })).taskArns;
  assert.equal(running.length, 2, 'the service replaced the stopped task');
  assert.ok(!running.includes(arns[0]!));
  assert.equal((await failure(s.call('StopTask', { cluster: 'prod', task: 'ffffffffffffffff' }))).code, 'InvalidParameterException');
  assert.equal((await failure(s.call('ListTasks', { cluster: 'prod', serviceName: 'nope' }))).code, 'ServiceNotFoundException');
});

test('UpdateService, then DeleteService: refused above 0 unless forced; the service is INACTIVE after', async (t) => {
  const { s } = await withService();
  t.after(s.stop);
  await s.call('RegisterTaskDefinition', webTaskDefinition('web', 'shoal-test/hello:2'));
  const updated = (await s.call('UpdateService', {
    cluster: 'prod', service: 'api', taskDefinition: `${BASE}task-definition/web:2`, desiredCount: 3,
    deploymentConfiguration: { maximumPercent: 150 }, healthCheckGracePeriodSeconds: 30, forceNewDeployment: true,
  })).service;
  assert.equal(updated.taskDefinition, `${BASE}task-definition/web:2`);
  assert.deepEqual(updated.deploymentConfiguration, { minimumHealthyPercent: 100, maximumPercent: 150, deploymentCircuitBreaker: { enable: false, rollback: false } });
  assert.equal(updated.healthCheckGracePeriodSeconds, 30);
  assert.equal(s.model.effective.services[0]!.desiredCount, 3);
  await s.call('DeregisterTaskDefinition', { taskDefinition: 'web:1' });
  assert.equal((await failure(s.call('UpdateService', { cluster: 'prod', service: 'api', taskDefinition: 'web:1' }))).code, 'InvalidParameterException', 'an INACTIVE revision');
  assert.equal((await failure(s.call('UpdateService', { cluster: 'prod', service: 'nope', desiredCount: 1 }))).code, 'ServiceNotFoundException');

  const refused = await failure(s.call('DeleteService', { cluster: 'prod', service: 'api' }));
  assert.equal(refused.code, 'InvalidParameterException');
  assert.match(refused.message, /^The service cannot be stopped while it is scaled above 0\./);
  assert.equal((await failure(s.call('DeleteCluster', { cluster: 'prod' }))).code, 'ClusterContainsServicesException');
  const draining = (await s.call('DeleteService', { cluster: 'prod', service: `${BASE}service/prod/api`, force: true })).service;
  assert.equal(draining.status, 'DRAINING');
  assert.equal(s.model.get('services', 'api'), undefined);
  const after = await s.call('DescribeServices', { cluster: 'prod', services: ['api', 'never'] });
  assert.equal(after.services[0].status, 'INACTIVE');
  assert.deepEqual(after.failures, [{ arn: `${BASE}service/prod/never`, reason: 'MISSING' }]);
  assert.equal((await failure(s.call('UpdateService', { cluster: 'prod', service: 'api', desiredCount: 1 }))).code, 'ServiceNotActiveException');
  assert.deepEqual((await s.call('ListServices', { cluster: 'prod' })).serviceArns, []);
  assert.equal((await s.call('DeleteCluster', { cluster: 'prod' })).cluster.status, 'INACTIVE');
  assert.equal((await failure(s.call('ListServices', { cluster: 'prod' }))).code, 'ClusterNotFoundException');
});

test('tags: on clusters, services and task definitions', async (t) => {
  const { s } = await withService();
  t.after(s.stop);
  for (const arn of [`${BASE}cluster/prod`, `${BASE}service/prod/api`, `${BASE}task-definition/web:1`]) {
    await s.call('TagResource', { resourceArn: arn, tags: [{ key: 'k', value: 'v' }] });
    assert.ok((await s.call('ListTagsForResource', { resourceArn: arn })).tags.some((x: { key: string }) => x.key === 'k'), arn);
    await s.call('UntagResource', { resourceArn: arn, tagKeys: ['k'] });
    assert.ok(!(await s.call('ListTagsForResource', { resourceArn: arn })).tags.some((x: { key: string }) => x.key === 'k'), arn);
  }
  assert.deepEqual(s.model.get('services', 'api')!.raw.tags, { env: 'prod' });
  assert.equal((await failure(s.call('TagResource', { resourceArn: `${BASE}cluster/nope`, tags: [{ key: 'k' }] }))).code, 'ClusterNotFoundException');
});

test('UpdateService to a new revision: a rolling deployment moves every task to it', async (t) => {
  const { s } = await withService();
  t.after(s.stop);
  await s.settle(6);
  await s.call('RegisterTaskDefinition', webTaskDefinition('web', 'shoal-test/hello:2'));
  await s.call('UpdateService', { cluster: 'prod', service: 'api', taskDefinition: 'web:2' });
  await s.settle(30);
  const svc = (await s.call('DescribeServices', { cluster: 'prod', services: ['api'] })).services[0];
  assert.deepEqual(svc.deployments.map((x: { status: string; taskDefinition: string; rolloutState: string }) => [x.status, x.taskDefinition, x.rolloutState]),
    [['PRIMARY', `${BASE}task-definition/web:2`, 'COMPLETED']]);
  assert.equal(svc.runningCount, 2);
  const arns: string[] = (await s.call('ListTasks', { cluster: 'prod' })).taskArns;
  const tasks = (await s.call('DescribeTasks', { cluster: 'prod', tasks: arns })).tasks;
  assert.deepEqual(tasks.map((x: { taskDefinitionArn: string }) => x.taskDefinitionArn), [`${BASE}task-definition/web:2`, `${BASE}task-definition/web:2`]);
  assert.ok(svc.events.some((e: { message: string }) => /started a deployment: .*web:1 to web:2/.test(e.message)), JSON.stringify(svc.events));
});
