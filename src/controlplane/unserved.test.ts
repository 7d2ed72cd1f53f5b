import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AutoScalingService } from './asg/service.js';
import type { GroupController } from './asg/group.js';
import { reasonsKey, unservedReasons } from './unserved.js';
import type { TargetHealthState } from '../model/target-group.js';

const NOW = 1_700_000_000_000;

/** Just what unservedReason reads of a group. */
function group(name: string, state: Record<string, unknown>): GroupController {
  return {
    spec: { name, targetGroups: ['app'] },
    state: { backoff: { failures: 0 }, suspended: [], desiredCapacity: 1, instances: [], minSize: 0, maxSize: 2, ...state },
    deleting: false,
  } as unknown as GroupController;
}

function reasons(states: TargetHealthState[], groups: GroupController[] = []): string | undefined {
  const asg = { groups: new Map(groups.map((g) => [g.spec.name, g])) } as unknown as AutoScalingService;
  return unservedReasons({ groups: ['app'], states: () => states, asg, now: NOW }).get('app');
}

const cases: Array<{ desc: string; states: TargetHealthState[]; groups?: GroupController[]; want: string | RegExp | undefined }> = [
  { desc: 'a target that can serve: no reason', states: ['unhealthy'], want: undefined },
  { desc: 'nothing registered, no group', states: [], want: 'target group app has no registered targets' },
  { desc: 'all draining', states: ['draining', 'draining'], want: 'every target of target group app is draining' },
  {
    desc: 'launches paused: the back-off message with the boot log command',
    states: [],
    groups: [group('web', { backoff: { failures: 3, until: NOW + 40_000, lastReason: 'Boot script exited with status 3', lastInstanceId: 'i-0abc', bootFailure: true } })],
    want: /^Auto Scaling group web: Launches paused until \d\d:\d\d:\d\dZ: the last 3 instances failed to boot \(Boot script exited with status 3\); see shoal logs i-0abc --boot$/,
  },
  { desc: 'desired capacity 0', states: [], groups: [group('web', { desiredCapacity: 0 })], want: 'Auto Scaling group web has a desired capacity of 0' },
  { desc: 'Launch suspended', states: [], groups: [group('web', { suspended: ['Launch'] })], want: /Launch process is suspended/ },
  {
    desc: 'an instance still booting',
    states: [],
    groups: [group('web', { instances: [{ instanceId: 'i-0b', lifecycleState: 'Pending' }] })],
    want: 'Auto Scaling group web: 1 instance(s) still launching (i-0b is Pending; see shoal logs i-0b --boot)',
  },
];

for (const c of cases) {
  test(`unservedReasons: ${c.desc}`, () => {
    const got = reasons(c.states, c.groups);
    if (c.want instanceof RegExp) assert.match(got ?? '', c.want);
    else assert.equal(got, c.want);
  });
}

test('reasonsKey changes when a reason does', () => {
  assert.notEqual(reasonsKey(new Map([['a', 'x']])), reasonsKey(new Map([['a', 'y']])));
  assert.equal(reasonsKey(new Map()), '');
});
