import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { autoScalingGroupRaw, targetGroupRaw } from './create-routes.js';

describe('POST /_shoal/target-groups: the request as the config file\'s target group', () => {
  const cases: { desc: string; body: unknown; raw?: Record<string, unknown>; error?: RegExp }[] = [
    { desc: 'defaults to HTTP, no health check fields given', body: { name: 'a', port: 80 }, raw: { name: 'a', protocol: 'HTTP', port: 80, healthCheck: {}, attributes: {} } },
    { desc: 'keeps the health check fields given, drops empty ones', body: { name: 'a', protocol: 'TCP', port: 6379, healthCheck: { protocol: 'TCP', path: '', intervalSeconds: 10 } },
      raw: { name: 'a', protocol: 'TCP', port: 6379, healthCheck: { protocol: 'TCP', intervalSeconds: 10 }, attributes: {} } },
    { desc: 'no name', body: { port: 80 }, error: /name is required/ },
    { desc: 'a port that is not a number', body: { name: 'a', port: '80' }, error: /port must be a whole number/ },
    { desc: 'an unknown health check field', body: { name: 'a', port: 80, healthCheck: { pth: '/' } }, error: /healthCheck has no field pth/ },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      if (c.error) assert.throws(() => targetGroupRaw(c.body), (e: Error) => c.error!.test(e.message));
      else assert.deepEqual(targetGroupRaw(c.body), c.raw);
    });
  }
});

describe('POST /_shoal/auto-scaling-groups: the request is the config file\'s group', () => {
  it('passes the group through for the config schema to check', () => {
    const body = { name: 'web', launchTemplate: { name: 'hello' }, minSize: 1, maxSize: 2, availabilityZones: ['zone-a'] };
    assert.equal(autoScalingGroupRaw(body), body);
  });
  for (const body of [undefined, [], { minSize: 1 }, { name: '' }]) {
    it(`refuses ${JSON.stringify(body)} without a name`, () => assert.throws(() => autoScalingGroupRaw(body), /name is required/));
  }
});
