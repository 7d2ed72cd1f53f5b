/**
 * The `shoal` command as a user runs it: `up` in the foreground with real
 * worker processes, `validate`, `targets`, register/deregister, SIGHUP reload
 * (a bad config keeps the old one serving), SIGTERM draining, and a restart
 * after kill -9 that comes back with the same registered targets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startBackend } from '../support/backends.js';
import { rawExchange, RawClient } from '../support/raw-http.js';

const CLI = resolve('dist/src/cli/main.js');

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function shoal(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, SHOAL_LOG: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

function run(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SHOAL_LOG: 'warn' } });
  return { status: r.status, out: r.stdout + r.stderr };
}

async function waitFor(pred: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function answers(port: number): Promise<boolean> {
  try {
    return (await rawExchange(port, 'GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n', { timeoutMs: 1000 })).status > 0;
  } catch {
    return false;
  }
}

function config(o: { port: number; api: number; backend: number; dir: string; body?: string }): string {
  return `
stateDir: ${o.dir}/state
api: { listen: 127.0.0.1:${o.api} }
dataPlane: { workers: 1 }
loadBalancers:
  - name: web
    listeners:
      - port: ${o.port}
        protocol: HTTP
        defaultActions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "200", messageBody: "${o.body ?? 'v1'}" } }]
        rules:
          - priority: 1
            conditions: [{ field: path-pattern, values: ["/app*"] }]
            actions: [{ type: forward, targetGroup: app }]
targetGroups:
  - name: app
    port: ${o.backend}
    healthCheck: { path: /, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
    attributes: { deregistrationDelaySeconds: 5 }
`;
}

test('validate names the file, line and field of each error, and passes a good file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-cli-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'loadBalancers:\n  - name: web\n    listeners:\n      - port: 99999\n        protocol: HTTP\n        defaultActions: [{ type: forward, targetGroup: nope }]\n');
  const r = run(['validate', '-f', bad]);
  assert.equal(r.status, 1);
  assert.match(r.out, /bad\.yaml:4:\d+: loadBalancers\[0\]\.listeners\[0\]\.port/);
  assert.match(r.out, /nope/);
  const good = join(dir, 'good.yaml');
  writeFileSync(good, config({ port: 1, api: 2, backend: 3, dir }));
  const ok = run(['validate', '-f', good]);
  assert.equal(ok.status, 0, ok.out);
  assert.match(ok.out, /valid/);
});

test('up: serves, reloads on SIGHUP (a bad config keeps the old one), restarts with its registrations after kill -9, drains on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-cli-'));
  const file = join(dir, 'shoal.yaml');
  const port = await freePort();
  const api = await freePort();
  const backend = await startBackend('b1', (req, res) => {
    const send = (): void => {
      res.writeHead(200, { 'content-length': '2' });
      res.end('b1');
    };
    if (req.url === '/app/slow') setTimeout(send, 1500);
    else send();
  });
  writeFileSync(file, config({ port, api, backend: backend.port, dir }));
  let up = shoal(['up', '-f', file]);
  try {
    await waitFor(() => up.output().includes('shoal is up'), 'the banner');
    assert.match(up.output(), new RegExp(`http://127\\.0\\.0\\.1:${port}/`));
    await waitFor(() => answers(port), 'the listener');
    assert.equal((await rawExchange(port, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n')).body, 'v1');

    // The console link carries a one-time login token (docs/security.md).
    assert.match(up.output(), new RegExp(`console: http://127\\.0\\.0\\.1:${api}/\\?login=[0-9a-f]{64}\n`));

    // Register at runtime through the CLI (the API token from the config's stateDir), and see it in the target table.
    const reg = run(['register-targets', 'app', `127.0.0.1:${backend.port}`, '--endpoint', `127.0.0.1:${api}`, '-f', file]);
    assert.equal(reg.status, 0, reg.out);
    await waitFor(async () => (await rawExchange(port, 'GET /app HTTP/1.1\r\nHost: t\r\n\r\n')).body === 'b1', 'the registered target');
    const table = run(['targets', 'app', '-f', file]);
    assert.match(table.out, /TARGET\s+PORT\s+STATE\s+REASON\s+DESCRIPTION/);
    assert.match(table.out, new RegExp(`127\\.0\\.0\\.1\\s+${backend.port}\\s+(healthy|initial)`));
    const tree = run(['status', '-f', file]);
    assert.equal(tree.status, 0, tree.out);
    assert.match(tree.out, /^load balancer web \(application; .*shoal\.yaml:\d+\)\n└─ HTTP 127\.0\.0\.1:\d+\n   ├─ 1 +path-pattern \/app\* +-> forward to app\n   └─ default +anything else +-> answer 200$/m);
    assert.match(tree.out, new RegExp(`target group app \\(HTTP:\\d+; .*\\)\\n└─ 127\\.0\\.0\\.1:${backend.port}  (healthy|initial)`));
    const waiting = shoal(['wait', 'healthy', 'app', '-f', file, '--timeout', '20']); // not spawnSync: the backend lives in this process
    assert.equal(await waiting.exited, 0, waiting.output());
    assert.match(waiting.output(), /app: 1\/1 healthy\n$/, 'plain progress lines off a terminal, ending healthy');
    const json = run(['targets', 'app', '-f', file, '--output', 'json']);
    assert.equal(JSON.parse(json.out)[0].target.port, backend.port);
    assert.match(run(['status', '-f', file, '--output', 'yaml']).out, /--output must be table or json/);

    // A broken config on SIGHUP: the old config keeps serving and the reason is printed.
    writeFileSync(file, config({ port, api, backend: backend.port, dir }).replace('intervalSeconds: 5', 'intervalSeconds: 1'));
    up.child.kill('SIGHUP');
    await waitFor(() => /reload .* rejected/.test(up.output()), 'the rejected reload');
    assert.match(up.output(), /intervalSeconds/);
    assert.equal((await rawExchange(port, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n')).body, 'v1');

    // A good one is applied.
    writeFileSync(file, config({ port, api, backend: backend.port, dir, body: 'v2' }));
    up.child.kill('SIGHUP');
    await waitFor(async () => (await rawExchange(port, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n')).body === 'v2', 'the reload');

    // kill -9 the whole daemon (primary and worker); it comes back with the registered target.
    up.child.kill('SIGKILL');
    await up.exited;
    await waitFor(async () => !(await answers(port)), 'the old worker to exit after its primary died');
    up = shoal(['up', '-f', file]);
    await waitFor(() => up.output().includes('shoal is up'), 'the banner after restart');
    await waitFor(async () => (await rawExchange(port, 'GET /app HTTP/1.1\r\nHost: t\r\n\r\n')).body === 'b1', 'the target after restart');

    // SIGTERM while a slow request is in flight: it completes, then the daemon exits 0.
    const c = new RawClient(port);
    c.send('GET /app/slow HTTP/1.1\r\nHost: t\r\n\r\n');
    await new Promise((r) => setTimeout(r, 300));
    up.child.kill('SIGTERM');
    const r = await c.read(5000);
    assert.equal(r.status, 200);
    assert.equal(r.body, 'b1');
    assert.equal(await up.exited, 0);
  } finally {
    up.child.kill('SIGKILL');
    await backend.close();
  }
});

test('down terminates the instances of a daemon that is no longer running', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-cli-'));
  const file = join(dir, 'shoal.yaml');
  const api = await freePort();
  const port = await freePort();
  writeFileSync(
    file,
    `
stateDir: ${dir}/state
api: { listen: 127.0.0.1:${api} }
dataPlane: { workers: 1 }
loadBalancers:
  - name: web
    listeners: [{ port: ${port}, defaultActions: [{ type: forward, targetGroup: app }] }]
targetGroups:
  - name: app
    port: ${port + 1}
    healthCheck: { path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
launchTemplates:
  - name: hello
    versions: [{ imageId: ${resolve('examples/hello')}, userData: "#!/bin/sh\\nexec node server.js" }]
autoScalingGroups:
  - { name: hello, launchTemplate: { name: hello }, minSize: 1, maxSize: 1, availabilityZones: [zone-a], targetGroups: [app] }
`,
  );
  const up = shoal(['up', '-f', file]);
  let pid = 0;
  try {
    await waitFor(async () => (await rawExchange(port, 'GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n').catch(() => null))?.status === 200, 'the instance');
    const body = await (await fetch(`http://127.0.0.1:${port}/`)).text(); // hello answers chunked
    const m = /pid (\d+)/.exec(body);
    assert.ok(m, body);
    pid = Number(m[1]);
    up.child.kill('SIGKILL');
    await up.exited;
    const r = run(['down', '-f', file]);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /daemon not running; terminated 1 instance/);
    assert.equal(alive(pid), false, 'the instance process is gone');
  } finally {
    up.child.kill('SIGKILL');
    await up.exited;
    run(['down', '-f', file]); // whatever failed above, leave no instance behind
  }
});

/** A process that exists and is not a zombie (an orphan's exit may wait for init to reap it). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
  } catch {
    return false;
  }
}
