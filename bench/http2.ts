/**
 * HTTP/2 from clients: shoal against nginx's h2 in one run, each with one
 * worker, the same certificate and the same two HTTP/1.1 nginx backends,
 * under the same h2load load (several connections, many concurrent streams
 * each), reported as shoal's ratio to nginx (style.md rule 10).
 *
 *   npx tsc -p . && node dist/bench/http2.js [--write]
 *
 * Needs nginx (with http_v2) and h2load (Debian: nghttp2-client); as root it
 * runs scripts/install-bench-deps.sh when one is missing. Each round runs
 * nginx then shoal: start, a calibration run (also the warm-up), then a run of
 * as many requests as the calibration's rate gives in BENCH_DURATION seconds.
 * The table shows medians over rounds. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issue, newCa } from '../src/cli/cert/issue.js';
import { errorMessage } from '../src/core/errors.js';
import { H2_PEERS, type H2Peer, type H2PeerEnv } from './lib/h2-peers.js';
import { runH2load, type H2loadLoad, type H2loadResult } from './lib/h2load.js';
import { describeMachine, machineLines } from './lib/machine.js';
import { startBackend } from './lib/peers.js';
import { installExitHooks, onExit, stopAll } from './lib/procs.js';
import { repoRoot } from './lib/render.js';
import { markdownTable } from './lib/report.js';
import { sectionKey, writeSection } from './lib/results-file.js';
import { median } from './lib/stats.js';
import { ensureTools, toolVersion } from './lib/tools.js';
import { runBench } from './lib/main.js';

const USAGE = `usage: node dist/bench/http2.js [--write]

  --write   also record the run in bench/RESULTS.md
env:
  BENCH_DURATION=10     seconds of measured load per proxy and round (about)
  BENCH_CLIENTS=10      h2load connections (-c)
  BENCH_STREAMS=32      concurrent streams per connection (-m)
  BENCH_ROUNDS=3        rounds; nginx and shoal take turns within a round
  BENCH_KEEP=1          keep the temp dir (configs, logs)
`;

interface Options {
  write: boolean;
  durationSec: number;
  clients: number;
  streams: number;
  rounds: number;
  keep: boolean;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}=${raw}: want a positive whole number`);
  return n;
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const unknown = argv.filter((a) => a !== '--write');
  if (unknown.length) throw new Error(`unknown argument(s) ${unknown.join(' ')}\n${USAGE}`);
  return {
    write: argv.includes('--write'),
    durationSec: positive(env, 'BENCH_DURATION', 10),
    clients: positive(env, 'BENCH_CLIENTS', 10),
    streams: positive(env, 'BENCH_STREAMS', 32),
    rounds: positive(env, 'BENCH_ROUNDS', 3),
    keep: env.BENCH_KEEP === '1',
  };
}

const log = (msg: string): void => void process.stderr.write(`bench: ${msg}\n`);

interface Measurement {
  proxy: string;
  round: number;
  result?: H2loadResult;
  error?: string;
}

/** Calibration (and warm-up): enough requests for every stream to run a few dozen. */
function calibration(o: Options): H2loadLoad {
  return { clients: o.clients, streams: o.streams, requests: o.clients * o.streams * 50 };
}

async function measure(peer: H2Peer, env: H2PeerEnv, o: Options, round: number): Promise<Measurement> {
  log(`round ${round}: starting ${peer.name}`);
  let running;
  try {
    running = await peer.start(env);
  } catch (err) {
    return { proxy: peer.name, round, error: `did not start: ${errorMessage(err)}` };
  }
  try {
    const url = `https://127.0.0.1:${running.port}/`;
    const cal = await runH2load(env.tools.h2load, calibration(o), url, 60);
    if (cal.protocol !== 'h2') throw new Error(`ALPN chose ${cal.protocol}, not h2`);
    const requests = Math.max(1000, Math.round(cal.requestsPerSec * o.durationSec));
    const result = await runH2load(env.tools.h2load, { clients: o.clients, streams: o.streams, requests }, url, o.durationSec * 4 + 30);
    if (running.proc.hasExited()) throw new Error(`${peer.name} ${running.proc.describeExit()} during the run:\n${running.proc.tail()}`);
    log(`round ${round}: ${peer.name}: ${result.requestsPerSec.toFixed(0)} req/s over ${result.seconds.toFixed(1)} s, mean ${result.meanMs.toFixed(2)} ms`);
    return { proxy: peer.name, round, result };
  } catch (err) {
    log(`round ${round}: ${peer.name} failed: ${errorMessage(err)}`);
    return { proxy: peer.name, round, error: errorMessage(err) };
  } finally {
    await running.proc.stop();
  }
}

