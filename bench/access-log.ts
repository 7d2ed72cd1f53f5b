/**
 * The throughput cost of access logging (issue 11, goal: under 10 %): shoal
 * with the load balancer's access log off and on, side by side in one run,
 * in front of the same two nginx backends, under the same wrk load, taking
 * turns within each round; and nginx with its access log off and on (an
 * ALB-like line, buffer=64k), the same peer's cost on the same machine.
 * Reports req/s and p99 of each, the ratios on ÷ off (shoal's goal ≥ 0.90),
 * and checks each log has a line per request wrk counted.
 *
 *   npx tsc -p . && node dist/bench/access-log.js [--write]
 *   BENCH_DURATION=2 BENCH_WARMUP=1 BENCH_ROUNDS=1 node dist/bench/access-log.js   # a smoke run
 *
 * Env: BENCH_DURATION (10 s), BENCH_WARMUP (2 s), BENCH_ROUNDS (3),
 * BENCH_CONNECTIONS (50), BENCH_THREADS (1), BENCH_KEEP=1 (keep the temp dir).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorMessage } from '../src/core/errors.js';
import { describeMachine, machineLines } from './lib/machine.js';
import { ACCESS_LOG_FILE, nginxPeer, shoalAccessLogPeer, shoalPeer, startBackend, type Peer } from './lib/peers.js';
import { installExitHooks, onExit, stopAll } from './lib/procs.js';
import { markdownTable } from './lib/report.js';
import { repoRoot } from './lib/render.js';
import { sectionKey, writeSection } from './lib/results-file.js';
import { aggregate, type RoundMeasurement } from './lib/stats.js';
import { ensureTools } from './lib/tools.js';
import { runWrk, wrkArgs, type WrkLoad } from './lib/wrk.js';
import { runBench } from './lib/main.js';

const GOAL = 0.9;
const nginxAccessLogPeer = nginxPeer(1, { accessLog: true });

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}=${raw}: want a positive whole number`);
  return n;
}

const log = (msg: string): void => void process.stderr.write(`bench: ${msg}\n`);

/** Lines in the peer's access log and its rotated files (read after the daemon stopped, so its last batches are in). */
function loggedLines(dir: string): number {
  let lines = 0;
  for (const f of readdirSync(dir)) {
    const rotated = f.startsWith(`${ACCESS_LOG_FILE}.`) && /^\d+$/.test(f.slice(ACCESS_LOG_FILE.length + 1));
    if (f !== ACCESS_LOG_FILE && !rotated) continue;
    const text = readFileSync(path.join(dir, f));
    for (let i = text.indexOf(10); i >= 0; i = text.indexOf(10, i + 1)) lines++;
    rmSync(path.join(dir, f)); // a round logs hundreds of MB
  }
  return lines;
}

