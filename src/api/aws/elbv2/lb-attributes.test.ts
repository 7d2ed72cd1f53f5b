import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShoalError } from '../../../core/errors.js';
import type { LoadBalancerType } from '../../../model/load-balancer.js';
import { lbAttributesIn } from './lb-attributes.js';

const apply = (type: LoadBalancerType, Key: string, Value: string) => lbAttributesIn([{ Key, Value }], type).spec?.({ attributes: {} });

describe('lbAttributesIn: keys per load balancer type', () => {
  const ok: Array<{ desc: string; type: LoadBalancerType; key: string; value: string; want: Record<string, unknown> }> = [
    { desc: 'cross-zone off on a network LB', type: 'network', key: 'load_balancing.cross_zone.enabled', value: 'false', want: { crossZoneEnabled: false } },
    { desc: 'cross-zone on on a network LB', type: 'network', key: 'load_balancing.cross_zone.enabled', value: 'true', want: { crossZoneEnabled: true } },
    { desc: 'access logs on a network LB', type: 'network', key: 'access_logs.s3.enabled', value: 'true', want: { accessLogs: { enabled: true } } },
    { desc: 'HTTP/2 off on an application LB', type: 'application', key: 'routing.http2.enabled', value: 'false', want: { http2Enabled: false } },
  ];
  for (const c of ok) it(c.desc, () => assert.deepEqual(apply(c.type, c.key, c.value), { attributes: c.want }));

  const refused: Array<{ desc: string; type: LoadBalancerType; key: string; value: string; code: string; message: RegExp }> = [
    { desc: 'routing.http2.enabled on a network LB', type: 'network', key: 'routing.http2.enabled', value: 'true', code: 'InvalidConfigurationRequest', message: /^Load balancer attribute key 'routing\.http2\.enabled' is not supported on load balancers with type 'network'$/ },
    { desc: 'idle_timeout on a network LB', type: 'network', key: 'idle_timeout.timeout_seconds', value: '60', code: 'InvalidConfigurationRequest', message: /'idle_timeout\.timeout_seconds'/ },
    { desc: 'an xff key on a network LB', type: 'network', key: 'routing.http.xff_header_processing.mode', value: 'append', code: 'InvalidConfigurationRequest', message: /routing\.http\.xff_header_processing\.mode/ },
    { desc: 'waf on a network LB', type: 'network', key: 'waf.fail_open.enabled', value: 'false', code: 'InvalidConfigurationRequest', message: /waf\.fail_open\.enabled/ },
    { desc: 'cross-zone not a boolean', type: 'network', key: 'load_balancing.cross_zone.enabled', value: 'yes', code: 'ValidationError', message: /true or false/ },
    { desc: 'cross-zone off on an application LB (always on, as ALB)', type: 'application', key: 'load_balancing.cross_zone.enabled', value: 'false', code: 'ValidationError', message: /only at 'true'/ },
  ];
  for (const c of refused) {
    it(`refuses ${c.desc}`, () => {
      assert.throws(() => apply(c.type, c.key, c.value), (e: unknown) => e instanceof ShoalError && e.code === c.code && c.message.test(e.message));
    });
  }
});
