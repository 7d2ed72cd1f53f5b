/**
 * Metrics through a real daemon: an app's PutMetricData over the JSON API,
 * read back by query, list and `shoal metrics get`; AWS/EC2 and
 * AWS/AutoScaling metrics of a group of real hello instances; minute
 * rollups that survive a daemon restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../support/backends.js';
import { api } from '../support/api.js';
import { groupConfig, startAsgDaemon, waitFor, type AsgDaemon } from './asg-support.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';

const CLI = resolve('dist/src/cli/main.js');
/** The CLI, asynchronously: the daemon answering it runs in this process. */
const shoal = (args: string[]) => promisify(execFile)(process.execPath, [CLI, ...args], { encoding: 'utf8' });

const query = (daemon: Daemon, q: Record<string, unknown>) => api(daemon, 'POST', '/_shoal/metrics/query', q);

test('custom metrics: put through the API, read back by query, list and the CLI; AWS errors; history survives a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-metrics-'));
  const configPath = join(dir, 'shoal.yaml');
  writeFileSync(configPath, `stateDir: ${join(dir, 'state')}\napi: { listen: 127.0.0.1:${await freePort()} }\n`);
  const start = () => Daemon.start({ configPath, clock: systemClock, random: seededRandom(1), log: silentLogger, workers: 0 });
  let daemon = await start();
  try {
    const now = Date.now();
    const t0 = now - (now % 60_000) - 120_000; // two whole minutes ago
    const dims = [{ name: 'Queue', value: 'emails' }];
    const put = await api(daemon, 'POST', '/_shoal/metrics', {
      namespace: 'MyApp',
      metricData: [
        ...Array.from({ length: 60 }, (_, i) => ({ metricName: 'JobLatency', dimensions: dims, values: [i + 1, 100 + i], timestamp: t0 + i * 1000, unit: 'Milliseconds' })),
        { metricName: 'JobsDone', dimensions: dims, value: 7, timestamp: t0 },
        { metricName: 'JobsDone', dimensions: dims, statisticValues: { sampleCount: 3, sum: 12, minimum: 2, maximum: 6 }, timestamp: t0 + 61_000 },
      ],
    });
    assert.equal(put.status, 200, JSON.stringify(put.json));

    const sum = await query(daemon, { namespace: 'MyApp', metricName: 'JobsDone', dimensions: dims, statistic: 'Sum', period: 60, start: t0, end: t0 + 120_000 });
    assert.deepEqual(sum.json.Datapoints.map((d: any) => [Date.parse(d.Timestamp) - t0, d.Value, d.SampleCount]), [[0, 7, 1], [60_000, 12, 3]]);
    const p99 = await query(daemon, { namespace: 'MyApp', metricName: 'JobLatency', dimensions: dims, statistic: 'p99', period: 60, start: new Date(t0).toISOString(), end: t0 + 60_000 });
    assert.equal(p99.json.Datapoints.length, 1);
    assert.ok(Math.abs(p99.json.Datapoints[0].Value - 158) <= 0.02 * 158, JSON.stringify(p99.json));
    assert.equal(p99.json.Datapoints[0].Unit, 'Milliseconds');
    const tenSec = await query(daemon, { namespace: 'MyApp', metricName: 'JobLatency', dimensions: dims, statistic: 'SampleCount', period: 10, start: t0, end: t0 + 60_000 });
    assert.deepEqual(tenSec.json.Datapoints.map((d: any) => d.Value), [20, 20, 20, 20, 20, 20]);

    const list = await api(daemon, 'POST', '/_shoal/metrics/list', { namespace: 'MyApp' });
    assert.deepEqual(list.json.Metrics.map((m: any) => m.MetricName), ['JobLatency', 'JobsDone']);
    assert.deepEqual(list.json.Metrics[0].Dimensions, [{ Name: 'Queue', Value: 'emails' }]);

    const errors: [unknown, number, string][] = [
      [{ namespace: 'AWS/EC2', metricData: [{ metricName: 'X', value: 1 }] }, 400, 'InvalidParameterValue'],
      [{ namespace: 'MyApp', metricData: [{ metricName: 'X', value: 1, values: [1] }] }, 400, 'InvalidParameterCombination'],
      [{ namespace: 'MyApp', metricData: [{ metricName: 'X' }] }, 400, 'MissingParameter'],
    ];
    for (const [body, status, code] of errors) {
      const r = await api(daemon, 'POST', '/_shoal/metrics', body);
      assert.deepEqual([r.status, r.json.code], [status, code], JSON.stringify(r.json));
    }
    const badQuery = await query(daemon, { namespace: 'MyApp', metricName: 'JobsDone', statistic: 'Median', period: 60 });
    assert.deepEqual([badQuery.status, badQuery.json.code], [400, 'InvalidParameterValue']);

    const cli = await shoal(['metrics', 'get', '-f', configPath, '--namespace', 'MyApp', '--metric', 'JobLatency',
      '--dimension', 'Queue=emails', '--statistic', 'Maximum', '--period', '10', '--since', String(t0), '--until', String(t0 + 60_000)]);
    assert.match(cli.stdout, /MyApp JobLatency Queue=emails: Maximum per 10 s/);
    assert.match(cli.stdout, /▁▂▄▅▇█/);
    assert.match(cli.stdout, /TIME\s+VALUE\s+SAMPLES\n.*Z\s+109 Milliseconds\s+20/);
    const cliList = await shoal(['metrics', 'list', '--endpoint', daemon.apiAddress(), '--api-token', daemon.apiToken, '--namespace', 'MyApp']);
    assert.match(cliList.stdout, /MyApp\s+JobsDone\s+Queue=emails/);

    // Minutes live in metrics.db: a new daemon on the same state dir answers from them.
    await daemon.stop(1000);
    daemon = await start();
    const again = await query(daemon, { namespace: 'MyApp', metricName: 'JobsDone', dimensions: dims, statistic: 'Sum', period: 60, start: t0, end: t0 + 120_000 });
    assert.deepEqual(again.json.Datapoints.map((d: any) => d.Value), [7, 12]);
  } finally {
    await daemon.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('AWS/EC2 and AWS/AutoScaling metrics of a group of real instances', async () => {
  const lbPort = await freePort();
  const appPort = await freePort();
  let s: AsgDaemon | undefined;
  try {
    s = await startAsgDaemon(groupConfig({ lbPort, appPort, min: 2, max: 3, zones: ['zone-a'] }));
    const d = s.daemon;
    const group = [{ name: 'AutoScalingGroupName', value: 'app' }];
    const latest = async (namespace: string, metricName: string, dimensions = group, statistic = 'Maximum') => {
      const r = await query(d, { namespace, metricName, dimensions, statistic, period: 1, start: Date.now() - 5000 });
      return r.json.Datapoints.at(-1)?.Value as number | undefined;
    };
    await waitFor('GroupInServiceInstances = 2', async () => (await latest('AWS/AutoScaling', 'GroupInServiceInstances')) === 2, 30_000);
    assert.equal(await latest('AWS/AutoScaling', 'GroupDesiredCapacity'), 2);
    assert.equal(await latest('AWS/AutoScaling', 'GroupMaxSize'), 3);
    assert.equal(await latest('AWS/AutoScaling', 'GroupTotalInstances'), 2);
    const cpu = await waitFor('group CPUUtilization from both instances', async () => {
      const r = await query(d, { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: group, statistic: 'SampleCount', period: 1, start: Date.now() - 5000 });
      return r.json.Datapoints.some((d: any) => d.Value === 2) ? r.json.Datapoints : undefined;
    });
    assert.ok(cpu.length > 0);
    const id = s.asg.group('app')!.state.instances[0]!.instanceId;
    const own = await waitFor('per-instance CPUUtilization', () => latest('AWS/EC2', 'CPUUtilization', [{ name: 'InstanceId', value: id }], 'Average'));
    assert.ok(own >= 0 && own <= 100);
    assert.equal(await latest('AWS/EC2', 'StatusCheckFailed', [{ name: 'InstanceId', value: id }]), 0);
    const names = (await api(d, 'POST', '/_shoal/metrics/list', { namespace: 'AWS/AutoScaling' })).json.Metrics.map((m: any) => m.MetricName);
    for (const n of ['GroupMinSize', 'GroupMaxSize', 'GroupDesiredCapacity', 'GroupInServiceInstances', 'GroupPendingInstances', 'GroupStandbyInstances', 'GroupTerminatingInstances', 'GroupTotalInstances']) {
      assert.ok(names.includes(n), `${n} in ${names.join(' ')}`);
    }
  } finally {
    await s?.destroy();
  }
});
