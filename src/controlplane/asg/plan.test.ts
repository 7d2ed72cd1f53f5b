/** plan(desired, observed, now) as tables: the world in, the actions (kind + instance or zone) out. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { plan } from './plan.js';
import { brief, inst, T0, world, type World } from './testing.js';

const a1 = inst({ instanceId: 'i-0a1', availabilityZone: 'a' });
const b1 = inst({ instanceId: 'i-0b1', availabilityZone: 'b' });
const a2 = inst({ instanceId: 'i-0a2', availabilityZone: 'a', launchedAt: T0 - 60_000 });
const fresh = (o = {}) => inst({ instanceId: 'i-0new', availabilityZone: 'a', launchedAt: T0 - 5_000, proven: false, lifecycleState: 'Pending', registered: false, ...o });

interface Case { name: string; w: World; want: string[]; now?: number }

function table(name: string, cases: Case[]): void {
  describe(name, () => {
    for (const c of cases) {
      it(c.name, () => {
        const { d, o } = world(c.w);
        assert.deepEqual(brief(plan(d, o, c.now ?? T0)), c.want);
      });
    }
  });
}

table('capacity', [
  { name: 'at desired: nothing', w: { instances: [a1, b1] }, want: [] },
  { name: 'empty group launches desired, spread over zones', w: { instances: [], state: { desiredCapacity: 3 } }, want: ['launch a', 'launch b', 'launch a'] },
  { name: 'one short launches in the short zone', w: { instances: [a1] }, want: ['launch b'] },
  { name: 'a launch in flight counts: no second launch', w: { instances: [a1, fresh({ availabilityZone: 'b', launched: false })], busy: ['i-0new'] }, want: [] },
  { name: 'over desired terminates from the long zone', w: { instances: [a1, a2, b1] }, want: ['startTerminate i-0a1'] },
  { name: 'scale-in skips protected instances', w: { instances: [{ ...a1, protectedFromScaleIn: true }, a2, b1] }, want: ['startTerminate i-0a2'] },
  { name: 'Launch suspended: no launch', w: { instances: [a1], state: { suspended: ['Launch'] } }, want: [] },
  { name: 'Terminate suspended: no scale-in', w: { instances: [a1, a2, b1], state: { suspended: ['Terminate'] } }, want: [] },
  { name: 'launches paused by the back-off', w: { instances: [a1], state: { backoff: { failures: 3, until: T0 + 1 } } }, want: [] },
  { name: 'back-off over: launches again', w: { instances: [a1], state: { backoff: { failures: 3, until: T0 } } }, want: ['launch b'] },
  { name: 'Standby instances do not count', w: { instances: [a1, { ...b1, lifecycleState: 'Standby', registered: false }] }, want: ['launch b'] },
  { name: 'AZRebalance: launch in the short zone first', w: { instances: [a1, a2], state: { desiredCapacity: 2 } }, want: ['launch b'] },
  { name: 'AZRebalance waits while an instance is Pending', w: { instances: [a1, a2, fresh({ availabilityZone: 'a' })], state: { desiredCapacity: 3 } }, want: ['putInService i-0new'] },
  { name: 'AZRebalance when two short', w: { instances: [a1, a2, inst({ instanceId: 'i-0a3' })], state: { desiredCapacity: 3 } }, want: ['launch b'] },
  { name: 'an impaired zone: launches go to the other zones', w: { instances: [], state: { desiredCapacity: 3 }, impaired: { b: 'engine down' } }, want: ['launch a', 'launch a', 'launch a'] },
  { name: 'an impaired zone: its replacement launches elsewhere', w: { instances: [a1], impaired: { b: 'engine down' } }, want: ['launch a'] },
  { name: 'every zone impaired: no launch', w: { instances: [], impaired: { a: 'down', b: 'down' } }, want: [] },
  { name: 'AZRebalance waits while a zone is impaired', w: { instances: [a1, a2, inst({ instanceId: 'i-0a3' })], state: { desiredCapacity: 3 }, impaired: { b: 'engine down' } }, want: [] },
  { name: 'a zone back from impairment: AZRebalance launches there', w: { instances: [a1, a2, inst({ instanceId: 'i-0a3' })], state: { desiredCapacity: 3 }, impaired: {} }, want: ['launch b'] },
  { name: 'AZRebalance suspended', w: { instances: [a1, a2, inst({ instanceId: 'i-0a3' })], state: { desiredCapacity: 3, suspended: ['AZRebalance'] } }, want: [] },
]);

table('health and replacement', [
  { name: 'a stopped instance is replaced at once, even in its grace period (terminate, then launch)',
    w: { instances: [a1, { ...b1, launchedAt: T0 - 1000 }], obs: { 'i-0b1': { state: 'stopped', impairedReason: 'killed by SIGKILL' } } },
    want: ['markUnhealthy i-0b1', 'startTerminate i-0b1', 'launch b'] },
  { name: 'an instance the provider lost is replaced', w: { instances: [a1, b1], obs: { 'i-0b1': 'missing' } },
    want: ['markUnhealthy i-0b1', 'startTerminate i-0b1', 'launch b'] },
  { name: 'ELB unhealthy after the grace period is replaced', w: { instances: [a1, b1], targets: { 'i-0b1': 'unhealthy' } },
    want: ['markUnhealthy i-0b1', 'startTerminate i-0b1', 'launch b'] },
  { name: 'ELB unhealthy inside the grace period waits', w: { instances: [a1, { ...b1, launchedAt: T0 - 10_000 }], targets: { 'i-0b1': 'unhealthy' } }, want: [] },
  { name: 'ELB initial is not unhealthy', w: { instances: [a1, b1], targets: { 'i-0b1': 'initial' } }, want: [] },
  { name: 'EC2 health type ignores target health', w: { spec: { healthCheckType: 'EC2' }, instances: [a1, b1], targets: { 'i-0b1': 'unhealthy' } }, want: [] },
  { name: 'an impaired running instance fails the EC2 check after grace', w: { instances: [a1, b1], obs: { 'i-0b1': { impairedReason: 'memory over limit' } } },
    want: ['markUnhealthy i-0b1', 'startTerminate i-0b1', 'launch b'] },
  { name: 'HealthCheck suspended: no verdicts', w: { instances: [a1, b1], obs: { 'i-0b1': { state: 'stopped' } }, state: { suspended: ['HealthCheck'] } }, want: [] },
  { name: 'ReplaceUnhealthy suspended: marked but kept, and not counted',
    w: { instances: [a1, b1], obs: { 'i-0b1': { state: 'stopped' } }, state: { suspended: ['ReplaceUnhealthy'] } }, want: ['markUnhealthy i-0b1', 'launch b'] },
  { name: 'a new instance failing boot counts toward the back-off (first failure: relaunch at once)',
    w: { instances: [a1, fresh({ availabilityZone: 'b' })], obs: { 'i-0new': { state: 'stopped', bootStatus: 'failed', impairedReason: 'Boot script exited with status 3' } } },
    want: ['markUnhealthy i-0new', 'setBackoff', 'startTerminate i-0new', 'launch b'] },
  { name: 'a second failure in a row pauses launches',
    w: { instances: [a1, fresh({ availabilityZone: 'b' })], state: { backoff: { failures: 1 } }, obs: { 'i-0new': { state: 'stopped', bootStatus: 'failed' } } },
    want: ['markUnhealthy i-0new', 'setBackoff', 'startTerminate i-0new'] },
  { name: 'an instance healthy in all target groups is proven (resets the back-off)',
    w: { instances: [a1, fresh({ availabilityZone: 'b', registered: true, lifecycleState: 'InService' })], state: { backoff: { failures: 2 } } },
    want: ['markProven i-0new', 'setBackoff'] },
]);

table('lifecycle', [
  { name: 'a Pending running instance is registered and put in service', w: { instances: [a1, fresh({ availabilityZone: 'b' })] }, want: ['putInService i-0new'] },
  { name: 'a Pending instance still booting in the provider waits', w: { instances: [a1, fresh({ availabilityZone: 'b' })], obs: { 'i-0new': { state: 'pending' } } }, want: [] },
  { name: 'a launch hook puts it in Pending:Wait',
    w: { spec: { hooks: [{ name: 'warm', transition: 'autoscaling:EC2_INSTANCE_LAUNCHING', heartbeatTimeout: 60, defaultResult: 'ABANDON' }] }, instances: [a1, fresh({ availabilityZone: 'b' })] },
    want: ['wait i-0new'] },
  { name: 'a wait past its heartbeat timeout ends with the default result',
    w: { instances: [a1, fresh({ availabilityZone: 'b', lifecycleState: 'Pending:Wait', wait: { hook: 'warm', transition: 'autoscaling:EC2_INSTANCE_LAUNCHING', token: 't', deadline: T0, heartbeatTimeout: 60, defaultResult: 'ABANDON', done: [] } })] },
    want: ['hookDone i-0new'] },
  { name: 'a terminating instance waits for its drain', w: { instances: [a1, b1, { ...a2, lifecycleState: 'Terminating', registered: false, terminating: { cause: 'c', activityId: 'x', since: T0, drainDeadline: T0 + 10_000 } }], draining: ['i-0a2'] }, want: [] },
  { name: 'drained: stop it', w: { instances: [a1, b1, { ...a2, lifecycleState: 'Terminating', registered: false, terminating: { cause: 'c', activityId: 'x', since: T0, drainDeadline: T0 + 10_000 } }] }, want: ['stop i-0a2'] },
  { name: 'the deregistration delay ran out: stop it anyway', now: T0 + 10_000,
    w: { instances: [a1, b1, { ...a2, lifecycleState: 'Terminating', registered: false, terminating: { cause: 'c', activityId: 'x', since: T0, drainDeadline: T0 + 10_000 } }], draining: ['i-0a2'] }, want: ['stop i-0a2'] },
  { name: 'a stop in flight is left alone', w: { instances: [a1, b1, { ...a2, lifecycleState: 'Terminating', terminating: { cause: 'c', activityId: 'x', since: T0, stopping: true } }], busy: ['i-0a2'] }, want: [] },
  { name: 'after a restart, a record whose launch never reached the provider is forgotten (the next pass relaunches)',
    w: { instances: [a1, fresh({ availabilityZone: 'b', launched: false })] }, want: ['forget i-0new'] },
  { name: 'AddToLoadBalancer resumed: InService instances get registered', w: { instances: [a1, { ...b1, registered: false }] }, want: ['register i-0b1'] },
  { name: 'AddToLoadBalancer suspended: in service without registration',
    w: { instances: [a1, fresh({ availabilityZone: 'b' })], state: { suspended: ['AddToLoadBalancer'] } }, want: ['putInService i-0new'] },
]);
