import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failure, setup, webTaskDefinition } from './testing.js';

const ARN = 'arn:aws:ecs:eu-west-3:000000000000:task-definition';

test('task definitions: register appends revisions, describe by family, family:rev or ARN, deregister, list', async (t) => {
  const s = await setup();
  t.after(s.stop);
  const first = (await s.call('RegisterTaskDefinition', { ...webTaskDefinition(), tags: [{ key: 'team', value: 'a' }] })).taskDefinition;
  assert.equal(first.taskDefinitionArn, `${ARN}/web:1`);
  assert.equal(first.revision, 1);
  assert.equal(first.cpu, '256');
  assert.deepEqual(first.containerDefinitions[0].portMappings, [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }], 'bridge mode: a dynamic host port');
  assert.deepEqual(first.registeredAt, new Date(s.clock.now()));
  s.clock.advance(5000);
  const second = (await s.call('RegisterTaskDefinition', webTaskDefinition('web', 'shoal-test/hello:2'))).taskDefinition;
  assert.equal(second.revision, 2);
  assert.deepEqual(second.registeredAt, new Date(s.clock.now()));

  assert.equal((await s.call('DescribeTaskDefinition', { taskDefinition: 'web' })).taskDefinition.revision, 2, 'a family alone: its latest ACTIVE revision');
  assert.equal((await s.call('DescribeTaskDefinition', { taskDefinition: 'web:1' })).taskDefinition.containerDefinitions[0].image, 'shoal-test/hello:1');
  const byArn = await s.call('DescribeTaskDefinition', { taskDefinition: `${ARN}/web:1`, include: ['TAGS'] });
  assert.deepEqual(byArn.tags, [{ key: 'team', value: 'a' }]);
  assert.equal((await failure(s.call('DescribeTaskDefinition', { taskDefinition: 'web:9' }))).code, 'ClientException');
  assert.equal((await failure(s.call('DescribeTaskDefinition', { taskDefinition: 'nope' }))).code, 'ClientException');

  const gone = (await s.call('DeregisterTaskDefinition', { taskDefinition: 'web:2' })).taskDefinition;
  assert.equal(gone.status, 'INACTIVE');
  assert.equal((await s.call('DescribeTaskDefinition', { taskDefinition: 'web' })).taskDefinition.revision, 1, 'the family now means revision 1');
  assert.equal((await failure(s.call('DeregisterTaskDefinition', { taskDefinition: 'web' }))).code, 'ClientException', 'the revision must be named');

  assert.deepEqual((await s.call('ListTaskDefinitions', {})).taskDefinitionArns, [`${ARN}/filetd:1`, `${ARN}/web:1`]);
  assert.deepEqual((await s.call('ListTaskDefinitions', { status: 'INACTIVE' })).taskDefinitionArns, [`${ARN}/web:2`]);
  assert.deepEqual((await s.call('ListTaskDefinitions', { familyPrefix: 'we', sort: 'DESC' })).taskDefinitionArns, [`${ARN}/web:1`]);
  const page = await s.call('ListTaskDefinitions', { maxResults: 1 });
  assert.equal(page.taskDefinitionArns.length, 1);
  assert.deepEqual((await s.call('ListTaskDefinitions', { maxResults: 1, nextToken: page.nextToken })).taskDefinitionArns, [`${ARN}/web:1`]);
  assert.equal((await failure(s.call('ListTaskDefinitions', { nextToken: 'garbage' }))).code, 'InvalidParameterException');
  assert.deepEqual((await s.call('ListTaskDefinitionFamilies', {})).families, ['filetd', 'web']);
  assert.deepEqual((await s.call('ListTaskDefinitionFamilies', { status: 'INACTIVE' })).families, []);
});

test('task definitions: the config\'s rules answer InvalidParameterException, file-owned families ResourceOwnedByFile', async (t) => {
  const s = await setup();
  t.after(s.stop);
  const two = { ...webTaskDefinition(), containerDefinitions: [...webTaskDefinition().containerDefinitions, { name: 'side', image: 'busybox:1' }] };
  const e = await failure(s.call('RegisterTaskDefinition', two));
  assert.equal(e.code, 'InvalidParameterException');
  assert.match(e.message, /one container per task/);
  const mode = await failure(s.call('RegisterTaskDefinition', { ...webTaskDefinition(), networkMode: 'none' }));
  assert.equal(mode.code, 'InvalidParameterException');
  assert.match(mode.message, /networkMode/);
  assert.equal((await failure(s.call('RegisterTaskDefinition', webTaskDefinition('filetd')))).code, 'ResourceOwnedByFile');
  assert.equal(s.model.get('taskDefinitions', 'web'), undefined, 'nothing was written');
});
