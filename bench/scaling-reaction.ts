/**
 * Reaction time from a load step to new capacity serving, cold and with a
 * warm pool side by side in one run, and scaling actions during a flat load
 * (issue 4, "Benchmarks and tests": (a) and (c); (b) is scaling-latency.ts).
 *
 * Reaction: a group (min 1, max 4) with an ALBRequestCountPerTarget target
 * tracking policy under a light paced load; then a step (8 clients back to
 * back, bounded) -> ms until a request through the load balancer is answered
 * by an instance that was not in service at the step. Broken down with the
 * high alarm's history (its change to ALARM) and the first poll (50 ms) that
 * saw desired capacity > 1, and a new instance InService / healthy.
 *
 * Flat: a paced load at ~0.95 × target per target once the group has scaled
 * to 2; after settling, count launch/terminate activities for BENCH_FLAT_S s.
 *
 *   npx tsc -p . && node dist/bench/scaling-reaction.js [--write]
 * env: BENCH_SAMPLES=3, BENCH_PERIODS=10,1, BENCH_FLAT_S=60, BENCH_BOOT_S=2 (boot
 * work before the app starts, as in scaling-latency; 0 for the bare hello app),
 * BENCH_REUSE=1 (one group per kind across samples, set back to 1 in between)
 */
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import * as ops from '../src/controlplane/asg/ops.js';
import { highRule } from '../src/controlplane/scaling/owned-alarms.js';
import type { Activity } from '../src/controlplane/asg/types.js';
import { groupConfig, startAsgDaemon, waitFor, type AsgDaemon } from '../test/e2e/asg-support.js';
import { freePort } from '../test/support/backends.js';
import { healthyTargets, pct, s1, settled } from './lib/asg-rig.js';
import { closedLoad, pacedLoad, type Load } from './lib/load.js';
import { writeSection } from './lib/results-file.js';
import { repoRoot } from './lib/render.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 3);
const BOOT_S = Number(process.env.BENCH_BOOT_S ?? 2);
const PERIODS = (process.env.BENCH_PERIODS ?? '10,1').split(',').map(Number);
const FLAT_S = Number(process.env.BENCH_FLAT_S ?? 60);
/** BENCH_REUSE=1: one group per kind and period, set back to 1 between samples (how issue 4's warm-pool bug showed). */
const REUSE = process.env.BENCH_REUSE === '1';
const TARGET = 600; // requests per target per minute
const LIGHT_RPS = 2; // 120/min: a fifth of the target
const STEP = { concurrency: 8, maxMs: 90_000 };
const HIGH = 'TargetTracking-app-track-AlarmHigh';

const flatWarmupS = (period: number) => 3 * period + 5;

interface Rig { name: string; s: AsgDaemon; lbPort: number; warm: boolean; light?: Load }
const rigs: Rig[] = [];

/**
 * warmupS: 3 s for the reaction rigs (the instance left after a reset must be
 * past its warmup, or the policy has no warmed instance to scale on); the flat
 * rig's covers the high alarm's 3-period window, so a scale-out is not
 * repeated on datapoints from before it.
 */
async function rig(name: string, o: { warm: boolean; period: number; warmupS: number }): Promise<Rig> {
  const lbPort = await freePort();
  const appPort = await freePort();
  const pool = o.warm ? '    warmPool: { minSize: 1, maxGroupPreparedCapacity: 2, poolState: Stopped }\n' : '';
  const extra = `    defaultInstanceWarmup: ${o.warmupS}
    scalingPolicies:
      - name: track
        policyType: TargetTrackingScaling
        targetTrackingConfiguration: { predefinedMetricType: ALBRequestCountPerTarget, resourceLabel: web/app, targetValue: ${TARGET}, period: ${o.period} }
${pool}`;
  const userData = `#!/bin/sh\n${BOOT_S > 0 ? `sleep ${BOOT_S}\n` : ''}exec node server.js\n`;
  const s = await startAsgDaemon(groupConfig({ lbPort, appPort, min: 1, max: 4, desired: 1, zones: ['zone-a'], delay: 1, grace: 5 + BOOT_S, userData, extra }));
  const r: Rig = { name, s, lbPort, warm: o.warm };
  rigs.push(r);
  return r;
}

const highState = (r: Rig) => r.s.daemon.control.scalingService!.alarms.status(HIGH);
const live = (r: Rig) => r.s.asg.group('app')!.state.instances.filter((x) => !x.lifecycleState.startsWith('Warmed:'));
function activities(r: Rig): Activity[] {
  const seen = new Map<string, Activity>();
  for (const a of r.s.asg.activities.list(r.s.asg.group('app')!.state, 500)) if (!seen.has(a.ActivityId)) seen.set(a.ActivityId, a);
  return [...seen.values()];
}

