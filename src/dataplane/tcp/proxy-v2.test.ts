import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyV2Header, SIGNATURE } from './proxy-v2.js';

test('IPv4 over TCP: signature, 0x21, 0x11, length 12, addresses and ports big-endian', () => {
  const h = proxyV2Header({ source: '127.0.0.9', sourcePort: 51000, destination: '127.0.0.1', destinationPort: 6379 });
  assert.equal(h.length, 28);
  assert.deepEqual(h.subarray(0, 12), SIGNATURE);
  assert.deepEqual([...h.subarray(12, 16)], [0x21, 0x11, 0x00, 0x0c]);
  assert.deepEqual([...h.subarray(16, 24)], [127, 0, 0, 9, 127, 0, 0, 1]);
  assert.equal(h.readUInt16BE(24), 51000);
  assert.equal(h.readUInt16BE(26), 6379);
});

test('IPv4-mapped IPv6 addresses go as IPv4; UDP is DGRAM (0x12)', () => {
  const h = proxyV2Header({ source: '::ffff:10.1.2.3', sourcePort: 1, destination: '::ffff:10.0.0.1', destinationPort: 2 }, 'udp');
  assert.equal(h[13], 0x12);
  assert.deepEqual([...h.subarray(16, 20)], [10, 1, 2, 3]);
});

test('IPv6: family 0x21, length 36, "::" expanded', () => {
  const h = proxyV2Header({ source: '::1', sourcePort: 443, destination: 'fd00:1::2:3', destinationPort: 80 });
  assert.equal(h.length, 52);
  assert.equal(h[13], 0x21);
  assert.equal(h.readUInt16BE(14), 36);
  assert.equal(h.subarray(16, 32).toString('hex'), '00000000000000000000000000000001');
  assert.equal(h.subarray(32, 48).toString('hex'), 'fd000001000000000000000000020003');
  assert.equal(h.readUInt16BE(48), 443);
});

test('mixed families: UNSPEC with no address block', () => {
  const h = proxyV2Header({ source: '127.0.0.1', sourcePort: 1, destination: '::1', destinationPort: 2 });
  assert.deepEqual([...h.subarray(12)], [0x21, 0x00, 0x00, 0x00]);
});
