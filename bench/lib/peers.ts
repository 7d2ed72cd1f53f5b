/**
 * The processes under test and the backends behind them. Every peer is started
 * the same way: render a config into its own temp dir, spawn it in the
 * foreground, wait until GET / through it answers 200 "ok\n".
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, waitReady } from './net.js';
import { start, type Managed } from './procs.js';
import { renderFile, repoRoot } from './render.js';
import type { Tools } from './tools.js';

export const OK_BODY = Buffer.from('ok\n');
const READY_TIMEOUT_MS = 20_000;

/** The bench's certificate and key (PEM), for HTTPS listeners. */
export interface TlsFiles {
  cert: string;
  key: string;
}

export interface PeerEnv {
  tools: Tools;
  /** This peer's own directory for config, pid, logs and temp files. */
  dir: string;
  backends: readonly [number, number];
  /** Listen over TLS with these files (the https suite); plain HTTP when absent. */
  tls?: TlsFiles;
}

export interface Running {
  port: number;
  proc: Managed;
}

export interface Peer {
  name: string;
  /** Which external tools the peer needs (the load generator is always needed). */
  needs: ReadonlyArray<'nginx' | 'haproxy'>;
  start(env: PeerEnv): Promise<Running>;
}

export function userDirective(): string {
  // As root, nginx would switch its worker to "nobody", which cannot read our temp dirs.
  return process.getuid?.() === 0 ? 'user root;' : '';
}

async function ready(proc: Managed, port: number, tls = false): Promise<Running> {
  try {
    await waitReady({ port, proc, timeoutMs: READY_TIMEOUT_MS, expectBody: OK_BODY, tls });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { port, proc };
}

export function startNginx(tools: Tools, dir: string, name: string): Managed {
  return start(
    tools.nginx,
    ['-e', path.join(dir, 'error.log'), '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'],
    { name },
  );
}

/** A backend: nginx, 1 worker, answering "ok\n" on / and serving dataDir/64k.bin. */
export async function startBackend(tools: Tools, dir: string, dataDir: string): Promise<Running> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const conf = renderFile('nginx-backend.conf', {
    DIR: dir,
    PORT: port,
    DATA_DIR: dataDir,
    USER_DIRECTIVE: userDirective(),
  });
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  return ready(startNginx(tools, dir, `backend ${path.basename(dir)}`), port);
}

/** "nginx", "shoal" for one worker (the rows every ratio is read against); "nginx-2w" for two. */
const peerName = (base: string, workers: number): string => (workers === 1 ? base : `${base}-${workers}w`);

/**
 * nginx's access log for bench/access-log.ts: the fields of an ALB line that nginx has (about as long), buffered
 * as nginx users run it (64 KiB, flushed each second), in the peer's dir.
 */
function nginxAccessLog(dir: string): string {
  return [
    `    log_format alb 'http $time_iso8601 app/bench/0 $remote_addr:$remote_port $upstream_addr $request_time $upstream_response_time 0.000 '`,
    `                   '$status $upstream_status $request_length $bytes_sent "$scheme://$host:$server_port$request_uri $server_protocol" "$http_user_agent" - - '`,
    `                   'arn:aws:elasticloadbalancing:local-1:000000000000:targetgroup/backends/0 "$request_id" "-" "-" 0 $msec "forward" "-" "-" '`,
    `                   '"$upstream_addr" "$upstream_status" "-" "-" TID_$connection';`,
    `    access_log ${path.join(dir, ACCESS_LOG_FILE)} alb buffer=64k flush=1s;`,
  ].join('\n');
}

/**
 * nginx as the reference proxy. Over TLS: TLS 1.2 and 1.3 (as shoal's default
 * policy), otherwise nginx's defaults (session tickets on, as Node's; wrk
 * never resumes, so each new connection is a full handshake on both sides).
 * With `accessLog`, nginx logs each request (the access log bench).
 */
export function nginxPeer(workers = 1, o: { accessLog?: boolean } = {}): Peer {
  return {
    name: o.accessLog ? 'nginx-access-log' : peerName('nginx', workers),
    needs: ['nginx'],
    async start(env) {
      const port = await freePort();
      const tlsLines = env.tls
        ? [`ssl_certificate ${env.tls.cert};`, `ssl_certificate_key ${env.tls.key};`, 'ssl_protocols TLSv1.2 TLSv1.3;'].map((l) => `        ${l}`).join('\n')
        : '';
      const conf = renderFile('nginx-proxy.conf', {
        DIR: env.dir,
        PORT: port,
        WORKERS: workers,
        SSL: env.tls ? 'ssl ' : '',
        TLS_LINES: tlsLines,
        BACKEND1: env.backends[0],
        BACKEND2: env.backends[1],
        USER_DIRECTIVE: userDirective(),
        ACCESS_LOG: o.accessLog ? nginxAccessLog(env.dir) : '    access_log off;',
      });
      writeFileSync(path.join(env.dir, 'nginx.conf'), conf);
      return ready(startNginx(env.tools, env.dir, 'nginx proxy'), port, env.tls !== undefined);
    },
  };
}