/** What a group that did not settle looks like: its instances, its target group, its latest activities. */
function stuck(r: Rig): string {
  const g = r.s.asg.group('app')!.state;
  const instances = g.instances.map((x) => `${x.instanceId} ${x.lifecycleState} ${x.healthStatus} ${x.target ? `${x.target.id}:${x.target.port}` : '-'}${x.registered ? ' registered' : ''}`);
  const targets = (r.s.daemon.control.describeTargetHealth('app') ?? []).map((h) => `${h.target.id}:${h.target.port} ${h.targetHealth.state}`);
  const recent = activities(r).slice(0, 12).map((a) => `${a.StartTime} ${a.Description} (${a.StatusCode}${a.StatusMessage ? `: ${a.StatusMessage}` : ''})`);
  return `desired ${g.desiredCapacity}; instances: ${instances.join(', ')}; targets: ${targets.join(', ') || 'none'}; activities: ${recent.join('; ')}`;
}

/** Light load on, one instance serving, high alarm not in ALARM, (warm) a frozen pool member. */
async function ready(r: Rig): Promise<void> {
  r.light ??= pacedLoad({ port: r.lbPort, rps: LIGHT_RPS, maxMs: 30 * 60_000 });
  await waitFor(`${r.name}: high alarm not in ALARM`, () => highState(r)?.state !== 'ALARM' || undefined, 120_000);
  if (r.s.asg.group('app')!.state.desiredCapacity !== 1) ops.setDesiredCapacity(r.s.asg, 'app', 1);
  await settled(r).catch((err: unknown) => { throw new Error(`${String(err)}; ${stuck(r)}`); });
  await waitFor(`${r.name}: high alarm evaluated OK`, () => highState(r)?.state === 'OK' || undefined, 120_000);
  await delay(3_500); // the instance left is past its 3 s warmup, as in a steady state
}

interface Sample { served: number; alarm?: number; desired?: number; inService?: number; healthy?: number }

async function step(r: Rig): Promise<Sample> {
  await ready(r);
  const before = new Set(live(r).map((x) => x.instanceId));
  const t0 = Date.now();
  let served: number | undefined;
  const load = closedLoad({ port: r.lbPort, ...STEP, onServed: (id) => { if (served === undefined && !before.has(id)) served = Date.now(); } });
  const x: Partial<Sample> = {};
  try {
    await waitFor('a new instance serving', () => {
      const now = Date.now();
      if (x.desired === undefined && r.s.asg.group('app')!.state.desiredCapacity > 1) x.desired = now - t0;
      const fresh = live(r).filter((i) => !before.has(i.instanceId));
      if (x.inService === undefined && fresh.some((i) => i.lifecycleState === 'InService')) x.inService = now - t0;
      const targets = new Set(healthyTargets(r.s).map((h) => `${h.target.id}:${h.target.port}`));
      if (x.healthy === undefined && fresh.some((i) => i.target && targets.has(`${i.target.id}:${i.target.port}`))) x.healthy = now - t0;
      return served;
    }, STEP.maxMs);
  } finally {
    await load.stop();
  }
  const toAlarm = (r.s.daemon.control.scalingService!.alarms.alarmHistory(HIGH, 50) as { Timestamp: string; HistorySummary: string }[])
    .map((e) => ({ at: Date.parse(e.Timestamp), summary: e.HistorySummary }))
    .filter((e) => e.at >= t0 && / to ALARM$/.test(e.summary));
  if (toAlarm.length) x.alarm = Math.min(...toAlarm.map((e) => e.at)) - t0;
  return { ...x, served: served! - t0 };
}

interface Flat { actions: Activity[]; settling: number; desired: number; settleMs: number; ok: number; failed: number; rps: number }

/** Paced load at 1.9 × target: one instance scales to 2 (0.95 × target each), then count actions. */
async function flat(period: number): Promise<Flat> {
  const r = await rig(`flat ${period} s`, { warm: false, period, warmupS: flatWarmupS(period) });
  await settled(r);
  const rps = (1.9 * TARGET) / 60;
  const t0 = Date.now();
  const load = pacedLoad({ port: r.lbPort, rps, maxMs: 10 * 60_000 });
  try {
    await waitFor('scaled to 2 and healthy', () => r.s.asg.group('app')!.state.desiredCapacity === 2 && healthyTargets(r.s).length === 2 || undefined, 180_000);
    await delay(flatWarmupS(period) * 1000 + 5_000); // the new instance's warmup, which covers a full high-alarm window at 2 instances
    const from = Date.now();
    await delay(FLAT_S * 1000);
    const all = activities(r).filter((a) => /^(Launching|Terminating)/.test(a.Description) && Date.parse(a.StartTime) >= t0);
    const actions = all.filter((a) => Date.parse(a.StartTime) >= from);
    const res = await load.stop();
    return { actions, settling: all.length - actions.length, desired: r.s.asg.group('app')!.state.desiredCapacity, settleMs: from - t0, ...res, rps };
  } finally {
    await load.stop();
  }
}

const cell = (xs: (number | undefined)[]) => {
  const v = xs.filter((n): n is number => n !== undefined);
  return v.length ? s1(pct(v, 50)) : '—';
};