async function main(): Promise<number> {
  const write = process.argv.includes('--write');
  const load: WrkLoad = { threads: positiveInt('BENCH_THREADS', 1), connections: positiveInt('BENCH_CONNECTIONS', 50), durationSec: positiveInt('BENCH_DURATION', 10) };
  const warmup = positiveInt('BENCH_WARMUP', 2);
  const rounds = positiveInt('BENCH_ROUNDS', 3);
  installExitHooks();
  const tools = ensureTools(['nginx', 'wrk']);
  const machine = describeMachine(tools);
  const work = mkdtempSync(path.join(os.tmpdir(), 'shoal-bench-accesslog-'));
  onExit(() => (process.env.BENCH_KEEP === '1' ? log(`kept ${work}`) : rmSync(work, { recursive: true, force: true })));
  const data = path.join(work, 'data');
  mkdirSync(data);
  writeFileSync(path.join(data, '64k.bin'), Buffer.alloc(1024));
  const measurements: RoundMeasurement[] = [];
  const logNotes: string[] = [];
  try {
    const b1 = await startBackend(tools, path.join(work, 'backend-1'), data);
    const b2 = await startBackend(tools, path.join(work, 'backend-2'), data);
    const peers: Peer[] = [nginxPeer(), nginxAccessLogPeer, shoalPeer(), shoalAccessLogPeer];
    for (let round = 1; round <= rounds; round++) {
      for (const peer of peers) {
        const dir = path.join(work, `${peer.name}-${round}`);
        mkdirSync(dir);
        const running = await peer.start({ tools, dir, backends: [b1.port, b2.port] });
        const url = `http://127.0.0.1:${running.port}/`;
        try {
          await runWrk(tools.wrk, { ...load, durationSec: warmup }, url);
          const result = await runWrk(tools.wrk, load, url);
          log(`round ${round}: ${peer.name}: ${result.requestsPerSec.toFixed(0)} req/s, p99 ${result.p99Ms.toFixed(2)} ms`);
          measurements.push({ proxy: peer.name, scenario: 'small', round, result });
        } catch (err) {
          measurements.push({ proxy: peer.name, scenario: 'small', round, error: errorMessage(err) });
        } finally {
          await running.proc.stop();
        }
        if (peer === shoalAccessLogPeer || peer === nginxAccessLogPeer) {
          const m = measurements[measurements.length - 1]!;
          // wrk counts the measured requests only; the log also has the warm-up's and the readiness probe's.
          const lines = loggedLines(dir);
          logNotes.push(`round ${round}: ${peer.name}: ${lines} lines logged for ${m.result?.requests ?? 0} measured requests (plus warm-up)`);
          if (m.result && lines < m.result.requests) m.error = `only ${lines} lines for ${m.result.requests} requests`;
        }
      }
    }
    await Promise.all([b1.proc.stop(), b2.proc.stop()]);
  } finally {
    await stopAll();
  }

  const [nginxOff, nginxOn, off, on] = aggregate(measurements);
  const ratioOf = (a: typeof off, b: typeof off) => (a?.result && b?.result ? b.result.requestsPerSec / a.result.requestsPerSec : NaN);
  const ratio = ratioOf(off, on);
  const nginxRatio = ratioOf(nginxOff, nginxOn);
  const row = (a: typeof off) => [
    a!.proxy,
    a!.result ? a!.result.requestsPerSec.toFixed(0) : '-',
    a!.result ? a!.result.p99Ms.toFixed(2) : '-',
    `${(a!.spread * 100).toFixed(0)}%`,
    String(a!.result ? a!.result.non2xx + a!.result.socketErrors + a!.failedRounds : a!.failedRounds),
  ];
  // Each round's on ÷ off (the peers took turns in it): how much of the headline is the machine's noise.
  const rps = (proxy: string, round: number) => measurements.find((m) => m.proxy === proxy && m.round === round)?.result?.requestsPerSec;
  const perRound = (offName: string, onName: string) =>
    Array.from({ length: rounds }, (_, i) => {
      const a = rps(offName, i + 1);
      const b = rps(onName, i + 1);
      return a !== undefined && b !== undefined ? `${(b / a).toFixed(2)}×` : '-';
    });
  const body = [
    `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — access logs off vs on`,
    '',
    ...machineLines(machine),
    `- load: \`wrk ${wrkArgs(load, 'http://127.0.0.1:<port>/').join(' ')}\`, ${rounds} round(s), warm-up ${warmup} s; shoal and nginx with 1 worker each, 2 nginx backends`,
    '',
    markdownTable([['proxy', 'req/s', 'p99 ms', '± spread', 'errors'], row(nginxOff), row(nginxOn), row(off), row(on)]),
    '',
    `shoal, access logs on ÷ off: **${ratio.toFixed(2)}×** req/s (goal ≥ ${GOAL.toFixed(2)}×: ${ratio >= GOAL ? 'met' : 'NOT met'})`,
    `nginx, access log on ÷ off (buffer=64k, the same machine and load): ${nginxRatio.toFixed(2)}×`,
    '',
    'Every round, on ÷ off in that round:',
    '',
    markdownTable([
      ['proxy', ...Array.from({ length: rounds }, (_, i) => `round ${i + 1}`)],
      ['shoal', ...perRound(off!.proxy, on!.proxy)],
      ['nginx', ...perRound(nginxOff!.proxy, nginxOn!.proxy)],
    ]),
    '',
    ...logNotes.map((n) => `- ${n}`),
  ].join('\n');
  process.stdout.write(`\n${body}\n`);
  if (write) {
    const key = sectionKey([`${machine.nproc}cpu`, machine.cpuModel, 'access-log']);
    writeSection(path.join(repoRoot, 'bench', 'RESULTS.md'), key, body);
  }
  return measurements.some((m) => m.error) ? 1 : 0;
}

runBench(main);