/** HAProxy, one thread, from a config template (HTTP mode; TCP mode for the tcp suite). */
function haproxyWith(name: string, template: string): Peer {
  return {
    name,
    needs: ['haproxy'],
    async start(env) {
      const port = await freePort();
      const conf = renderFile(template, { PORT: port, BACKEND1: env.backends[0], BACKEND2: env.backends[1] });
      const file = path.join(env.dir, 'haproxy.cfg');
      writeFileSync(file, conf);
      return ready(start(env.tools.haproxy, ['-f', file, '-db'], { name, cwd: env.dir }), port);
    },
  };
}

export const haproxyPeer = haproxyWith('haproxy', 'haproxy.cfg');
/** HAProxy in TCP mode (the tcp suite's reference): bytes relayed, a backend per connection. */
export const haproxyTcpPeer = haproxyWith('haproxy-tcp', 'haproxy-tcp.cfg');

export const SHOAL_MAIN = path.join(repoRoot, 'dist', 'src', 'cli', 'main.js');

/** Runs shoal's daemon from the compiled tree on a rendered config, until GET / through `port` answers. */
async function startShoal(name: string, env: PeerEnv, workers: number, template: string, values: Record<string, string | number>): Promise<Running> {
  if (!existsSync(SHOAL_MAIN)) {
    throw new Error(
      `shoal is not built: ${path.relative(repoRoot, SHOAL_MAIN)} is missing. ` +
        'Run `npx tsc -p .`, or leave shoal out with BENCH_ONLY=nginx,haproxy,node-pipe.',
    );
  }
  const port = await freePort();
  const apiPort = await freePort();
  const conf = renderFile(template, { DIR: env.dir, PORT: port, API_PORT: apiPort, BACKEND1: env.backends[0], BACKEND2: env.backends[1], ...values });
  const file = path.join(env.dir, 'shoal.yaml');
  writeFileSync(file, conf);
  const proc = start(process.execPath, [SHOAL_MAIN, 'up', '-f', file], {
    name,
    cwd: repoRoot,
    env: { ...process.env, SHOAL_WORKERS: String(workers), SHOAL_LOG: 'warn' },
  });
  return ready(proc, port, env.tls !== undefined);
}

/** shoal's daemon with `workers` data-plane workers (HTTPS listener over TLS, default policy); `attributes` go in the load balancer's attributes map. */
function shoalWith(name: string, workers: number, attributes: (dir: string) => string): Peer {
  return {
    name,
    needs: [],
    start: (env) =>
      startShoal(name, env, workers, 'shoal.yaml', {
        WORKERS: workers,
        PROTOCOL: env.tls ? 'HTTPS' : 'HTTP',
        TLS_FIELDS: env.tls ? `, certificates: [{ certificateFile: "${env.tls.cert}", privateKeyFile: "${env.tls.key}" }]` : '',
        LB_ATTRIBUTES: attributes(env.dir),
      }),
  };
}

/** shoal as a network load balancer (TCP listener, TCP target group), one worker: the tcp suite. */
export const shoalTcpPeer: Peer = { name: 'shoal-tcp', needs: [], start: (env) => startShoal('shoal-tcp', env, 1, 'shoal-tcp.yaml', {}) };

export function shoalPeer(workers = 1): Peer {
  return shoalWith(peerName('shoal', workers), workers, () => '');
}

/** shoal with the load balancer's access log on (ALB format, in the peer's dir): bench/access-log.ts compares it with shoalPeer. */
export const ACCESS_LOG_FILE = 'access.log';
export const shoalAccessLogPeer = shoalWith('shoal-access-log', 1, (dir) => `accessLogs: { enabled: true, path: "${path.join(dir, ACCESS_LOG_FILE)}" }`);

const PIPE_PROXY = path.join(repoRoot, 'dist', 'bench', 'lib', 'pipe-proxy.js');

/** The "plain node:net piping" reference: what Node does with no HTTP work at all. */
export const nodePipePeer: Peer = {
  name: 'node-pipe',
  needs: [],
  async start(env) {
    const port = await freePort();
    const targets = env.backends.map((b) => `127.0.0.1:${b}`);
    const proc = start(process.execPath, [PIPE_PROXY, String(port), ...targets], { name: 'node-pipe', cwd: env.dir });
    return ready(proc, port);
  },
};

/** In the order they run and appear in the table; nginx first, it is the reference. */
export const ALL_PEERS: readonly Peer[] = [nginxPeer(), haproxyPeer, shoalPeer(), nodePipePeer, nginxPeer(2), shoalPeer(2), shoalAccessLogPeer, haproxyTcpPeer, shoalTcpPeer];
export const DEFAULT_PEERS = ['nginx', 'haproxy', 'shoal'];
