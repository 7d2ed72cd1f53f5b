/**
 * Access logs as a user gets them: `shoal up` with two data-plane worker
 * processes, access logs on for one load balancer in ALB's format and for
 * another in JSON lines, requests of every kind through them (forwarded,
 * a target's 404, a POST with a body, a redirect, a fixed response, a
 * malformed request, a keep-alive connection with two requests), then
 * SIGTERM: every request has its line once the daemon has exited (each
 * worker writes its last lines as it stops), and each ALB line parses by
 * AWS's field order. And a log that rotates by size while both workers
 * write it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startBackend } from '../support/backends.js';
import { rawConversation, rawExchange } from '../support/raw-http.js';
import { parseAlbLine, type AlbEntry } from '../../src/dataplane/access-log/parse.js';
import { ALB_FIELDS } from '../../src/dataplane/access-log/format.js';
import { loadBalancerDimension, targetGroupArn } from '../../src/model/ids.js';

const CLI = resolve('dist/src/cli/main.js');

function config(o: { dir: string; api: number; web: number; side: number; backend: number }): string {
  return `
stateDir: ${o.dir}/state
api: { listen: 127.0.0.1:${o.api} }
dataPlane: { workers: 2 }
loadBalancers:
  - name: web
    listeners:
      - port: ${o.web}
        defaultActions: [{ type: forward, targetGroup: app }]
        rules:
          - priority: 5
            conditions: [{ field: path-pattern, values: ["/old/*"] }]
            actions: [{ type: redirect, redirectConfig: { path: "/new/#{path}", statusCode: HTTP_301 } }]
          - priority: 7
            conditions: [{ field: path-pattern, values: ["/teapot"] }]
            actions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "418", messageBody: "short and stout" } }]
    attributes: { accessLogs: { enabled: true, path: logs/web.log } }
  - name: side
    listeners:
      - port: ${o.side}
        defaultActions: [{ type: forward, targetGroup: app }]
    attributes: { accessLogs: { enabled: true, format: json } }
targetGroups:
  - name: app
    port: ${o.backend}
    healthCheck: { path: /, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
    targets: [{ id: 127.0.0.1, port: ${o.backend} }]
`;
}

/** `shoal up -f FILE` as a user runs it, its output kept; killed at the test's end if still running. */
function shoalUp(file: string, t: { after(fn: () => void): void }) {
  const proc = spawn(process.execPath, [CLI, 'up', '-f', file], { env: { ...process.env, SHOAL_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const up = { proc, output: '', exited: new Promise<number | null>((r) => proc.on('exit', (code) => r(code))) };
  proc.stdout!.on('data', (c: Buffer) => (up.output += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (up.output += c.toString()));
  t.after(() => {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  });
  return up;
}

async function waitFor(pred: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function byPath(entries: AlbEntry[], path: string): AlbEntry {
  const found = entries.filter((e) => e.request.split(' ')[1]?.endsWith(path));
  assert.equal(found.length, 1, `one entry for ${path}: ${JSON.stringify(entries.map((e) => e.request))}`);
  return found[0]!;
}

test('every request through shoal up has its access log line, in ALB field order (or JSON), once the daemon stopped', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-access-logs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const backend = await startBackend('b1', (req, res) => {
    req.resume();
    req.on('end', () => {
      const status = req.url === '/missing' ? 404 : 200;
      res.writeHead(status, { 'content-length': '2' });
      res.end('ok');
    });
  });
  t.after(() => backend.close());
  const [api, web, side] = [await freePort(), await freePort(), await freePort()];
  const file = join(dir, 'shoal.yaml');
  writeFileSync(file, config({ dir, api, web, side, backend: backend.port }));
  const up = shoalUp(file, t);

  const get = (port: number, path: string, extra = '') => rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: shop.test\r\nUser-Agent: e2e "quoted" agent\r\n${extra}Connection: close\r\n\r\n`);
  await waitFor(async () => (await get(web, '/ready').catch(() => ({ status: 0 }))).status === 200, `the listener (output: ${up.output})`);
  await waitFor(async () => (await get(side, '/ready').catch(() => ({ status: 0 }))).status === 200, 'the second listener');

  assert.equal((await get(web, '/hello?x=1', 'X-Amzn-Trace-Id: Root=1-00000000-aaaaaaaaaaaaaaaaaaaaaaaa\r\n')).status, 200);
  assert.equal((await get(web, '/missing')).status, 404);
  assert.equal((await get(web, '/old/page')).status, 301);
  assert.equal((await get(web, '/teapot')).status, 418);
  assert.equal((await rawExchange(web, 'POST /upload HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world')).status, 200);
  assert.equal((await rawExchange(web, 'GET /bad HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n')).status, 400);
  const twice = await rawConversation(web, 'GET /keep/1 HTTP/1.1\r\nHost: shop.test\r\n\r\nGET /keep/2 HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n', { expect: 2 });
  assert.equal(twice.responses.length, 2);
  assert.equal((await get(side, '/json-one')).status, 200);

  up.proc.kill('SIGTERM');
  assert.equal(await up.exited, 0, up.output);

  const lines = readFileSync(join(dir, 'logs', 'web.log'), 'utf8').trimEnd().split('\n');
  const entries = lines.map((l) => parseAlbLine(l));
  for (const e of entries) assert.deepEqual(e.extra, [], 'exactly the fields of ALB_FIELDS');
  assert.equal(ALB_FIELDS.indexOf('conn_trace_id'), 29);
  const elb = loadBalancerDimension('web');
  for (const e of entries) {
    assert.equal(e.type, 'http');
    assert.equal(e.elb, elb);
    assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.match(e.request_creation_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.ok(e.request_creation_time <= e.time, 'received before answered');
    assert.match(e['client:port'], /^127\.0\.0\.1:\d+$/);
    assert.match(e.conn_trace_id, /^TID_[0-9a-f]{32}$/);
  }

  const hello = byPath(entries, '/hello?x=1');
  assert.equal(hello.request, `GET http://shop.test:${web}/hello?x=1 HTTP/1.1`);
  assert.equal(hello.user_agent, 'e2e "quoted" agent');
  assert.equal(hello['target:port'], `127.0.0.1:${backend.port}`);
  assert.equal(hello['target:port_list'], `127.0.0.1:${backend.port}`);
  assert.deepEqual([hello.elb_status_code, hello.target_status_code, hello.target_status_code_list], ['200', '200', '200']);
  assert.equal(hello.target_group_arn, targetGroupArn('app'));
  assert.equal(hello.trace_id, 'Root=1-00000000-aaaaaaaaaaaaaaaaaaaaaaaa', "the client's own trace id");
  assert.deepEqual([hello.matched_rule_priority, hello.actions_executed, hello.redirect_url, hello.error_reason], ['0', 'forward', '-', '-']);
  for (const f of ['request_processing_time', 'target_processing_time', 'response_processing_time'] as const) assert.match(hello[f], /^\d+\.\d{3}$/);
  assert.ok(Number(hello.received_bytes) > 0 && Number(hello.sent_bytes) > 0);
  assert.deepEqual([hello.ssl_cipher, hello.ssl_protocol, hello.domain_name, hello.chosen_cert_arn, hello.classification], ['-', '-', '-', '-', '-']);

  const missing = byPath(entries, '/missing');
  assert.deepEqual([missing.elb_status_code, missing.target_status_code], ['404', '404']);
  assert.match(missing.trace_id, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/, 'the trace id shoal added');

  const old = byPath(entries, '/old/page');
  assert.deepEqual([old.elb_status_code, old.target_status_code, old['target:port'], old.target_group_arn], ['301', '-', '-', '-']);
  assert.deepEqual([old.matched_rule_priority, old.actions_executed], ['5', 'redirect']);
  assert.equal(old.redirect_url, `http://shop.test:${web}/new/old/page`);
  assert.equal(old.target_processing_time, '-1');

  const teapot = byPath(entries, '/teapot');
  assert.deepEqual([teapot.elb_status_code, teapot.matched_rule_priority, teapot.actions_executed], ['418', '7', 'fixed-response']);

  const upload = byPath(entries, '/upload');
  assert.equal(upload.request.split(' ')[0], 'POST');
  const head = 'POST /upload HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 11\r\nConnection: close\r\n\r\n';
  assert.equal(Number(upload.received_bytes), Buffer.byteLength(head) + 11, 'head and body');

  const bad = byPath(entries, '/bad');
  assert.deepEqual([bad.elb_status_code, bad['target:port'], bad.error_reason], ['400', '-', 'RequestMalformed']);
  assert.deepEqual([bad.classification, bad.classification_reason], ['Severe', 'MultipleContentLength']);

  const k1 = byPath(entries, '/keep/1');
  const k2 = byPath(entries, '/keep/2');
  assert.equal(k1.conn_trace_id, k2.conn_trace_id, 'one connection, one conn_trace_id');
  assert.equal(k1['client:port'], k2['client:port']);
  assert.notEqual(k1.conn_trace_id, hello.conn_trace_id);
  assert.equal(entries.filter((e) => e.request.includes('/ready')).length >= 1, true);

  const json = readFileSync(join(dir, 'state', 'access-logs', 'side.log'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const one = json.find((o) => String(o.request).includes('/json-one'))!;
  assert.equal(one.elb, loadBalancerDimension('side'));
  assert.equal(one.elb_status_code, 200);
  assert.equal(one.target_port, backend.port);
  assert.equal(one.matched_rule_priority, 0);
});

test('two workers write one log that rotates by size: whole lines in every file, none lost, the rotated files at their size', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-access-logs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const backend = await startBackend('b1', (req, res) => {
    req.resume();
    res.writeHead(200, { 'content-length': '2' });
    res.end('ok');
  });
  t.after(() => backend.close());
  const [api, web] = [await freePort(), await freePort()];
  const file = join(dir, 'shoal.yaml');
  writeFileSync(file, `
stateDir: ${dir}/state
api: { listen: 127.0.0.1:${api} }
dataPlane: { workers: 2 }
loadBalancers:
  - name: web
    listeners: [{ port: ${web}, defaultActions: [{ type: forward, targetGroup: app }] }]
    attributes: { accessLogs: { enabled: true, path: logs/web.log, maxFileSizeMegabytes: 1, maxFiles: 3 } }
targetGroups:
  - name: app
    port: ${backend.port}
    healthCheck: { path: /, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2 }
    targets: [{ id: 127.0.0.1, port: ${backend.port} }]
`);
  const up = shoalUp(file, t);
  const agent = `rotation-test ${'x'.repeat(1000)}`; // a line of about 1.3 KB: 1 MB every ~800 requests
  await waitFor(async () => (await fetch(`http://127.0.0.1:${web}/ready`, { headers: { 'user-agent': agent } }).then((r) => r.status, () => 0)) === 200, `the listener (output: ${up.output})`);

  // 2000 requests on 8 keep-alive connections at once (both workers take some): about 2.6 MB, two or three rotations.
  const requests = 2000;
  let sent = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (sent < requests) {
      const n = ++sent;
      const r = await fetch(`http://127.0.0.1:${web}/r/${n}`, { headers: { 'user-agent': agent } });
      assert.equal(r.status, 200);
      await r.arrayBuffer();
    }
  }));
  up.proc.kill('SIGTERM');
  assert.equal(await up.exited, 0, up.output);

  const base = join(dir, 'logs', 'web.log');
  const rotated = [1, 2, 3].map((i) => `${base}.${i}`).filter((p) => existsSync(p));
  assert.equal(existsSync(`${base}.4`), false, 'maxFiles 3');
  assert.ok(rotated.length >= 2, `rotated files: ${rotated.join(', ')}`);
  const seen = new Set<number>();
  for (const p of [base, ...rotated].filter((x) => existsSync(x))) {
    const text = readFileSync(p, 'utf8');
    assert.ok(text.endsWith('\n'), `${p} ends with a whole line`);
    if (p !== base) assert.ok(statSync(p).size >= 1024 * 1024, `${p} rotated at its size: ${statSync(p).size}`);
    for (const l of text.trimEnd().split('\n')) {
      const e = parseAlbLine(l);
      assert.deepEqual(e.extra, [], 'a whole line');
      assert.equal(e.user_agent, agent);
      const m = /\/r\/(\d+) HTTP/.exec(e.request);
      if (m) {
        assert.equal(seen.has(Number(m[1])), false, `request ${m[1]} logged once`);
        seen.add(Number(m[1]));
      }
    }
  }
  assert.equal(seen.size, requests, 'every request has its line in one of the files');
});
