/**
 * The HTTP/2 bench's proxies: nginx (http2, 1 worker) and shoal (an HTTPS
 * listener with alpnPolicy HTTP2Preferred, 1 data-plane worker), with the same
 * certificate, in front of the same HTTP/1.1 backends. Ready once GET /
 * through it answers 200 "ok\n" over HTTP/2.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, probeH2, waitReady } from './net.js';
import { OK_BODY, SHOAL_MAIN, startNginx, userDirective, type Running } from './peers.js';
import { start, type Managed } from './procs.js';
import { renderFile, repoRoot } from './render.js';
import type { Tools } from './tools.js';

export interface H2PeerEnv {
  tools: Tools;
  dir: string;
  backends: readonly [number, number];
  /** PEM files of the certificate both proxies present. */
  cert: string;
  key: string;
}

export interface H2Peer {
  name: string;
  start(env: H2PeerEnv): Promise<Running>;
}

async function ready(proc: Managed, port: number): Promise<Running> {
  try {
    await waitReady({ port, proc, timeoutMs: 20_000, expectBody: OK_BODY, probe: probeH2 });
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { port, proc };
}

export const nginxH2: H2Peer = {
  name: 'nginx',
  async start(env) {
    const port = await freePort();
    const conf = renderFile('nginx-h2.conf', {
      DIR: env.dir, PORT: port, CERT: env.cert, KEY: env.key,
      BACKEND1: env.backends[0], BACKEND2: env.backends[1], USER_DIRECTIVE: userDirective(),
    });
    writeFileSync(path.join(env.dir, 'nginx.conf'), conf);
    return ready(startNginx(env.tools, env.dir, 'nginx h2 proxy'), port);
  },
};

export const shoalH2: H2Peer = {
  name: 'shoal',
  async start(env) {
    if (!existsSync(SHOAL_MAIN)) throw new Error(`shoal is not built: ${path.relative(repoRoot, SHOAL_MAIN)} is missing; run \`npx tsc -p .\``);
    const port = await freePort();
    const conf = renderFile('shoal-h2.yaml', {
      DIR: env.dir, PORT: port, API_PORT: await freePort(), CERT: env.cert, KEY: env.key,
      BACKEND1: env.backends[0], BACKEND2: env.backends[1],
    });
    const file = path.join(env.dir, 'shoal.yaml');
    writeFileSync(file, conf);
    const proc = start(process.execPath, [SHOAL_MAIN, 'up', '-f', file], {
      name: 'shoal',
      cwd: repoRoot,
      env: { ...process.env, SHOAL_WORKERS: '1', SHOAL_LOG: 'warn' },
    });
    return ready(proc, port);
  },
};

export const H2_PEERS: readonly H2Peer[] = [nginxH2, shoalH2];
