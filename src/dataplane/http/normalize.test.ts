import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHost, readsAsFraming, requestTarget, targetIsPlain } from './normalize.js';

const targets: Array<{ desc: string; target: string; method?: string; want: { target: string; authority: string | null } | 'reject' }> = [
  { desc: 'origin-form passes', target: '/a/b?c=d', want: { target: '/a/b?c=d', authority: null } },
  { desc: 'a space, a tab and DEL are percent-encoded', target: '/a b\tc\x7f', want: { target: '/a%20b%09c%7F', authority: null } },
  { desc: 'a fragment marker is percent-encoded', target: '/a#b', want: { target: '/a%23b', authority: null } },
  { desc: 'obs-text bytes pass as they came', target: '/caf\xc3\xa9', want: { target: '/caf\xc3\xa9', authority: null } },
  { desc: 'absolute-form becomes origin-form, its authority the Host', target: 'http://Admin.Example:8080/x?y', want: { target: '/x?y', authority: 'Admin.Example:8080' } },
  { desc: 'absolute-form https, no path', target: 'HTTPS://h', want: { target: '/', authority: 'h' } },
  { desc: 'absolute-form with only a query', target: 'http://h?q=1', want: { target: '/?q=1', authority: 'h' } },
  { desc: 'absolute-form with user info', target: 'http://u@h/', want: 'reject' },
  { desc: 'absolute-form without a host', target: 'http:///x', want: 'reject' },
  { desc: 'another scheme', target: 'ftp://h/x', want: 'reject' },
  { desc: 'authority-form', target: 'h:443', want: 'reject' },
  { desc: 'a bare word', target: 'nothing', want: 'reject' },
  { desc: 'asterisk-form for OPTIONS', target: '*', method: 'OPTIONS', want: { target: '*', authority: null } },
  { desc: 'asterisk-form for GET', target: '*', want: 'reject' },
];

for (const c of targets) {
  test(`requestTarget: ${c.desc}`, () => {
    if (c.want === 'reject') assert.throws(() => requestTarget(c.target, c.method ?? 'GET'), /request target|absolute|OPTIONS/);
    else assert.deepEqual(requestTarget(c.target, c.method ?? 'GET'), c.want);
  });
}

test('targetIsPlain: only origin-form with nothing to encode', () => {
  assert.equal(targetIsPlain('/a?b=c&d=%20'), true);
  for (const t of ['/a b', '/a#b', 'http://h/', '*', '', '/a\x01']) assert.equal(targetIsPlain(t), false, JSON.stringify(t));
});

test('checkHost: one host[:port], nothing else', () => {
  for (const h of ['t', 't:80', '127.0.0.1:8080', '[::1]:443', 'xn--bcher-kva.example', '']) assert.doesNotThrow(() => checkHost(h), h);
  for (const h of ['a b', 't, u', 't\tu', 'a/b', 'u@h', 't:8o', '[::1']) assert.throws(() => checkHost(h), /Host/, h);
});

test('readsAsFraming: the framing names and their look-alikes, not other names', () => {
  for (const n of ['transfer-encoding', 'content-length', 'transfer_encoding', 'content-length ', ' transfer-encoding', 'tran\xc5\xbffer-encoding']) {
    assert.equal(readsAsFraming(n), true, JSON.stringify(n));
  }
  for (const n of ['content-lengt', 'content-type', 'x-transfer-encoding-id', 'host']) assert.equal(readsAsFraming(n), false, n);
});