/** One row per proxy: medians over the rounds that worked, errors summed, the ratio to nginx. */
function h2Table(ms: readonly Measurement[]): string {
  const rows = [['proxy', 'req/s', 'mean ms', 'max ms', 'TLS', 'failed / non-2xx', 'rounds ok', 'req/s ÷ nginx']];
  const rate = (name: string) => median(ms.filter((m) => m.proxy === name && m.result).map((m) => m.result!.requestsPerSec));
  const ref = rate('nginx');
  for (const p of H2_PEERS) {
    const mine = ms.filter((m) => m.proxy === p.name);
    const ok = mine.filter((m) => m.result).map((m) => m.result!);
    if (ok.length === 0) {
      rows.push([p.name, 'n/a', 'n/a', 'n/a', '', '', `0/${mine.length}`, (mine[0]?.error ?? 'no run').split('\n')[0]!.slice(0, 80)]);
      continue;
    }
    const r = rate(p.name);
    rows.push([
      p.name,
      r.toFixed(0),
      median(ok.map((x) => x.meanMs)).toFixed(2),
      median(ok.map((x) => x.maxMs)).toFixed(2),
      ok[0]!.tls,
      `${ok.reduce((a, x) => a + x.failed, 0)} / ${ok.reduce((a, x) => a + x.non2xx, 0)}`,
      `${ok.length}/${mine.length}`,
      p.name === 'nginx' ? 'reference' : Number.isFinite(ref) ? `${(r / ref).toFixed(2)}×` : 'n/a',
    ]);
  }
  return markdownTable(rows);
}

async function run(o: Options, env: Omit<H2PeerEnv, 'dir'>, work: string): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (let round = 1; round <= o.rounds; round++) {
    for (const peer of H2_PEERS) {
      const dir = path.join(work, `${peer.name}-${round}`);
      mkdirSync(dir);
      out.push(await measure(peer, { ...env, dir }, o, round));
    }
  }
  return out;
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2), process.env);
  installExitHooks();
  const tools = ensureTools(['nginx', 'h2load']);
  const machine = describeMachine(tools);
  const started = new Date();
  const work = mkdtempSync(path.join(os.tmpdir(), 'shoal-bench-h2-'));
  onExit(() => (o.keep ? log(`kept ${work}`) : rmSync(work, { recursive: true, force: true })));
  let measurements: Measurement[];
  try {
    const ca = await newCa({ name: 'shoal bench CA' });
    const leaf = await issue(ca.issuer, { names: ['localhost'] });
    const cert = path.join(work, 'cert.pem');
    const key = path.join(work, 'cert.key');
    writeFileSync(cert, leaf.cert);
    writeFileSync(key, leaf.key);
    const data = path.join(work, 'data');
    mkdirSync(data);
    log('starting 2 backends (nginx, 1 worker each)');
    const b1 = await startBackend(tools, path.join(work, 'backend-1'), data);
    const b2 = await startBackend(tools, path.join(work, 'backend-2'), data);
    measurements = await run(o, { tools, backends: [b1.port, b2.port], cert, key }, work);
  } finally {
    await stopAll();
  }
  const body = [
    `### ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC — HTTP/2: nginx, shoal`,
    '',
    ...machineLines(machine),
    `- ${toolVersion(tools.h2load, '--version')}`,
    `- load: \`h2load -t1 -c${o.clients} -m${o.streams} -n<calibrated to ~${o.durationSec} s>\` GET / ("ok\\n") per proxy and round, after a calibration run; TLS with one certificate for both; backends: 2 × nginx (1 worker), HTTP/1.1`,
    '',
    h2Table(measurements),
  ].join('\n');
  process.stdout.write(`\n${body}\n`);
  if (o.write) {
    const file = path.join(repoRoot, 'bench', 'RESULTS.md');
    writeSection(file, sectionKey([`${machine.nproc}cpu`, machine.cpuModel, 'http2', 'nginx', 'shoal']), body);
    log(`wrote ${path.relative(process.cwd(), file) || file}`);
  }
  return measurements.some((m) => m.error) ? 1 : 0;
}

runBench(main);
