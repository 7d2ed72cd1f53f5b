import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { systemClock } from '../../src/core/clock.js';
import { providerContract } from '../../src/providers/contract.js';
import { ProcessProvider, type ProcessProviderOptions } from '../../src/providers/process/process-provider.js';
import type { InstanceObservation, LaunchSpec } from '../../src/providers/provider.js';

// Real processes, real sockets, real time: every wait is bounded. Waits use
// timers/promises, not systemClock, whose timers are unref'd: with the provider
// closed nothing else would keep this test process alive while it waits.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const hello = join(root, 'examples/hello');
const brokenBoot = join(root, 'examples/broken-boot');
// A port per test run, so parallel test files do not collide on 127.0.1.10.
const PORT = 20000 + (process.pid % 20000);
const helloBoot = '#!/bin/sh\necho "booting $INSTANCE_ID in $AVAILABILITY_ZONE"\nexec node server.js\n';

function spec(instanceId: string, overrides: Partial<LaunchSpec> = {}): LaunchSpec {
  return {
    instanceId, imageDir: hello, availabilityZone: 'zone-a', zoneIndex: 0, instanceType: 't3.micro',
    userData: helloBoot, environment: {}, port: PORT, templateVersion: '1', tags: {}, ...overrides,
  };
}

const stateDirs: string[] = [];
function freshState(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-provider-'));
  stateDirs.push(dir);
  return dir;
}

function open(stateDir: string, extra: Partial<ProcessProviderOptions> = {}): Promise<ProcessProvider> {
  return ProcessProvider.open({ stateDir, clock: systemClock, metadata: { host: '127.0.0.1', port: 0 }, ...extra });
}

async function terminateAll(p: ProcessProvider): Promise<void> {
  for (const o of await p.list()) {
    if (o.state !== 'terminated') await p.terminate(o.instanceId, { stopTimeoutMs: 2000 });
  }
  await p.close();
}

// Whatever a failed test left running is adopted and terminated here.
after(async () => {
  for (const d of stateDirs) {
    await terminateAll(await ProcessProvider.open({ stateDir: d, clock: systemClock, metadata: false }));
    rmSync(d, { recursive: true, force: true });
  }
});

