/**
 * GET /metrics with a real Prometheus (Debian's `prometheus`, installed by
 * .ci/run): it scrapes the daemon every second with the API token from the
 * state dir (authorization.credentials_file, read at every scrape), and its
 * query API answers with shoal's series. Also who may read /metrics: the
 * token, an api.credentials pair as HTTP Basic, nobody else unless
 * api.metrics.public.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startBackend } from '../support/backends.js';
import { basicConfig, startDaemon, waitForHealth } from '../support/daemon.js';
import { rawApi } from '../support/api.js';
import { rawExchange } from '../support/raw-http.js';

const PROMETHEUS = '/usr/bin/prometheus';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('who may read GET /metrics', async (t) => {
  const shoal = await startDaemon(basicConfig({ port: await freePort(), targets: [] }));
  t.after(() => shoal.stop());
  const at = shoal.daemon.apiAddress();
  const cases: { description: string; headers: Record<string, string>; method?: string; status: number; code?: string }[] = [
    { description: 'no credentials', headers: {}, status: 401, code: 'MissingAuthenticationToken' },
    { description: "the daemon's API token", headers: { authorization: `Bearer ${shoal.daemon.apiToken}` }, status: 200 },
    { description: 'a stale token', headers: { authorization: `Bearer ${'0'.repeat(64)}` }, status: 403, code: 'InvalidClientTokenId' },
    { description: 'an api.credentials pair as Basic', headers: { authorization: basic('test', 'test') }, status: 200 },
    { description: 'a wrong password', headers: { authorization: basic('test', 'nope') }, status: 403, code: 'InvalidClientTokenId' },
    { description: 'a POST', headers: { authorization: `Bearer ${shoal.daemon.apiToken}` }, method: 'POST', status: 405 },
    { description: 'another Host (DNS rebinding)', headers: { authorization: `Bearer ${shoal.daemon.apiToken}`, host: 'evil.example:80' }, status: 403, code: 'Forbidden' },
  ];
  for (const c of cases) {
    const r = await rawApi(at, { method: c.method, path: '/metrics', headers: c.headers });
    assert.equal(r.status, c.status, `${c.description}: ${r.text.slice(0, 300)}`);
    if (c.code) assert.ok(r.text.startsWith(`${c.code}: `), `${c.description}: ${r.text}`);
    if (c.status === 200) {
      assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      assert.match(r.text, /^# TYPE shoal_lb_requests_total counter$/m);
    }
  }
  const refused = await rawApi(at, { path: '/metrics' });
  assert.match(refused.text, /credentials_file/, 'the refusal says how a scraper gets in');

  const open = await startDaemon(basicConfig({ port: await freePort(), targets: [] }).replace('api: { listen: 127.0.0.1:API }', 'api: { listen: 127.0.0.1:API, metrics: { public: true } }'));
  t.after(() => open.stop());
  assert.equal((await rawApi(open.daemon.apiAddress(), { path: '/metrics' })).status, 200, 'api.metrics.public');
  assert.equal((await rawApi(open.daemon.apiAddress(), { path: '/_shoal/status' })).status, 401, 'the rest of the API still needs credentials');
});

interface PromAnswer {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

test("Prometheus scrapes /metrics with the state dir's API token and has shoal's series", async (t) => {
  assert.ok(spawnSync(PROMETHEUS, ['--version']).status === 0, `${PROMETHEUS} is needed (Debian's prometheus package; .ci/run installs it)`);
  const backend = await startBackend('b1');
  t.after(() => backend.close());
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({ port, targets: [backend.port], healthCheck: 'path: /, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2' }));
  t.after(() => shoal.stop());
  await waitForHealth(shoal.daemon, 'app', (l) => l[0]?.targetHealth.state === 'healthy');
  for (let i = 0; i < 5; i++) assert.equal((await rawExchange(port, 'GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n')).status, 200);

  const dir = mkdtempSync(join(tmpdir(), 'shoal-prometheus-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const promPort = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), `
global: { scrape_interval: 1s, scrape_timeout: 1s }
scrape_configs:
  - job_name: shoal
    metrics_path: /metrics
    authorization: { type: Bearer, credentials_file: ${shoal.daemon.apiTokenPath} }
    static_configs: [{ targets: ["${shoal.daemon.apiAddress()}"] }]
`);
  const prom = spawn(PROMETHEUS, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  prom.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => prom.on('exit', () => r()));
  t.after(async () => {
    prom.kill('SIGTERM');
    const killer = setTimeout(() => prom.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  });

  const query = async (q: string): Promise<PromAnswer['data']['result']> => {
    const r = await rawApi(`127.0.0.1:${promPort}`, { path: `/api/v1/query?query=${encodeURIComponent(q)}` }).catch(() => undefined);
    const body = r?.json as PromAnswer | undefined;
    return body?.status === 'success' ? body.data.result : [];
  };
  const deadline = Date.now() + 60_000;
  let result: Awaited<ReturnType<typeof query>> = [];
  while (result.length === 0) {
    assert.ok(Date.now() < deadline, `Prometheus never had shoal_lb_requests_total; its log:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
    result = await query('shoal_lb_requests_total');
  }
  const twoxx = result.find((s) => s.metric.target_group === 'app' && s.metric.code === '2xx');
  assert.ok(twoxx, JSON.stringify(result));
  assert.equal(twoxx.metric.load_balancer, 'web');
  assert.equal(twoxx.metric.job, 'shoal');
  assert.ok(Number(twoxx.value[1]) >= 5, JSON.stringify(twoxx));

  const up = await query('up{job="shoal"}');
  assert.equal(up[0]?.value[1], '1', 'the scrape succeeds (authorized)');
  const p99 = await query('histogram_quantile(0.99, sum by (le) (shoal_lb_target_response_seconds_bucket))');
  assert.ok(p99.length === 1 && Number(p99[0]!.value[1]) > 0, JSON.stringify(p99));
  const healthy = await query('shoal_target_group_targets{state="healthy"}');
  assert.equal(healthy[0]?.value[1], '1');
  const workers = await query('shoal_dataplane_workers');
  assert.equal(workers[0]?.value[1], '1', 'the in-process data plane');
  assert.ok((await query('process_resident_memory_bytes{job="shoal"}')).length === 1);

  // examples/grafana-dashboard.json: every query is valid PromQL on this Prometheus, every metric it names is
  // one /metrics exposes, and the traffic panels have data.
  const dashboard = JSON.parse(readFileSync('examples/grafana-dashboard.json', 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
  const exposed = (await rawApi(shoal.daemon.apiAddress(), { path: '/metrics', headers: { authorization: `Bearer ${shoal.daemon.apiToken}` } })).text;
  const types = new Set([...exposed.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
  for (const panel of dashboard.panels) {
    for (const { expr } of panel.targets) {
      for (const [name] of expr.matchAll(/\b(?:shoal|process|nodejs)_[a-z0-9_]+/g)) {
        assert.ok(types.has(name) || types.has(name.replace(/_(bucket|sum|count)$/, '')), `${panel.title}: ${name} is not exposed`);
      }
      const promql = expr.replaceAll('$__rate_interval', '1m').replace(/\$(load_balancer|group|job)\b/g, '.*');
      const r = await rawApi(`127.0.0.1:${promPort}`, { path: `/api/v1/query?query=${encodeURIComponent(promql)}` });
      assert.equal((r.json as PromAnswer).status, 'success', `${panel.title}: ${promql}: ${r.text}`);
    }
  }
  for (const title of ['Requests per second', 'Target response time', 'Targets by health state']) {
    const expr = dashboard.panels.find((p) => p.title === title)!.targets[0]!.expr.replaceAll('$__rate_interval', '1m').replace(/\$(load_balancer|group|job)\b/g, '.*');
    for (const deadline = Date.now() + 20_000; (await query(expr)).length === 0;) {
      assert.ok(Date.now() < deadline, `${title} has no data: ${expr}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
});
