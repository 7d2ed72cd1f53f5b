import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCidrs, newIpScratch, parseIp } from './ip.js';

const cases: Array<[string, string[], string, boolean]> = [
  ['v4 in /8', ['10.0.0.0/8'], '10.200.3.4', true],
  ['v4 outside /8', ['10.0.0.0/8'], '11.0.0.1', false],
  ['v4 /32 exact', ['192.168.1.7/32'], '192.168.1.7', true],
  ['v4 /32 neighbour', ['192.168.1.7/32'], '192.168.1.8', false],
  ['v4 /0 matches all v4', ['0.0.0.0/0'], '8.8.8.8', true],
  ['v4 /0 does not match v6', ['0.0.0.0/0'], '2001:db8::1', false],
  ['loopback', ['127.0.0.0/8'], '127.0.0.1', true],
  ['mapped v6 client matches v4 block', ['127.0.0.0/8'], '::ffff:127.0.0.1', true],
  ['mapped v6 client outside v4 block', ['10.0.0.0/8'], '::ffff:127.0.0.1', false],
  ['mapped hex form', ['127.0.0.0/8'], '::ffff:7f00:1', true],
  ['mapped v6 block matches v4 client', ['::ffff:10.0.0.0/104'], '10.1.2.3', true],
  ['v6 /32', ['2001:db8::/32'], '2001:db8:1::5', true],
  ['v6 /32 outside', ['2001:db8::/32'], '2001:db9::5', false],
  ['v6 odd prefix /33', ['2001:db8:8000::/33'], '2001:db8:ffff::1', true],
  ['v6 odd prefix /33 outside', ['2001:db8:8000::/33'], '2001:db8:7fff::1', false],
  ['v6 loopback', ['::1/128'], '::1', true],
  ['v6 ::/0 matches v6', ['::/0'], 'fe80::1%eth0', true],
  ['v6 block does not match v4', ['::/0'], '10.0.0.1', false],
  ['several blocks are OR', ['10.0.0.0/8', '::1/128'], '::1', true],
  ['bare address is /32', ['1.2.3.4'], '1.2.3.4', true],
  ['garbage client never matches', ['0.0.0.0/0'], 'not-an-ip', false],
  ['empty client never matches', ['0.0.0.0/0'], '', false],
];

for (const [name, blocks, ip, want] of cases) {
  test(`cidr: ${name}`, () => {
    const s = newIpScratch();
    parseIp(ip, s);
    assert.equal(compileCidrs(blocks).contains(s), want);
  });
}

test('parseIp: expands :: and dotted tails', () => {
  const s = newIpScratch();
  assert.ok(parseIp('2001:db8::ff00:42:8329', s));
  assert.equal(s.family, 6);
  assert.deepEqual([...s.v6], [0x20010db8, 0, 0x0000ff00, 0x00428329]);
  assert.ok(parseIp('::', s));
  assert.deepEqual([...s.v6], [0, 0, 0, 0]);
  assert.ok(parseIp('64:ff9b::192.0.2.33', s));
  assert.deepEqual([...s.v6], [0x0064ff9b, 0, 0, 0xc0000221]);
});

test('parseIp: rejects malformed addresses', () => {
  const s = newIpScratch();
  for (const bad of ['1.2.3', '1.2.3.4.5', '256.1.1.1', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', ':1', '1:']) {
    assert.equal(parseIp(bad, s), false, bad);
  }
});

test('compileCidrs: rejects bad blocks with a ValidationError', () => {
  for (const bad of ['10.0.0.0/33', '10.0.0.0/', 'x/8', '2001:db8::/129']) {
    assert.throws(() => compileCidrs([bad]), { code: 'ValidationError' }, bad);
  }
});
