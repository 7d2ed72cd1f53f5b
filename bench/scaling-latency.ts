/**
 * Scale-out latency with and without a warm pool, side by side in one run
 * (issue 4, "Warm pools"), plus failed requests during scale-in and during a
 * full instance refresh under a steady load (goal: 0).
 *
 * Scale-out latency = from the set-desired-capacity call to the new instance
 * healthy in the target group AND a request through the load balancer served
 * by it. Samples alternate cold/warm so both see the same machine load.
 *
 *   npx tsc -p . && node dist/bench/scaling-latency.js [--write]
 * env: BENCH_SAMPLES=5, BENCH_BOOT_S=2 (boot work before the app starts, as
 * an app that installs or compiles at boot; 0 for the bare hello app)
 */
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import * as ops from '../src/controlplane/asg/ops.js';
import { describeInstanceRefreshes, startInstanceRefresh } from '../src/controlplane/asg/refresh/ops.js';
import { get, groupConfig, requestLoop, startAsgDaemon, waitFor, type AsgDaemon } from '../test/e2e/asg-support.js';
import { healthyTargets, pct, s1, settled } from './lib/asg-rig.js';
import { freePort } from '../test/support/backends.js';
import { writeSection } from './lib/results-file.js';
import { repoRoot } from './lib/render.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);
const BOOT_S = Number(process.env.BENCH_BOOT_S ?? 2);

interface Rig { name: string; s: AsgDaemon; lbPort: number; warm: boolean }

async function rig(name: string, warm: boolean): Promise<Rig> {
  const lbPort = await freePort();
  const appPort = await freePort();
  const userData = `#!/bin/sh\n${BOOT_S > 0 ? `sleep ${BOOT_S}\n` : ''}exec node server.js\n`;
  const extra = warm ? '    warmPool: { minSize: 1, maxGroupPreparedCapacity: 2, poolState: Stopped }\n' : '';
  const s = await startAsgDaemon(groupConfig({ lbPort, appPort, min: 1, max: 2, desired: 1, zones: ['zone-a'], delay: 1, grace: 30, userData, extra }));
  await settled({ name, s, warm });
  return { name, s, lbPort, warm };
}

/** ms from set-desired-capacity 1 -> 2 to the new instance healthy and serving through the LB. */
async function scaleOut(r: Rig): Promise<number> {
  const before = new Set(healthyTargets(r.s).map((h) => `${h.target.id}:${h.target.port}`));
  const t0 = performance.now();
  ops.setDesiredCapacity(r.s.asg, 'app', 2);
  const fresh = await waitFor('a new healthy target', () => healthyTargets(r.s).find((h) => !before.has(`${h.target.id}:${h.target.port}`)), 120_000);
  const g = r.s.asg.group('app')!;
  const id = g.state.instances.find((x) => x.target?.id === fresh.target.id && x.target.port === fresh.target.port)!.instanceId;
  await waitFor('a response from it', async () => (await get(r.lbPort, '/')).body.includes(id) || undefined, 30_000);
  return performance.now() - t0;
}

async function scaleIn(r: Rig): Promise<{ ok: number; failed: string[] }> {
  const loop = requestLoop(r.lbPort);
  await delay(300);
  ops.setDesiredCapacity(r.s.asg, 'app', 1);
  await settled(r);
  await delay(300);
  return loop.stop();
}

async function refresh(r: Rig): Promise<{ ok: number; failed: string[]; ms: number; status: string }> {
  ops.setDesiredCapacity(r.s.asg, 'app', 2);
  await waitFor('2 healthy', () => healthyTargets(r.s).length === 2 || undefined, 120_000);
  r.s.asg.templates.createVersion('app', { data: { environment: { RELEASE: 'next' } } });
  const loop = requestLoop(r.lbPort);
  const t0 = performance.now();
  startInstanceRefresh(r.s.asg, 'app', { desiredConfiguration: { version: '$Latest' }, preferences: { instanceWarmup: 1 } });
  const d = await waitFor('refresh end', () => {
    const x = describeInstanceRefreshes(r.s.asg, 'app')[0]!;
    return ['Successful', 'Failed', 'Cancelled'].includes(x.Status as string) ? x : undefined;
  }, 300_000);
  const ms = performance.now() - t0;
  await waitFor('2 healthy after', () => healthyTargets(r.s).length === 2 || undefined, 120_000);
  return { ...(await loop.stop()), ms, status: String(d.Status) };
}

async function main(): Promise<void> {
  const rigs = [await rig('cold (no warm pool)', false), await rig('warm pool (Stopped)', true)];
  const lat = new Map<string, number[]>(rigs.map((r) => [r.name, []]));
  const inFails: string[] = [];
  let inOk = 0;
  try {
    for (let i = 0; i < SAMPLES; i++) {
      for (const r of rigs) {
        lat.get(r.name)!.push(await scaleOut(r));
        const res = await scaleIn(r);
        inOk += res.ok;
        inFails.push(...res.failed);
        process.stdout.write(`sample ${i + 1}/${SAMPLES} ${r.name}: ${s1(lat.get(r.name)!.at(-1)!)} s\n`);
      }
    }
    const ref = await refresh(rigs[0]!);
    const cold = lat.get(rigs[0]!.name)!;
    const warm = lat.get(rigs[1]!.name)!;
    const rows = rigs.map((r) => {
      const xs = lat.get(r.name)!;
      return `| ${r.name} | ${xs.length} | ${s1(pct(xs, 50))} | ${s1(pct(xs, 90))} | ${s1(Math.min(...xs))} | ${s1(Math.max(...xs))} |`;
    });
    const body = [
      `### Scaling latency — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      `- machine: ${os.cpus().length} CPU(s), ${os.cpus()[0]?.model ?? '?'}, load average ${os.loadavg()[0]!.toFixed(2)} at end; node ${process.version}`,
      `- command: \`BENCH_SAMPLES=${SAMPLES} BENCH_BOOT_S=${BOOT_S} node dist/bench/scaling-latency.js --write\``,
      `- app: examples/hello with a boot script that does ${BOOT_S} s of work (\`sleep ${BOOT_S}\`) before \`exec node server.js\`; target group health checks every 5 s (a new target is checked at registration and is healthy after one pass, as on ALB); daemon pass every 250 ms; one zone`,
      '- scale-out latency: set-desired-capacity 1 -> 2 until the new instance is healthy in its target group and has served a request through the load balancer; cold and warm samples alternate',
      '',
      '| group | samples | median s | p90 s | min s | max s |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      `- warm ÷ cold (median): **${(pct(warm, 50) / pct(cold, 50)).toFixed(2)}×** (${s1(pct(cold, 50) - pct(warm, 50))} s faster)`,
      `- failed requests during the ${SAMPLES * 2} scale-ins (request loop through the LB, ${inOk} ok): **${inFails.length}**${inFails.length ? ` (${inFails.slice(0, 3).join('; ')})` : ''}`,
      `- failed requests during a full instance refresh of 2 instances (defaults: min 90 %, max 100 %; warmup 1 s; ${ref.status} in ${s1(ref.ms)} s, ${ref.ok} ok): **${ref.failed.length}**${ref.failed.length ? ` (${ref.failed.slice(0, 3).join('; ')})` : ''}`,
    ].join('\n');
    process.stdout.write(`\n${body}\n`);
    if (process.argv.includes('--write')) writeSection(path.join(repoRoot, 'bench', 'RESULTS.md'), `scaling-latency-${os.cpus().length}cpu`, body);
  } finally {
    for (const r of rigs) await r.s.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
