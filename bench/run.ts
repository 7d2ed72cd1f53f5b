/**
 * `npm run bench`: nginx, HAProxy and shoal side by side in one run, in front
 * of the same two nginx backends, under the same bounded wrk load. Prints a
 * table per scenario with the ratios to nginx; `--write` also records it in
 * bench/RESULTS.md. See bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeCerts } from '../src/cli/cert.js';
import { errorMessage } from '../src/core/errors.js';
import { describeMachine, machineLines } from './lib/machine.js';
import { probe } from './lib/net.js';
import { ALL_PEERS, DEFAULT_PEERS, OK_BODY, startBackend, type Peer, type Running, type TlsFiles } from './lib/peers.js';
import { installExitHooks, onExit, stopAll } from './lib/procs.js';
import { repoRoot } from './lib/render.js';
import { renderReport, roundsReport, type Scenario } from './lib/report.js';
import { sectionKey, writeSection } from './lib/results-file.js';
import { aggregate, type RoundMeasurement } from './lib/stats.js';
import { ensureTools, type ToolName, type Tools } from './lib/tools.js';
import { runWrk, wrkArgs, type WrkLoad } from './lib/wrk.js';
import { runBench } from './lib/main.js';

const USAGE = `usage: npm run bench [-- --write]

  --write   also record the run in bench/RESULTS.md
env:
  BENCH_DURATION=10      seconds of measured load per proxy (the 64k scenario runs half)
  BENCH_CONNECTIONS=50   wrk connections
  BENCH_THREADS=1        wrk threads
  BENCH_WARMUP=2         seconds of unmeasured load before each measurement
  BENCH_ROUNDS=3         rounds; proxies take turns within a round, the table shows medians
  BENCH_SUITE=http       http: plain HTTP (small, 64k); https: HTTPS requests and TLS handshakes;
                         workers: shoal and nginx with 1 and 2 workers;
                         tcp: shoal's network load balancer vs HAProxy in TCP mode (bulk, connections)
  BENCH_ONLY=nginx,haproxy,shoal   which proxies (also: node-pipe, nginx-2w, shoal-2w); default by suite
  BENCH_KEEP=1           keep the temp dir (configs, logs) for a look afterwards
`;

const BODY_64K = 64 * 1024;
const BODY_1M = 1024 * 1024;
const PROBE_TIMEOUT_MS = 5000;

type Suite = 'http' | 'https' | 'workers' | 'tcp';

/** Which proxies a suite runs unless BENCH_ONLY says otherwise. */
const SUITE_PEERS: Record<Suite, string[]> = {
  http: DEFAULT_PEERS,
  https: ['nginx', 'shoal'],
  workers: ['nginx', 'shoal', 'nginx-2w', 'shoal-2w'],
  tcp: ['haproxy-tcp', 'shoal-tcp'],
};

interface Options {
  suite: Suite;
  write: boolean;
  peers: Peer[];
  threads: number;
  connections: number;
  rounds: number;
  scenarios: Scenario[];
  keep: boolean;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
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
  const suite = (env.BENCH_SUITE?.trim() || 'http') as Suite;
  if (!(suite in SUITE_PEERS)) throw new Error(`BENCH_SUITE=${suite}: choose from ${Object.keys(SUITE_PEERS).join(', ')}`);
  const names = (env.BENCH_ONLY?.trim() ? env.BENCH_ONLY.split(',') : SUITE_PEERS[suite]).map((s) => s.trim());
  const peers = ALL_PEERS.filter((p) => names.includes(p.name));
  const unknownPeers = names.filter((n) => !ALL_PEERS.some((p) => p.name === n));
  if (unknownPeers.length || peers.length === 0) {
    throw new Error(`BENCH_ONLY: unknown proxy ${unknownPeers.join(', ')}; choose from ${ALL_PEERS.map((p) => p.name).join(', ')}`);
  }
  const duration = positiveInt(env, 'BENCH_DURATION', 10);
  const warmup = positiveInt(env, 'BENCH_WARMUP', 2);
  return {
    suite,
    write: argv.includes('--write'),
    peers,
    threads: positiveInt(env, 'BENCH_THREADS', 1),
    connections: positiveInt(env, 'BENCH_CONNECTIONS', 50),
    rounds: positiveInt(env, 'BENCH_ROUNDS', 3),
    keep: env.BENCH_KEEP === '1',
    scenarios: suiteScenarios(suite, duration, warmup),
  };
}

