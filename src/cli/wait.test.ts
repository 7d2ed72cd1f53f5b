import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import { healthVerdict, inServiceVerdict, refreshVerdict, waitWithProgress, type Verdict } from './wait.js';

const td = (state: string) => ({ target: { id: '127.0.0.1', port: 1 }, healthCheckPort: '1', targetHealth: { state } }) as never;

test('health: every registered target (at least one) or --count', () => {
  assert.deepEqual(healthVerdict('app', []), { done: false, line: 'app: 0/1 healthy' });
  assert.deepEqual(healthVerdict('app', [td('healthy'), td('initial'), td('initial')]), { done: false, line: 'app: 1/3 healthy (2 initial)' });
  assert.equal(healthVerdict('app', [td('healthy'), td('initial')], 1).done, true);
});

test('in-service: desired capacity InService and healthy', () => {
  const g = { DesiredCapacity: 2, Instances: [{ LifecycleState: 'InService', HealthStatus: 'Healthy' }, { LifecycleState: 'Pending', HealthStatus: 'Healthy' }] };
  assert.deepEqual(inServiceVerdict('web', g), { done: false, line: 'web: 1/2 InService and healthy (1 Pending)' });
  g.Instances[1]!.LifecycleState = 'InService';
  assert.equal(inServiceVerdict('web', g).done, true);
});

test('refresh: the newest one decides; a failed one stops the wait', () => {
  const old = { InstanceRefreshId: 'r1', Status: 'Failed', StartTime: '2026-01-01T00:00:00Z' };
  const now = { InstanceRefreshId: 'r2', Status: 'InProgress', PercentageComplete: 50, InstancesToUpdate: 1, StartTime: '2026-01-02T00:00:00Z' };
  assert.deepEqual(refreshVerdict('web', [old, now]), { done: false, line: 'web: refresh r2 InProgress 50%, 1 to update' });
  assert.equal(refreshVerdict('web', [{ ...now, Status: 'Successful', PercentageComplete: 100 }]).done, true);
  assert.match(refreshVerdict('web', [{ ...now, Status: 'Cancelled' }]).failed ?? '', /Cancelled/);
});

async function drive(verdicts: Verdict[], tty: boolean, timeoutMs = 60_000): Promise<{ out: string; result: Promise<Verdict> }> {
  const clock = new ManualClock(0);
  let out = '';
  let i = 0;
  const result = waitWithProgress({ poll: async () => verdicts[Math.min(i++, verdicts.length - 1)]!, clock, write: (t) => (out += t), tty, timeoutMs });
  result.catch(() => {});
  for (let k = 0; k < verdicts.length + 2; k++) {
    await new Promise((r) => setImmediate(r));
    clock.advance(500);
  }
  return { out, result };
}

test('progress: plain lines when the state changes, off a terminal', async () => {
  const v = (line: string, done = false): Verdict => ({ done, line });
  const { out, result } = await drive([v('a: 0/2'), v('a: 0/2'), v('a: 1/2'), v('a: 2/2', true)], false);
  assert.equal((await result).line, 'a: 2/2');
  assert.equal(out, 'a: 0/2\na: 1/2\na: 2/2\n');
});

test('progress: one line redrawn on a terminal; a timeout says the last state', async () => {
  const { out, result } = await drive([{ done: false, line: 'a: 0/1' }], true, 1000);
  await assert.rejects(result, /WaiterTimeout|gave up after 1 s: a: 0\/1/);
  assert.match(out, /^\r\x1b\[2K⠋ a: 0\/1\r\x1b\[2K⠙ a: 0\/1/);
});
