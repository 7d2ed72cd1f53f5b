import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEmpty } from './ignored.js';
import { revisionOf } from './task-definition-input.js';

const container = { name: 'app', image: 'nginx:1', portMappings: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }] };

test('isEmpty: what clients send for members they do not use', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['an empty list', [], true],
    ['false', false, true],
    ['an empty string', '', true],
    ['a structure of empties', { options: {}, secretOptions: [] }, true],
    ['a non-empty list', [{ sourceVolume: 'data' }], false],
    ['true', true, false],
    ['zero is a value', 0, false],
    ['a structure with a value', { logDriver: 'awslogs' }, false],
  ];
  for (const [what, v, want] of cases) assert.equal(isEmpty(v), want, what);
});

test('revisionOf: ECS input to a revision of the config\'s taskDefinitions[]', async (t) => {
  const cases: Array<{ what: string; input: Record<string, unknown>; want?: Record<string, unknown>; refused?: RegExp }> = [
    {
      what: 'supported members are copied, family and tags left to the record',
      input: { family: 'web', containerDefinitions: [container], networkMode: 'bridge', cpu: '256', memory: '0.5 GB', requiresCompatibilities: ['EC2'], tags: [{ key: 'a', value: 'b' }] },
      want: { containerDefinitions: [container], networkMode: 'bridge', cpu: '256', memory: '0.5 GB', requiresCompatibilities: ['EC2'] },
    },
    {
      what: 'empty members a describe-task-definition output carries are dropped',
      input: { family: 'web', volumes: [], placementConstraints: [], containerDefinitions: [{ ...container, mountPoints: [], volumesFrom: [], secrets: [], privileged: false, ulimits: [] }] },
      want: { containerDefinitions: [container] },
    },
    {
      what: 'IAM roles are dropped whatever they name',
      input: { family: 'web', executionRoleArn: 'arn:aws:iam::1:role/ecsTaskExecutionRole', taskRoleArn: 'arn:aws:iam::1:role/app', containerDefinitions: [container] },
      want: { containerDefinitions: [container] },
    },
    {
      what: 'a log configuration is refused, naming the container and the member',
      input: { family: 'web', containerDefinitions: [{ ...container, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g' } } }] },
      refused: /containerDefinitions\[0\] \(app\): shoal does not support 'logConfiguration'/,
    },
    {
      what: 'a task-level member with a value is refused',
      input: { family: 'web', containerDefinitions: [container], volumes: [{ name: 'data' }] },
      refused: /RegisterTaskDefinition: shoal does not support 'volumes'/,
    },
    {
      what: 'a port range is refused at its port mapping',
      input: { family: 'web', containerDefinitions: [{ ...container, portMappings: [{ containerPortRange: '8000-8010' }] }] },
      refused: /portMappings\[0\]: shoal does not support 'containerPortRange'/,
    },
  ];
  for (const c of cases) {
    await t.test(c.what, () => {
      if (c.refused) {
        assert.throws(() => revisionOf(c.input), (e: { code: string; message: string }) => e.code === 'ClientException' && c.refused!.test(e.message));
      } else {
        assert.deepEqual(revisionOf(c.input), c.want);
      }
    });
  }
});
