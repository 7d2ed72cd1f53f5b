import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostAllowed, originAllowed, parseHostHeader, type HostPolicy } from './hosts.js';
import { isLoopbackHost, isWildcardHost } from '../../core/addresses.js';

const loop: HostPolicy = { listenHost: '127.0.0.1', port: 4566, allowedHosts: [] };
const v6: HostPolicy = { listenHost: '::1', port: 4566, allowedHosts: [] };
const any: HostPolicy = { listenHost: '0.0.0.0', port: 4566, allowedHosts: ['shoal.internal', 'proxy.example.com:443'] };
const lan: HostPolicy = { listenHost: '192.168.1.5', port: 4566, allowedHosts: ['shoal.lan'] };

test('parseHostHeader', () => {
  const cases: [string | undefined, ReturnType<typeof parseHostHeader>][] = [
    ['127.0.0.1:4566', { name: '127.0.0.1', port: 4566 }],
    ['LocalHost.:4566', { name: 'localhost', port: 4566 }],
    ['[0:0::1]:4566', { name: '::1', port: 4566 }],
    ['example.com', { name: 'example.com', port: 80 }],
    [undefined, undefined],
    ['', undefined],
    ['a b:1', undefined],
    ['user@127.0.0.1:4566', undefined],
    ['127.0.0.1:4566/x', undefined],
    ['127.0.0.1:99999', undefined],
    ['[nope]:1', undefined],
    ['::1:4566', undefined],
  ];
  for (const [header, want] of cases) assert.deepEqual(parseHostHeader(header), want, String(header));
});

test('hostAllowed: the API\'s own names pass, rebinding names do not', () => {
  const cases: [string, HostPolicy, string | undefined, boolean][] = [
    ['the listen address', loop, '127.0.0.1:4566', true],
    ['localhost on a loopback listener', loop, 'localhost:4566', true],
    ['*.localhost on a loopback listener', loop, 'web-1a2b.elb.localhost:4566', true],
    ['another loopback IP', loop, '127.0.0.2:4566', true],
    ['::1 on an IPv4 loopback listener (the name is loopback either way)', loop, '[::1]:4566', true],
    ['a rebinding name', loop, 'evil.example:4566', false],
    ['a name ending in localhost that is not a subdomain', loop, 'evillocalhost:4566', false],
    ['the right host on another port', loop, '127.0.0.1:4567', false],
    ['no port means 80', loop, '127.0.0.1', false],
    ['no Host header', loop, undefined, false],
    ['an IPv6 loopback listener', v6, '[::1]:4566', true],
    ['IPv6 listener, localhost', v6, 'localhost:4566', true],
    ['wildcard: a LAN IP literal', any, '192.168.1.5:4566', true],
    ['wildcard: localhost', any, 'localhost:4566', true],
    ['wildcard: an allowed name', any, 'SHOAL.internal:4566', true],
    ['wildcard: an allowed name with its own port', any, 'proxy.example.com:443', true],
    ['wildcard: the allowed name on the API port is not the proxy entry', any, 'proxy.example.com:4566', false],
    ['wildcard: an unknown name', any, 'evil.example:4566', false],
    ['LAN bind: its address', lan, '192.168.1.5:4566', true],
    ['LAN bind: its allowed name', lan, 'shoal.lan:4566', true],
    ['LAN bind: localhost does not reach it', lan, 'localhost:4566', false],
    ['LAN bind: another IP', lan, '10.0.0.1:4566', false],
  ];
  for (const [what, policy, header, want] of cases) assert.equal(hostAllowed(header, policy), want, what);
});

test('originAllowed', () => {
  const cases: [string, string | undefined, boolean][] = [
    ['no Origin (not a browser, or a same-origin GET)', undefined, true],
    ['the console itself', 'http://127.0.0.1:4566', true],
    ['localhost', 'http://localhost:4566', true],
    ['another site', 'http://evil.example', false],
    ['another port', 'http://127.0.0.1:8080', false],
    ['null (sandboxed frame, file:)', 'null', false],
    ['https is not served', 'https://127.0.0.1:4566', false],
    ['garbage', 'x', false],
  ];
  for (const [what, origin, want] of cases) assert.equal(originAllowed(origin, loop), want, what);
});

test('loopback and wildcard addresses', () => {
  const cases: [string, boolean, boolean][] = [
    ['127.0.0.1', true, false], ['127.8.0.3', true, false], ['localhost', true, false], ['::1', true, false],
    ['[::1]', true, false], ['::ffff:127.0.0.1', true, false], ['0.0.0.0', false, true], ['::', false, true],
    ['192.168.1.5', false, false], ['example.com', false, false], ['128.0.0.1', false, false],
  ];
  for (const [host, lo, wild] of cases) assert.deepEqual([isLoopbackHost(host), isWildcardHost(host)], [lo, wild], host);
});
