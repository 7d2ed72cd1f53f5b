import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlpnPolicy } from '../../model/load-balancer.js';
import { offeredAlpn } from './material.js';

describe('offeredAlpn', () => {
  it('an HTTPS listener with no policy offers h2 first while routing.http2.enabled (ALB)', () => {
    assert.equal(offeredAlpn({ protocol: 'HTTPS' }, true), 'HTTP2Preferred');
    assert.equal(offeredAlpn({ protocol: 'HTTPS', alpnPolicy: 'None' }, true), 'HTTP2Preferred');
  });

  it('a named policy stands while HTTP/2 is on', () => {
    for (const p of ['HTTP1Only', 'HTTP2Only', 'HTTP2Optional', 'HTTP2Preferred'] as AlpnPolicy[]) assert.equal(offeredAlpn({ protocol: 'HTTPS', alpnPolicy: p }, true), p);
  });

  it('routing.http2.enabled false never offers h2', () => {
    assert.equal(offeredAlpn({ protocol: 'HTTPS' }, false), 'None');
    for (const p of ['HTTP1Only', 'HTTP2Only', 'HTTP2Optional', 'HTTP2Preferred'] as AlpnPolicy[]) assert.equal(offeredAlpn({ protocol: 'HTTPS', alpnPolicy: p }, false), 'HTTP1Only');
  });

  it('a TLS listener (NLB) offers its policy, nothing for None', () => {
    assert.equal(offeredAlpn({ protocol: 'TLS' }, true), 'None');
    assert.equal(offeredAlpn({ protocol: 'TLS', alpnPolicy: 'HTTP2Optional' }, true), 'HTTP2Optional');
  });
});
