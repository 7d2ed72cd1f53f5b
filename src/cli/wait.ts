/**
 * `shoal wait ...`: commands that wait, with progress. On a terminal one
 * line is redrawn in place (a spinner and the state: "2/3 healthy, 1
 * initial"); elsewhere a plain line is printed each time the state changes.
 * Exit 0 when the condition holds, 1 when it fails or the timeout passes
 * (with the last state), like the AWS CLI's waiters.
 *
 *   shoal wait healthy TG [--count N]   targets of a group pass their checks
 *   shoal wait in-service ASG           the group's desired capacity is InService and healthy
 *   shoal wait refresh ASG              the newest instance refresh ends Successful
 */
import type { Command } from 'commander';
import { holdProcess, sleep, systemClock, type Clock } from '../core/clock.js';
import { ShoalError } from '../core/errors.js';
import type { TargetHealthDescription } from '../model/target-group.js';
import { callApi, endpointOptions, resolveEndpoint, type Endpoint, type EndpointOptions } from './client.js';

export interface Verdict {
  done: boolean;
  /** Set when waiting can no longer succeed (a refresh that failed). */
  failed?: string;
  line: string;
}

export interface WaitOptions {
  poll(): Promise<Verdict>;
  clock: Clock;
  write(text: string): void;
  tty: boolean;
  timeoutMs: number;
  intervalMs?: number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Polls until done; resolves with the last verdict; throws on failure or timeout. */
export async function waitWithProgress(o: WaitOptions): Promise<Verdict> {
  const deadline = o.clock.now() + o.timeoutMs;
  let last = '';
  for (let tick = 0; ; tick++) {
    const v = await o.poll();
    if (o.tty) o.write(`\r\x1b[2K${v.done ? '✔' : v.failed ? '✖' : SPINNER[tick % SPINNER.length]} ${v.line}${v.done || v.failed ? '\n' : ''}`);
    else if (v.line !== last) o.write(`${v.line}\n`);
    last = v.line;
    if (v.done) return v;
    if (v.failed) throw new ShoalError('WaiterFailed', v.failed);
    if (o.clock.now() >= deadline) {
      if (o.tty) o.write('\n');
      throw new ShoalError('WaiterTimeout', `gave up after ${Math.round(o.timeoutMs / 1000)} s: ${v.line}`);
    }
    await sleep(o.clock, o.intervalMs ?? 500);
  }
}

/** Targets' states: done when at least `count` (default: every one, and at least one) are healthy. */
export function healthVerdict(group: string, list: TargetHealthDescription[], count?: number): Verdict {
  const by = new Map<string, number>();
  for (const d of list) by.set(d.targetHealth.state, (by.get(d.targetHealth.state) ?? 0) + 1);
  const healthy = by.get('healthy') ?? 0;
  const need = count ?? Math.max(1, list.length);
  const others = [...by].filter(([s]) => s !== 'healthy').map(([s, n]) => `${n} ${s}`);
  return { done: healthy >= need, line: `${group}: ${healthy}/${need} healthy${others.length > 0 ? ` (${others.join(', ')})` : ''}` };
}

interface GroupView { DesiredCapacity: number; Instances: Array<{ LifecycleState: string; HealthStatus: string }> }

export function inServiceVerdict(name: string, g: GroupView): Verdict {
  const ready = g.Instances.filter((i) => i.LifecycleState === 'InService' && i.HealthStatus === 'Healthy').length;
  const states = new Map<string, number>();
  for (const i of g.Instances) if (i.LifecycleState !== 'InService') states.set(i.LifecycleState, (states.get(i.LifecycleState) ?? 0) + 1);
  const rest = [...states].map(([s, n]) => `${n} ${s}`);
  return { done: ready >= g.DesiredCapacity, line: `${name}: ${ready}/${g.DesiredCapacity} InService and healthy${rest.length > 0 ? ` (${rest.join(', ')})` : ''}` };
}

interface Refresh { InstanceRefreshId: string; Status: string; StartTime?: string; PercentageComplete?: number; StatusReason?: string; InstancesToUpdate?: number }

export function refreshVerdict(name: string, refreshes: Refresh[]): Verdict {
  const r = [...refreshes].sort((a, b) => (b.StartTime ?? '').localeCompare(a.StartTime ?? ''))[0];
  if (r === undefined) return { done: false, failed: `${name} has no instance refresh`, line: `${name}: no instance refresh` };
  const line = `${name}: refresh ${r.InstanceRefreshId} ${r.Status} ${r.PercentageComplete ?? 0}%${r.InstancesToUpdate !== undefined ? `, ${r.InstancesToUpdate} to update` : ''}${r.StatusReason ? `: ${r.StatusReason}` : ''}`;
  if (r.Status === 'Successful') return { done: true, line };
  if (['Failed', 'Cancelled', 'RollbackSuccessful', 'RollbackFailed'].includes(r.Status)) return { done: false, failed: line, line };
  return { done: false, line };
}

type WaitCliOptions = EndpointOptions & { timeout: string; count?: string };

async function run(poll: (ep: Endpoint) => Promise<Verdict>, o: WaitCliOptions): Promise<void> {
  const ep = resolveEndpoint(o);
  const release = holdProcess(); // the system clock's timers do not keep the process alive
  try {
    await waitWithProgress({
      poll: () => poll(ep), clock: systemClock, write: (t) => process.stdout.write(t), tty: process.stdout.isTTY === true, timeoutMs: Number(o.timeout) * 1000,
    });
  } finally {
    release();
  }
}

export function registerWaitCommands(program: Command): void {
  const wait = program.command('wait').description('wait for a condition, showing progress (exit 1 on failure or timeout)');
  const cmd = (spec: string, what: string): Command => endpointOptions(wait.command(spec).description(what)).option('--timeout <seconds>', 'give up after this long', '300');
  const enc = encodeURIComponent;
  cmd('healthy <targetGroup>', "until the group's targets pass their health checks").option('--count <n>', 'this many healthy targets (default: all registered, at least 1)')
    .action((tg: string, o: WaitCliOptions) => run(async (ep) => {
      const r = await callApi<{ targetHealthDescriptions: TargetHealthDescription[] }>(ep, 'GET', `/_shoal/target-groups/${enc(tg)}/targets`);
      return healthVerdict(tg, r.targetHealthDescriptions, o.count === undefined ? undefined : Number(o.count));
    }, o));
  cmd('in-service <group>', "until the group's desired capacity is InService and healthy")
    .action((name: string, o: WaitCliOptions) => run(async (ep) => inServiceVerdict(name, await callApi<GroupView>(ep, 'GET', `/_shoal/auto-scaling-groups/${enc(name)}`)), o));
  cmd('refresh <group>', "until the group's newest instance refresh is Successful")
    .action((name: string, o: WaitCliOptions) => run(async (ep) => refreshVerdict(name, (await callApi<{ InstanceRefreshes: Refresh[] }>(ep, 'GET', `/_shoal/auto-scaling-groups/${enc(name)}/instance-refreshes`)).InstanceRefreshes), o));
}