function suiteScenarios(suite: Suite, duration: number, warmup: number): Scenario[] {
  const small: Scenario = { name: 'small', path: '/', bodyBytes: OK_BODY.length, durationSec: duration, warmupSec: warmup };
  if (suite === 'workers') return [small];
  if (suite === 'tcp') {
    // Through a TCP proxy: HTTP is only the bytes wrk and the backends exchange.
    const tcp = { reference: 'haproxy-tcp', target: { minThroughputRatio: 0.9 } };
    return [
      // Bulk transfer: 1 MiB answers on kept-alive connections (MB/s moves with req/s).
      { ...tcp, name: 'bulk', path: '/1m.bin', bodyBytes: BODY_1M, durationSec: Math.max(2, Math.ceil(duration / 2)), warmupSec: Math.max(1, Math.ceil(warmup / 2)) },
      // Connections per second: a new client connection, and so a new target connection, per request.
      { ...small, ...tcp, name: 'connections', headers: ['Connection: close'] },
    ];
  }
  if (suite === 'https') {
    return [
      // Requests on kept-alive TLS connections: the record layer's cost.
      { ...small, name: 'https', tls: true, target: { minThroughputRatio: 0.7 } },
      // A new connection per request (no resumption on either side): handshakes per second.
      { ...small, name: 'handshakes', tls: true, headers: ['Connection: close'], target: { minThroughputRatio: 0.8 } },
    ];
  }
  return [
    small,
    // Streaming: shorter, it checks bytes moved more than request overhead.
    { name: '64k', path: '/64k.bin', bodyBytes: BODY_64K, durationSec: Math.max(2, Math.ceil(duration / 2)), warmupSec: Math.max(1, Math.ceil(warmup / 2)) },
  ];
}

const log = (msg: string): void => {
  process.stderr.write(`bench: ${msg}\n`);
};

/** Checks a path through the proxy answers 200 with the expected body size, before loading it. */
async function checkOnce(port: number, s: Scenario): Promise<string | null> {
  const p = await probe(port, s.path, PROBE_TIMEOUT_MS, s.tls);
  if (p && p.status === 200 && p.body.length === s.bodyBytes) return null;
  const got = p ? `status ${p.status}, ${p.body.length} bytes` : `no answer in ${PROBE_TIMEOUT_MS / 1000}s`;
  return `GET ${s.path}: want 200 with ${s.bodyBytes} bytes, got ${got}`;
}

/**
 * Checks a path answers 200 with the expected body size before loading it.
 * Tries up to 3 times so one bad answer (e.g. a stale pooled connection after
 * the previous load) does not cost the measurement; a retry is reported as a
 * warning, since a real client would have seen that answer.
 */
async function checkPath(port: number, s: Scenario): Promise<string | undefined> {
  const problems: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const problem = await checkOnce(port, s);
    if (!problem) return problems.length ? `${problems.join('; ')} (then fine on retry)` : undefined;
    problems.push(problem);
  }
  throw new Error(`${problems[0]} (3 tries)`);
}

async function measurePeer(peer: Peer, running: Running, opts: Options, wrk: string, round: number): Promise<RoundMeasurement[]> {
  const out: RoundMeasurement[] = [];
  for (const s of opts.scenarios) {
    const url = `${s.tls ? 'https' : 'http'}://127.0.0.1:${running.port}${s.path}`;
    const load = (durationSec: number): WrkLoad => ({ threads: opts.threads, connections: opts.connections, durationSec, headers: s.headers });
    try {
      const warning = await checkPath(running.port, s);
      if (warning) log(`round ${round}: ${peer.name} / ${s.name}: warning: ${warning}`);
      await runWrk(wrk, load(s.warmupSec), url);
      const result = await runWrk(wrk, load(s.durationSec), url);
      if (running.proc.hasExited()) throw new Error(`${peer.name} ${running.proc.describeExit()} during the run:\n${running.proc.tail()}`);
      log(`round ${round}: ${peer.name} / ${s.name}: ${result.requestsPerSec.toFixed(0)} req/s, p99 ${result.p99Ms.toFixed(2)} ms`);
      out.push({ proxy: peer.name, scenario: s.name, round, result, warning });
    } catch (err) {
      log(`round ${round}: ${peer.name} / ${s.name} failed: ${errorMessage(err)}`);
      out.push({ proxy: peer.name, scenario: s.name, round, error: errorMessage(err) });
    }
  }
  return out;
}

type Backends = readonly [number, number];

/** One proxy, one round: start it, run every scenario, stop it. */
async function runPeer(peer: Peer, opts: Options, env: { tools: Tools; work: string; backends: Backends; tls?: TlsFiles }, round: number): Promise<RoundMeasurement[]> {
  const dir = path.join(env.work, `${peer.name}-${round}`);
  mkdirSync(dir);
  log(`round ${round}: starting ${peer.name}`);
  let running: Running;
  try {
    running = await peer.start({ tools: env.tools, dir, backends: env.backends, tls: env.tls });
  } catch (err) {
    log(`${peer.name} did not start: ${errorMessage(err)}`);
    return opts.scenarios.map((s) => ({ proxy: peer.name, scenario: s.name, round, error: `did not start: ${errorMessage(err)}` }));
  }
  try {
    return await measurePeer(peer, running, opts, env.tools.wrk, round);
  } finally {
    await running.proc.stop();
  }
}

