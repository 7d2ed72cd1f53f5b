/**
 * AWS/EC2 NetworkIn / NetworkOut of instances behind the load balancer: the
 * bytes the data plane exchanged with each instance, per InstanceId.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../support/backends.js';
import { get, groupConfig, inService, startAsgDaemon, waitFor } from './asg-support.js';

test('traffic through the load balancer shows up as NetworkIn/NetworkOut of the instance that served it', async () => {
  const lbPort = await freePort();
  const s = await startAsgDaemon(groupConfig({ lbPort, appPort: await freePort(), min: 1, max: 1, zones: ['zone-a'] }));
  try {
    await waitFor('a healthy instance', () => (s.daemon.control.describeTargetHealth('app') ?? []).some((d) => d.targetHealth.state === 'healthy'), 30_000);
    const [id] = inService(s.asg);
    const start = Date.now() - 1000;
    for (let i = 0; i < 5; i++) assert.equal((await get(lbPort, `/x${i}`)).status, 200);
    const total = (metricName: string) =>
      s.daemon.control.metrics!.query({
        namespace: 'AWS/EC2', metricName, dimensions: [{ name: 'InstanceId', value: id! }], statistic: 'Sum',
        periodSeconds: 3600, start: Math.floor(start / 3_600_000) * 3_600_000, end: Date.now() + 3_600_000,
      }).reduce((a, p) => a + p.value, 0);
    // Five requests of ~200 bytes out and five hello responses back, published within a couple of seconds.
    await waitFor('NetworkIn published', () => total('NetworkIn') >= 5 * 100 || undefined, 5000);
    assert.ok(total('NetworkOut') >= 5 * 100, `NetworkOut ${total('NetworkOut')}`);
  } finally {
    await s.destroy();
  }
});
