import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShoalError } from '../../../core/errors.js';
import { checkListener, defaultListenerProtocol, type ListenerCheck } from './listener-checks.js';

const base: ListenerCheck = { type: 'network', protocol: 'TCP', hasCertificates: false, forwards: [{ arn: 'arn:tg/x', protocol: 'TCP' }] };

describe('checkListener: AWS codes for listener protocols, certificates and forwards', () => {
  const cases: Array<{ desc: string; c: Partial<ListenerCheck>; code?: string; message?: RegExp }> = [
    { desc: 'TCP on a network LB forwarding to TCP', c: {} },
    { desc: 'TCP forwards to TCP_UDP groups too', c: { forwards: [{ arn: 'arn:tg/x', protocol: 'TCP_UDP' }] } },
    { desc: 'TLS with a certificate forwards to TCP or TLS', c: { protocol: 'TLS', hasCertificates: true, forwards: [{ arn: 'a', protocol: 'TCP' }, { arn: 'b', protocol: 'TLS' }] } },
    { desc: 'UDP forwards to UDP', c: { protocol: 'UDP', forwards: [{ arn: 'a', protocol: 'UDP' }] } },
    { desc: 'HTTP on an application LB forwarding to HTTPS', c: { type: 'application', protocol: 'HTTP', forwards: [{ arn: 'a', protocol: 'HTTPS' }] } },
    { desc: 'HTTP on a network LB', c: { protocol: 'HTTP' }, code: 'ValidationError', message: /^Listener protocol 'HTTP' must be one of 'TCP, TLS, UDP, TCP_UDP'$/ },
    { desc: 'TLS on an application LB', c: { type: 'application', protocol: 'TLS', hasCertificates: true }, code: 'ValidationError', message: /^Listener protocol 'TLS' must be one of 'HTTP, HTTPS'$/ },
    { desc: 'TLS without a certificate', c: { protocol: 'TLS' }, code: 'ValidationError', message: /^A certificate must be specified for TLS listeners$/ },
    { desc: 'UDP with a certificate', c: { protocol: 'UDP', hasCertificates: true, forwards: [] }, code: 'ValidationError', message: /^A certificate cannot be specified for UDP listeners$/ },
    { desc: 'TCP to an HTTP group', c: { forwards: [{ arn: 'arn:tg/web', protocol: 'HTTP' }] }, code: 'IncompatibleProtocols', message: /^The listener and its associated target group 'arn:tg\/web' have incompatible protocols$/ },
    { desc: 'UDP to a TCP group', c: { protocol: 'UDP', forwards: [{ arn: 'arn:tg/t', protocol: 'TCP' }] }, code: 'IncompatibleProtocols' },
    { desc: 'TCP_UDP to a TCP group', c: { protocol: 'TCP_UDP', forwards: [{ arn: 'arn:tg/t', protocol: 'TCP' }] }, code: 'IncompatibleProtocols' },
    { desc: 'HTTPS to a TCP group', c: { type: 'application', protocol: 'HTTPS', hasCertificates: true, forwards: [{ arn: 'arn:tg/t', protocol: 'TCP' }] }, code: 'IncompatibleProtocols' },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const run = () => checkListener({ ...base, ...c.c });
      if (c.code === undefined) return run();
      assert.throws(run, (e: unknown) => e instanceof ShoalError && e.code === c.code && (c.message === undefined || c.message.test(e.message)));
    });
  }

  it('defaults a listener with no protocol to TCP on a network LB and HTTP on an application one', () => {
    assert.equal(defaultListenerProtocol('network'), 'TCP');
    assert.equal(defaultListenerProtocol('application'), 'HTTP');
  });
});
