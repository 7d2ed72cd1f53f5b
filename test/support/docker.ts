/**
 * Docker Engine tests' support: a private dockerd of their own (own socket,
 * data root and exec root under a temp dir, --bridge=none --iptables=false, as
 * issue 12 says this machine runs it) and a test image built locally, since no
 * registry is reachable: `docker import` of a root filesystem made here from
 * the node binary, the shared libraries `ldd` lists for it, dash as /bin/sh,
 * and examples/hello's server.js in /app.
 *
 * startEngine() returns undefined with a reason (for `t.skip` / `describe`'s
 * skip) only when dockerd is missing and cannot be installed, or does not start.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import Docker from 'dockerode';
import { issue, newCa } from '../../src/cli/cert/issue.js';

export interface TestEngine {
  /** unix:///…/d.sock (or tcp://127.0.0.1:PORT with `tls`), as a zone's `docker.host` names it. */
  host: string;
  /** With `tls`: the client's files, as a zone's `docker.tls` names them. */
  tls?: { ca: string; cert: string; key: string };
  socketPath: string;
  docker: Docker;
  /** Stops dockerd (and the containerd it started) and removes its directories. */
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

function which(cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** dockerd's path, installing Debian's docker.io once when it is missing and we are root. */
function findDockerd(): { path?: string; why?: string } {
  const found = which('dockerd');
  if (found) return { path: found };
  if (process.getuid?.() !== 0 || !which('apt-get')) return { why: 'dockerd is not installed and this user cannot apt-get install docker.io' };
  try {
    execFileSync('apt-get', ['install', '-y', '-q', 'docker.io'], { stdio: 'ignore', timeout: 300_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (err) {
    return { why: `apt-get install docker.io failed: ${(err as Error).message}` };
  }
  const path = which('dockerd');
  return path ? { path } : { why: 'docker.io installed but no dockerd on PATH' };
}

/**
 * A Linux bridge of the test's own (`ip link add`), with a /24 of 10.213.0.0/16
 * no other bridge uses, for an engine with bridge networking. Published ports
 * go through dockerd's userland proxy, so no iptables rule is needed.
 */
function makeBridge(name: string): { name: string; remove(): void } {
  const used = execFileSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' });
  let n = 1 + (process.pid % 200);
  while (used.includes(`10.213.${n}.`)) n = (n % 250) + 1;
  const bridge = `shoalbr-${name}`.slice(0, 15);
  try { execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' }); } catch { /* none left over */ }
  execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', `10.213.${n}.1/24`, 'dev', bridge]);
  execFileSync('ip', ['link', 'set', bridge, 'up']);
  return { name: bridge, remove: () => { try { execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' }); } catch { /* gone */ } } };
}

/**
 * Starts a private Docker Engine; resolves when it answers /_ping (at most
 * 60 s). `bridge`: the engine gets a bridge of its own (bridge networking,
 * published ports), else --bridge=none (host networking only). `tls`: it
 * also listens on tcp://127.0.0.1 with --tlsverify, certificates from a CA
 * made here (a remote engine, as Docker's "protect the daemon socket" sets one up).
 */
export async function startEngine(name: string, o: { bridge?: boolean; tls?: boolean } = {}): Promise<TestEngine | { skip: string }> {
  const dockerd = findDockerd();
  if (!dockerd.path) return { skip: `Docker tests skipped: ${dockerd.why}` };
  if (process.getuid?.() !== 0) return { skip: 'Docker tests skipped: dockerd needs root here (no rootless setup)' };
  // Short path: a unix socket path must stay under 108 bytes.
  const dir = mkdtempSync(`/tmp/shoal-dk-${name}-`);
  const socketPath = join(dir, 'd.sock');
  let bridge: ReturnType<typeof makeBridge> | undefined;
  if (o.bridge) {
    try {
      bridge = makeBridge(name);
    } catch (err) {
      return { skip: `Docker bridge tests skipped: cannot make a bridge (ip link add): ${(err as Error).message}` };
    }
  }
  const tls = o.tls ? await engineCertificates(dir) : undefined;
  const tcpPort = tls ? await freeTcpPort() : 0;
  const child: ChildProcess = spawn(dockerd.path, [
    ...(tls ? ['--tlsverify', '--tlscacert', tls.ca, '--tlscert', tls.serverCert, '--tlskey', tls.serverKey, '--host', `tcp://127.0.0.1:${tcpPort}`] : []),
    `--bridge=${bridge?.name ?? 'none'}`, '--iptables=false', '--ip6tables=false', ...(bridge ? ['--ip-forward=false'] : []),
    '--host', `unix://${socketPath}`, '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'x'),
    '--pidfile', join(dir, 'pid'),
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
  let exited = false;
  const exit = new Promise<void>((r) => child.once('exit', () => { exited = true; r(); }));
  const docker = tls
    ? new Docker({ protocol: 'https', host: '127.0.0.1', port: tcpPort, ca: readFileSync(tls.ca), cert: readFileSync(tls.client.cert), key: readFileSync(tls.client.key) })
    : new Docker({ socketPath });
  const stop = async (): Promise<void> => {
    if (!exited) child.kill('SIGTERM');
    await Promise.race([exit, delay(20_000)]);
    if (!exited) child.kill('SIGKILL');
    await Promise.race([exit, delay(5_000)]);
    // dockerd leaves its netns bind mount behind; unmount whatever is still mounted under dir.
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '');
    for (const m of mounts.filter((m) => m.startsWith(dir + '/')).reverse()) {
      try { execFileSync('umount', ['-l', m], { stdio: 'ignore' }); } catch { /* already gone */ }
    }
    try { rmSync(dir, { recursive: true, force: true }); } catch { /* a busy leftover in /tmp is harmless */ }
    bridge?.remove();
  };
  for (let i = 0; i < 600 && !exited; i++) {
    if (existsSync(socketPath)) {
      try {
        await docker.ping();
        if (tls) return { host: `tcp://127.0.0.1:${tcpPort}`, tls: tls.client, socketPath, docker, stop };
        return { host: `unix://${socketPath}`, socketPath, docker, stop };
      } catch {
        // Not ready yet.
      }
    }
    await delay(100);
  }
  await stop();
  return { skip: `Docker tests skipped: dockerd did not start: ${stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}` };
}

/**
 * Engines for one test file, started in order. When one cannot start, the
 * ones already started are stopped and its reason is printed once and
 * returned, for `describe`'s skip.
 */
export async function startEngines(specs: ReadonlyArray<readonly [name: string, o?: { bridge?: boolean; tls?: boolean }]>): Promise<{ engines: TestEngine[]; skip: string | false }> {
  const engines: TestEngine[] = [];
  for (const [name, o] of specs) {
    const started = await startEngine(name, o);
    if ('skip' in started) {
      await Promise.all(engines.map((e) => e.stop()));
      console.log(`# ${started.skip}`);
      return { engines: [], skip: started.skip };
    }
    engines.push(started);
  }
  return { engines, skip: false };
}

/** A CA, the engine's server certificate for 127.0.0.1 and a client certificate, as files in dir. */
async function engineCertificates(dir: string): Promise<{ ca: string; serverCert: string; serverKey: string; client: { ca: string; cert: string; key: string } }> {
  const ca = await newCa({ name: 'shoal test engine CA' });
  const server = await issue(ca.issuer, { names: ['127.0.0.1', 'localhost'] });
  const client = await issue(ca.issuer, { names: ['shoal'], client: true });
  const put = (f: string, text: string) => { writeFileSync(join(dir, f), text, { mode: 0o600 }); return join(dir, f); };
  return {
    ca: put('ca.pem', ca.cert), serverCert: put('server.pem', server.cert), serverKey: put('server.key', server.key),
    client: { ca: join(dir, 'ca.pem'), cert: put('client.pem', client.cert), key: put('client.key', client.key) },
  };
}

function freeTcpPort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

/** Shared libraries `ldd` lists for a binary, absolute paths. */
function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...out.matchAll(/(\/\S+)\s+\(0x/g)].map((m) => m[1]!);
}

export const HELLO_IMAGE = 'shoal-test/hello:1';

/**
 * Builds HELLO_IMAGE on the engine: node, its libraries, /bin/sh (dash) and
 * /app/server.js (examples/hello); WORKDIR /app, CMD node server.js.
 */
export async function buildHelloImage(engine: TestEngine): Promise<string> {
  const node = realpathSync(process.execPath);
  const sh = realpathSync(which('dash') ?? '/bin/sh');
  const stage = mkdtempSync('/tmp/shoal-rootfs-');
  try {
    mkdirSync(join(stage, 'bin'));
    mkdirSync(join(stage, 'app'));
    mkdirSync(join(stage, 'tmp'), { mode: 0o1777 });
    copyFileSync(sh, join(stage, 'bin/sh'));
    copyFileSync(join(root, 'examples/hello/server.js'), join(stage, 'app/server.js'));
    const libs = [...new Set([...sharedLibraries(node), ...sharedLibraries(sh)])].map((p) => p.slice(1));
    const tar = join(stage, 'rootfs.tar');
    // -h stores the files symlinks point to (merged /usr: /lib -> usr/lib).
    execFileSync('tar', ['-h', '-cf', tar, '-C', '/', node.slice(1), ...libs, '-C', stage, 'bin', 'app', 'tmp']);
    const [repo, tag] = HELLO_IMAGE.split(':') as [string, string];
    const stream = await engine.docker.importImage(tar, {
      repo, tag, changes: ['WORKDIR /app', `ENV PATH=${dirname(node)}:/bin`, 'CMD ["node", "server.js"]'],
    });
    await new Promise<void>((resolve, reject) => engine.docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve())));
    return HELLO_IMAGE;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