providerContract('process', async () => {
  const stateDir = freshState();
  const h = {
    provider: (await open(stateDir)) as ProcessProvider,
    async reopen() {
      await h.provider.close();
      h.provider = await open(stateDir);
      return h.provider;
    },
    spec,
    close: () => terminateAll(h.provider),
  };
  return h;
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = systemClock.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (systemClock.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(50);
  }
}

function waitForObs(p: ProcessProvider, id: string, what: string, pred: (o: InstanceObservation) => boolean) {
  let last: InstanceObservation | undefined;
  return waitFor(what, async () => {
    last = await p.describe(id);
    return last && pred(last) ? last : undefined;
  }).catch((err: Error) => {
    throw new Error(`${err.message}; last seen ${JSON.stringify(last)}`);
  });
}

function get(url: string, opts: { localAddress?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { localAddress: opts.localAddress, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const ids = Array.from({ length: 8 }, (_, i) => `i-0${(0xabc00 + i).toString(16).padStart(17, '0')}`);
const booted = (o: InstanceObservation) => o.bootStatus === 'succeeded';

describe('process provider', () => {
  it('runs the hello app on its own private IP, with boot and app logs apart', async () => {
    const p = await open(freshState());
    try {
      const o = await p.launch(spec(ids[0]!, { tags: { Name: 'web' } }));
      assert.equal(o.state, 'running');
      await waitForObs(p, ids[0]!, 'boot', booted);
      const res = await waitFor('hello to answer', () => get(`http://${o.privateIp}:${PORT}/hi`).catch(() => undefined));
      assert.equal(res.status, 200);
      assert.match(res.body, new RegExp(`hello from ${ids[0]} \\(${o.privateIp.replace(/\./g, '\\.')}:${PORT}.*path /hi`));
      assert.equal((await get(`http://${o.privateIp}:${PORT}/health`)).status, 200);
      const boot = await p.readLog(ids[0]!, 'boot', { from: 0 });
      // The split is where shoal noticed the exec (within ~20 ms): the app's first line is usually after it.
      assert.ok(boot.text.startsWith(`booting ${ids[0]} in zone-a\n`), boot.text);
      assert.equal(boot.complete, true);
      const app = await waitFor('app log line', async () => {
        const l = await p.readLog(ids[0]!, 'app', { from: 0 });
        return (boot.text + l.text).includes(`${ids[0]} listening on ${o.privateIp}:${PORT}`) ? l : undefined;
      });
      assert.equal(app.complete, false);
    } finally {
      await terminateAll(p);
    }
  });

  it('reports an app killed with SIGKILL as stopped, with the cause', async () => {
    const p = await open(freshState());
    try {
      const o = await p.launch(spec(ids[1]!));
      await waitForObs(p, ids[1]!, 'boot', booted);
      process.kill(o.pid!, 'SIGKILL');
      const dead = await waitForObs(p, ids[1]!, 'stopped', (x) => x.state === 'stopped');
      assert.match(dead.impairedReason ?? '', /killed by SIGKILL/);
      assert.equal(dead.pid, undefined);
      await p.terminate(ids[1]!, { stopTimeoutMs: 1000 });
      assert.equal((await p.describe(ids[1]!))?.state, 'terminated');
    } finally {
      await terminateAll(p);
    }
  });

  it('terminates gracefully: SIGTERM lets an in-flight request finish', async () => {
    const p = await open(freshState());
    try {
      const o = await p.launch(spec(ids[2]!));
      await waitFor('hello to answer', () => get(`http://${o.privateIp}:${PORT}/health`).catch(() => undefined));
      const slow = get(`http://${o.privateIp}:${PORT}/slow?ms=700`);
      await delay(100);
      await p.terminate(ids[2]!, { stopTimeoutMs: 5000 });
      assert.equal((await slow).status, 200);
      assert.equal((await p.describe(ids[2]!))?.state, 'terminated');
      const app = await p.readLog(ids[2]!, 'app', { from: 0 });
      assert.match(app.text, /got SIGTERM[\s\S]*stopped/);
      assert.equal(app.complete, true);
      await assert.rejects(get(`http://${o.privateIp}:${PORT}/health`));
    } finally {
      await terminateAll(p);
    }
  });

  it('sends SIGKILL to a process tree that ignores SIGTERM, after the stop timeout', async () => {
    const p = await open(freshState());
    try {
      await p.launch(spec(ids[3]!, { userData: 'trap "" TERM\nnode -e "process.on(\'SIGTERM\',()=>{});setInterval(()=>{},1000)"\n' }));
      await delay(300);
      await p.terminate(ids[3]!, { stopTimeoutMs: 300 });
      assert.equal((await p.describe(ids[3]!))?.state, 'terminated');
    } finally {
      await terminateAll(p);
    }
  });

  it('records a failed boot with its status and its log', async () => {
    const p = await open(freshState());
    try {
      const userData = 'echo "checking configuration..."\necho "DATABASE_URL is not set" >&2\nexit 3\n';
      await p.launch(spec(ids[4]!, { imageDir: brokenBoot, userData }));
      const o = await waitForObs(p, ids[4]!, 'failed boot', (x) => x.state === 'stopped');
      assert.equal(o.bootStatus, 'failed');
      assert.equal(o.impairedReason, 'Boot script exited with status 3; see the boot log');
      const boot = await p.readLog(ids[4]!, 'boot', { from: 0 });
      assert.equal(boot.text, 'checking configuration...\nDATABASE_URL is not set\n');
      assert.equal(boot.complete, true);
    } finally {
      await terminateAll(p);
    }
  });

  it('adopts live instances after a restart, and notices the ones that died meanwhile', async () => {
    const stateDir = freshState();
    const first = await open(stateDir);
    const a = await first.launch(spec(ids[5]!));
    const b = await first.launch(spec(ids[6]!));
    await waitForObs(first, ids[5]!, 'boot', booted);
    await first.close(); // "the daemon crashed": instances keep running
    process.kill(-b.pid!, 'SIGKILL');
    await delay(200);
    const second = await open(stateDir);
    try {
      const adopted = await second.describe(ids[5]!);
      assert.deepEqual([adopted?.state, adopted?.pid, adopted?.privateIp], ['running', a.pid, a.privateIp]);
      assert.equal((await get(`http://${a.privateIp}:${PORT}/health`)).status, 200);
      const lost = await second.describe(ids[6]!);
      assert.equal(lost?.state, 'stopped');
      assert.match(lost?.impairedReason ?? '', /while shoal was down/);
      const c = await second.launch(spec(ids[7]!));
      assert.ok(![a.privateIp, b.privateIp].includes(c.privateIp), 'a stopped instance keeps its address until terminated');
    } finally {
      await terminateAll(second);
    }
  });

  it('answers metadata by the caller\'s address', async () => {
    const p = await open(freshState());
    try {
      const o = await p.launch(spec(ids[0]!, { availabilityZone: 'zone-b', zoneIndex: 1, tags: { Name: 'web' } }));
      const shared = `http://127.0.0.1:${p.metadataPort}`;
      const bound = await get(`${shared}/latest/meta-data/instance-id`, { localAddress: o.privateIp });
      assert.deepEqual(bound, { status: 200, body: ids[0] });
      assert.equal((await get(`${shared}/latest/meta-data/instance-id`)).status, 404);
      const own = `http://${o.privateIp}:${p.metadataPort}`;
      assert.equal((await get(`${own}/latest/meta-data/placement/availability-zone`)).body, 'zone-b');
      assert.equal((await get(`${own}/latest/meta-data/local-ipv4`)).body, o.privateIp);
      assert.equal((await get(`${own}/latest/meta-data/instance-type`)).body, 't3.micro');
      assert.equal((await get(`${own}/latest/meta-data/tags/instance/Name`)).body, 'web');
      assert.equal((await get(`${own}/latest/user-data`)).body, helloBoot);
      assert.match((await get(`${own}/latest/meta-data/`)).body, /instance-id\n/);
    } finally {
      await terminateAll(p);
    }
  });

  it('gives the app its env, a dynamic port on request, and measures its CPU', async () => {
    const p = await open(freshState());
    try {
      const o = await p.launch(spec(ids[1]!, { portMode: 'dynamic', environment: { GREETING: 'hi', HOST: 'ignored' } }));
      assert.equal(o.host, '127.0.0.1');
      assert.notEqual(o.port, PORT);
      await waitFor('hello on its dynamic port', () => get(`http://127.0.0.1:${o.port}/health`).catch(() => undefined));
      const environ = readFileSync(`/proc/${o.pid}/environ`, 'utf8').split('\0');
      for (const v of ['GREETING=hi', 'HOST=127.0.0.1', `PORT=${o.port}`, `INSTANCE_ID=${ids[1]}`, 'AVAILABILITY_ZONE=zone-a',
        'LAUNCH_TEMPLATE_VERSION=1', `SHOAL_METADATA_URL=http://${o.privateIp}:${p.metadataPort}`]) {
        assert.ok(environ.includes(v), `${v} in the app's environment`);
      }
      await p.sample(systemClock.now());
      const burn = get(`http://127.0.0.1:${o.port}/burn?ms=900`);
      await delay(1000);
      await burn;
      const [s] = await p.sample(systemClock.now());
      assert.ok((s?.cpuPercent ?? 0) > 10, `cpu ${s?.cpuPercent}% while burning one core of two`);
      assert.ok((s?.memoryBytes ?? 0) > 10 * 1024 * 1024, `rss ${s?.memoryBytes}`);
    } finally {
      await terminateAll(p);
    }
  });

  it('keeps the console under its size cap and reads on across rotation', async () => {
    const stateDir = freshState();
    const p = await open(stateDir, { logCapBytes: 64 * 1024 });
    try {
      const userData = 'echo boot\nexec node -e "setTimeout(() => { for (let i = 0; i < 200; i++) console.log(String(i).padStart(999, \'.\')) }, 300); setInterval(() => {}, 1000)"\n';
      await p.launch(spec(ids[2]!, { userData }));
      await waitForObs(p, ids[2]!, 'boot', booted);
      const first = await p.readLog(ids[2]!, 'app', { from: 0, maxBytes: 1000 });
      await waitFor('all output', async () => ((await p.readLog(ids[2]!, 'app')).text.includes('.199\n') ? true : undefined));
      await p.list();
      const dir = join(stateDir, 'instances', ids[2]!);
      const size = (f: string) => { try { return statSync(join(dir, f)).size; } catch { return 0; } };
      assert.ok(size('console.log') + size('console.log.1') <= 64 * 1024, 'under the cap');
      const rest = await p.readLog(ids[2]!, 'app', { from: first.end });
      assert.ok(rest.from > first.end, 'older bytes were rotated away and the reader skips ahead');
      assert.ok(rest.text.endsWith('.199\n'), JSON.stringify([rest.from, rest.end, rest.text.length, rest.text.slice(-30)]));
      assert.equal((await p.readLog(ids[2]!, 'boot', { from: 0 })).text, 'boot\n');
    } finally {
      await terminateAll(p);
    }
  });
});
