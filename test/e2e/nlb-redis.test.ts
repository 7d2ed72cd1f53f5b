/**
 * A network load balancer from a config file in front of two real
 * redis-server processes (TCP listener, TCP target group, TCP health
 * checks): redis-cli through the listener sets and gets; one redis-server
 * is killed, the health check marks it unhealthy, and every command after
 * that still answers (from the other). Needs Debian's redis-server and
 * redis-tools (.ci/run installs them); skipped, saying so, without
 * redis-server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/backends.js';
import { startDaemon, stateOf, waitForHealth } from '../support/daemon.js';
import { until } from '../support/tcp.js';

const HAVE_REDIS = spawnSync('redis-server', ['--version']).status === 0;

/** Runs redis-cli against a port with `commands` on stdin: one connection for all of them; its output lines. */
function cli(port: number, commands: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 5000);
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out.trim() === '' ? [] : out.trim().split('\n'));
      else reject(new Error(`redis-cli -p ${port} exited ${code}: ${err.trim()} ${out.trim()}`));
    });
    p.stdin.end(`${commands.join('\n')}\n`);
  });
}

async function redisServer(dir: string): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { cwd: dir, stdio: 'ignore' });
  await until(async () => ((await cli(port, ['PING']).catch(() => [])).join() === 'PONG' ? true : undefined), `redis-server on :${port}`);
  return { port, proc };
}

test('redis behind a network load balancer: SET/GET through the listener, and through a failover', { skip: HAVE_REDIS ? false : 'redis-server is not installed (apt-get install -y redis-server redis-tools; .ci/run does)' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-redis-'));
  const servers = [await redisServer(dir), await redisServer(dir)];
  const lbPort = await freePort();
  const s = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: redis
    type: network
    listeners:
      - { port: ${lbPort}, protocol: TCP, defaultActions: [{ type: forward, targetGroup: redis-nodes }] }
targetGroups:
  - name: redis-nodes
    protocol: TCP
    port: 6379
    healthCheck: { protocol: TCP, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
    attributes: { deregistrationDelaySeconds: 0 }
    targets: [${servers.map((x) => `{ id: 127.0.0.1, port: ${x.port} }`).join(', ')}]
`);
  t.after(async () => {
    await s.stop();
    for (const x of servers) x.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  await waitForHealth(s.daemon, 'redis-nodes', (l) => l.filter((d) => d.targetHealth.state === 'healthy').length === 2, 20_000);

  // Each redis-cli run is one connection, so its SET and GET meet the same redis-server.
  for (let i = 0; i < 10; i++) assert.deepEqual(await cli(lbPort, [`SET k${i} v${i}`, `GET k${i}`]), ['OK', `v${i}`]);
  const sizes = await Promise.all(servers.map(async (x) => Number((await cli(x.port, ['DBSIZE']))[0])));
  assert.equal(sizes[0]! + sizes[1]!, 10);
  assert.ok(sizes.every((n) => n > 0), `connections went to both redis-servers: ${sizes.join(', ')} keys`);

  // One redis-server dies; once its health check fails, every command through the listener still answers.
  const [dead, alive] = servers as [typeof servers[0], typeof servers[0]];
  dead.proc.kill('SIGKILL');
  await waitForHealth(s.daemon, 'redis-nodes', (l) => stateOf(l, dead.port) === 'unhealthy' && stateOf(l, alive.port) === 'healthy', 20_000);
  for (let i = 0; i < 20; i++) {
    assert.deepEqual(await cli(lbPort, [`SET after${i} x${i}`, `GET after${i}`]), ['OK', `x${i}`], `command ${i} after the failover`);
  }
  assert.equal(Number((await cli(alive.port, ['DBSIZE']))[0]), sizes[1]! + 20, 'the live redis-server took them all');
});
