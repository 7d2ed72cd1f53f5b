/**
 * AWS/ApplicationELB metrics end to end: traffic through the load balancer
 * shows up in the daemon's metrics store under AWS's names and dimensions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startBackend } from '../support/backends.js';
import { basicConfig, startDaemon, waitForHealth } from '../support/daemon.js';
import { rawExchange } from '../support/raw-http.js';
import { loadBalancerDimension, targetGroupDimension } from '../../src/model/ids.js';
import type { Statistic } from '../../src/metrics/types.js';

test('requests, status codes, response times and host counts are published per load balancer and target group', async () => {
  const slowish = await startBackend('b', (req, res) => {
    setTimeout(() => {
      const status = req.url === '/missing' ? 404 : 200;
      res.writeHead(status, { 'content-length': '2' });
      res.end('ok');
    }, 20);
  });
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({ port, targets: [slowish.port], healthCheck: 'path: /, intervalSeconds: 30' }));
  try {
    await waitForHealth(shoal.daemon, 'app', (l) => l[0]?.targetHealth.state === 'healthy');
    const start = Date.now() - 1000;
    for (let i = 0; i < 10; i++) await rawExchange(port, 'GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    await rawExchange(port, 'GET /missing HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    const LB = { name: 'LoadBalancer', value: loadBalancerDimension('web') };
    const TG = { name: 'TargetGroup', value: targetGroupDimension('app') };
    const metrics = shoal.daemon.control.metrics!;
    const total = (metricName: string, dimensions: (typeof LB)[], statistic: Statistic = 'Sum') => {
      const points = metrics.query({
        namespace: 'AWS/ApplicationELB', metricName, dimensions, statistic, periodSeconds: 3600,
        start: Math.floor(start / 3_600_000) * 3_600_000, end: Date.now() + 3_600_000,
      });
      return points.length === 0 ? undefined : points.reduce((a, p) => a + p.value, 0);
    };
    // Workers report once a second: wait for the counts to land.
    const deadline = Date.now() + 5000;
    while (total('RequestCount', [LB]) !== 11 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(total('RequestCount', [LB]), 11);
    assert.equal(total('RequestCount', [LB, TG]), 11);
    assert.equal(total('HTTPCode_Target_2XX_Count', [LB, TG]), 10);
    assert.equal(total('HTTPCode_Target_4XX_Count', [LB, TG]), 1);
    assert.equal(total('RequestCountPerTarget', [TG]), 11, 'one healthy target');
    assert.equal(total('NewConnectionCount', [LB]), 11);
    const rt = total('TargetResponseTime', [LB, TG], 'Average')!;
    assert.ok(rt >= 0.02 && rt < 1, `average response time ${rt} s`);
    const p99 = total('TargetResponseTime', [LB, TG], 'p99');
    assert.ok(p99 !== undefined && p99 >= 0.02, `p99 ${p99}`);
    const healthy = metrics.query({
      namespace: 'AWS/ApplicationELB', metricName: 'HealthyHostCount', dimensions: [LB, TG], statistic: 'Maximum',
      periodSeconds: 60, start: Math.floor(start / 60_000) * 60_000, end: Date.now() + 60_000,
    });
    assert.ok(healthy.some((p) => p.value === 1), JSON.stringify(healthy));
  } finally {
    await shoal.stop();
    await slowish.close();
  }
});