async function main(): Promise<void> {
  const lines: string[] = [];
  const headline: string[] = [];
  for (const period of PERIODS) {
    // A fresh pair of rigs per sample, unless BENCH_REUSE=1: then one per kind, set back to 1 between samples.
    const kinds = [{ name: `cold, ${period} s periods`, warm: false }, { name: `warm pool (Stopped), ${period} s periods`, warm: true }];
    const got = new Map<string, Sample[]>(kinds.map((k) => [k.name, []]));
    const kept = new Map<string, Rig>();
    for (let i = 0; i < SAMPLES; i++) {
      for (const k of kinds) {
        const r = kept.get(k.name) ?? await rig(k.name, { warm: k.warm, period, warmupS: 3 });
        const x = await step(r);
        if (REUSE && i < SAMPLES - 1) kept.set(k.name, r);
        else {
          await r.light?.stop();
          await r.s.destroy();
          rigs.splice(rigs.indexOf(r), 1);
        }
        got.get(k.name)!.push(x);
        process.stdout.write(`sample ${i + 1}/${SAMPLES} ${k.name}: ${s1(x.served)} s ${JSON.stringify(x)}\n`);
      }
    }
    for (const k of kinds) {
      const xs = got.get(k.name)!;
      lines.push(`| ${k.name} | ${xs.length} | **${cell(xs.map((x) => x.served))}** | ${xs.map((x) => s1(x.served)).join(', ')} | ${cell(xs.map((x) => x.alarm))} | ${cell(xs.map((x) => x.desired))} | ${cell(xs.map((x) => x.inService))} | ${cell(xs.map((x) => x.healthy))} |`);
    }
    const [c, w] = kinds.map((k) => pct(got.get(k.name)!.map((x) => x.served), 50));
    headline.push(`- ${period} s periods: warm ÷ cold (median) **${(w! / c!).toFixed(2)}×** (${s1(c! - w!)} s faster)`);
  }
  const f = await flat(10);
  const body = [
    `### Scaling reaction — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- machine: ${os.cpus().length} CPU(s), ${os.cpus()[0]?.model ?? '?'}, load average ${os.loadavg()[0]!.toFixed(2)} at end; node ${process.version}`,
    `- command: \`BENCH_SAMPLES=${SAMPLES} BENCH_BOOT_S=${BOOT_S} BENCH_PERIODS=${PERIODS.join(',')} BENCH_FLAT_S=${FLAT_S} node dist/bench/scaling-reaction.js --write\``,
    `- group: examples/hello with ${BOOT_S} s of boot work (\`sleep ${BOOT_S}\` before \`exec node server.js\`), min 1 max 4, one zone, defaultInstanceWarmup 3 s; target tracking ALBRequestCountPerTarget, target ${TARGET}/min per target, alarm High above target for ${PERIODS.map((p) => `${highRule(p).datapointsToAlarm} of ${highRule(p).evaluationPeriods} at ${p} s`).join(', ')} (a request Sum can alarm before its period ends); warm pool minSize 1, Stopped; health checks every 5 s (healthy at the first pass after registration); daemon pass 250 ms`,
    `- reaction: light paced load (${LIGHT_RPS} req/s) until the high alarm is OK, then a step of ${STEP.concurrency} clients back to back (bounded ${STEP.maxMs / 1000} s) -> seconds until a request through the LB is answered by an instance that was not in service at the step (hello's x-instance-id); ${REUSE ? 'one group per kind across samples, set back to 1 in between (BENCH_REUSE=1)' : 'each sample on a fresh group (daemon, 1 instance, and the pool member when warm)'}, samples alternate cold/warm; the breakdown columns are medians of: the high alarm's first change to ALARM in its history (ms timestamps), then the first 50 ms poll that saw desired capacity > 1 / a new instance InService / healthy in its target group (activity StartTimes have 1 s resolution, so they are not used)`,
    '',
    '| group | samples | step → new instance serving, median s | samples s | → alarm ALARM | → desired changed | → InService | → healthy |',
    '|---|---|---|---|---|---|---|---|',
    ...lines,
    '',
    ...headline,
    `- flat load (10 s periods): ${f.rps.toFixed(1)} req/s paced (1.9 × target for one instance) -> scaled 1 -> 2 (0.95 × target per target), settled ${s1(f.settleMs)} s after the load started (${f.settling} launch/terminate activities while settling, defaultInstanceWarmup ${flatWarmupS(10)} s); then over ${FLAT_S} s: **${f.actions.length}** scaling activities (launch/terminate)${f.actions.length ? ` (${f.actions.slice(0, 3).map((a) => a.Description).join('; ')})` : ''}; desired at end ${f.desired}; ${f.ok} ok, ${f.failed} failed requests`,
  ].join('\n');
  process.stdout.write(`\n${body}\n`);
  if (process.argv.includes('--write')) writeSection(path.join(repoRoot, 'bench', 'RESULTS.md'), `scaling-reaction-${os.cpus().length}cpu`, body);
}

async function cleanup(): Promise<void> {
  for (const r of rigs.splice(0)) { await r.light?.stop().catch(() => undefined); await r.s.destroy().catch((e: unknown) => console.error(e)); }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void cleanup().finally(() => process.exit(130)));

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
}).finally(cleanup);