async function runAll(opts: Options, tools: Tools, work: string): Promise<RoundMeasurement[]> {
  const data = path.join(work, 'data');
  mkdirSync(data);
  writeFileSync(path.join(data, '64k.bin'), Buffer.alloc(BODY_64K, 'x'));
  writeFileSync(path.join(data, '1m.bin'), Buffer.alloc(BODY_1M, 'x'));
  log('starting 2 backends (nginx, 1 worker each)');
  const b1 = await startBackend(tools, path.join(work, 'backend-1'), data);
  const b2 = await startBackend(tools, path.join(work, 'backend-2'), data);
  for (const s of opts.scenarios) {
    await checkPath(b1.port, { ...s, tls: false });
    await checkPath(b2.port, { ...s, tls: false });
  }
  // The https suite: one certificate from a dev CA of its own, presented by every proxy.
  const tls = opts.scenarios.some((s) => s.tls) ? (await makeCerts({ names: ['bench.localhost'], caDir: path.join(work, 'ca'), out: path.join(work, 'certs') })).files[0] : undefined;
  const env = { tools, work, backends: [b1.port, b2.port] as const, tls };
  const measurements: RoundMeasurement[] = [];
  const cannotStart = new Set<string>();
  for (let round = 1; round <= opts.rounds; round++) {
    for (const peer of opts.peers) {
      // A proxy that could not start will not start next round either; do not wait for it again.
      if (cannotStart.has(peer.name)) continue;
      const ms = await runPeer(peer, opts, env, round);
      if (ms.every((m) => m.error?.startsWith('did not start'))) cannotStart.add(peer.name);
      measurements.push(...ms);
    }
  }
  await Promise.all([b1.proc.stop(), b2.proc.stop()]);
  return measurements;
}

/** The command as someone would retype it: the BENCH_* variables that were set, then the entry point. */
function commandLine(opts: Options): string {
  const vars = Object.entries(process.env)
    .filter(([k, v]) => k.startsWith('BENCH_') && v)
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  const entry = process.env.npm_lifecycle_event === 'bench' ? 'npm run bench' : 'node dist/bench/run.js';
  const args = opts.write ? (entry.startsWith('npm') ? ' -- --write' : ' --write') : '';
  return [...vars, entry].join(' ') + args;
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2), process.env);
  installExitHooks();
  const needed = new Set<ToolName>(['nginx', 'wrk', ...opts.peers.flatMap((p) => p.needs)]);
  const tools = ensureTools([...needed]);
  const machine = describeMachine(tools);
  const started = new Date();
  const work = mkdtempSync(path.join(os.tmpdir(), 'shoal-bench-'));
  log(`proxies: ${opts.peers.map((p) => p.name).join(', ')}; temp dir ${work}`);
  // Also on Ctrl-C, which exits from the signal handler without reaching a finally here.
  onExit(() => (opts.keep ? log(`kept ${work}`) : rmSync(work, { recursive: true, force: true })));
  let measurements: RoundMeasurement[];
  try {
    measurements = await runAll(opts, tools, work);
  } finally {
    await stopAll();
  }

  const sampleLoad = { threads: opts.threads, connections: opts.connections, durationSec: opts.scenarios[0]!.durationSec };
  const body = [
    `### ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC — ${opts.suite === 'http' ? '' : `${opts.suite}: `}${opts.peers.map((p) => p.name).join(', ')}`,
    '',
    ...machineLines(machine),
    `- command: \`${commandLine(opts)}\``,
    `- load: \`wrk ${wrkArgs(sampleLoad, `${opts.scenarios[0]!.tls ? 'https' : 'http'}://127.0.0.1:<port>/`).join(' ')}\` per proxy, scenario and round (proxies take turns within a round); backends: 2 × nginx (1 worker)`,
    ...tlsNote(opts),
    '',
    renderReport(opts.scenarios, aggregate(measurements), { connections: opts.connections, rounds: opts.rounds }),
    roundsReport(opts.scenarios, measurements),
  ].join('\n');
  process.stdout.write(`\n${body}\n`);

  if (opts.write) {
    const file = path.join(repoRoot, 'bench', 'RESULTS.md');
    const key = sectionKey([`${machine.nproc}cpu`, machine.cpuModel, opts.suite, String(opts.connections), ...opts.peers.map((p) => p.name)]);
    writeSection(file, key, body);
    log(`wrote ${path.relative(process.cwd(), file) || file}`);
  }
  const failed = measurements.filter((m) => m.error);
  return failed.length > 0 ? 1 : 0;
}

function tlsNote(opts: Options): string[] {
  if (opts.suite !== 'https') return [];
  return [
    '- TLS: one ECDSA P-256 certificate (made as `shoal cert` makes them) for every proxy; TLS 1.2 + 1.3; shoal on its default policy ' +
      '(ELBSecurityPolicy-TLS13-1-2-2021-06), nginx with its default ciphers; both send session tickets (their defaults), wrk never resumes: ' +
      '`handshakes` sends `Connection: close`, so each request is a new connection and a full handshake',
  ];
}

runBench(main);
