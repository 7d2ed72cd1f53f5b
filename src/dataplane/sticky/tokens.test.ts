import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StickyTokens, cookieValue } from './tokens.js';
import { setsCookie, StickyPolicy } from './policy.js';

const tokens = new StickyTokens('ab'.repeat(32));

test('a token names its key within its scope only', () => {
  const v = tokens.encode('app', '127.0.0.1:9001');
  assert.equal(tokens.decode('app', v), '127.0.0.1:9001');
  assert.equal(tokens.decode('other', v), null, 'another target group');
  assert.equal(new StickyTokens('cd'.repeat(32)).decode('app', v), null, 'another secret');
  const [key, mac] = v.split('.');
  assert.equal(tokens.decode('app', `${Buffer.from('127.0.0.1:9002').toString('base64url')}.${mac}`), null, 'another key');
  for (const bad of ['', '.', key!, `${key}.`, `${key}.${mac}x`, `.${mac}`, 'x'.repeat(600)]) assert.equal(tokens.decode('app', bad), null, bad);
});

const cookies: Array<[string | undefined, string, string | undefined]> = [
  ['AWSALB=x.y; other=1', 'AWSALB', 'x.y'],
  ['a=1;AWSALB=v', 'AWSALB', 'v'],
  ['AWSALBCORS=v', 'AWSALB', undefined],
  [' a = 1 ; b=2', 'a', '1'],
  [undefined, 'a', undefined],
];
for (const [header, name, want] of cookies) {
  test(`cookieValue(${JSON.stringify(header)}, ${name})`, () => assert.equal(cookieValue(header, name), want));
}

test('setsCookie finds the application cookie among Set-Cookie lines, any case', () => {
  const head = 'HTTP/1.1 200 OK\r\nset-cookie: other=1\r\nSet-Cookie:  SESSIONID=abc; Path=/\r\n\r\n';
  assert.equal(setsCookie(head, 'SESSIONID'), true);
  assert.equal(setsCookie(head, 'SESSION'), false);
  assert.equal(setsCookie('HTTP/1.1 200 OK\r\nX-Set-Cookie: SESSIONID=1\r\n\r\n', 'SESSIONID'), false, 'another field ending in set-cookie');
});

test('lb_cookie lines: AWSALB and AWSALBCORS with the duration as Expires', () => {
  const p = new StickyPolicy('app', { enabled: true, type: 'lb_cookie', durationSeconds: 60 }, tokens);
  const lines = p.responseLines('127.0.0.1:1', '', 1_700_000_000);
  assert.match(lines, /^Set-Cookie: AWSALB=[^;]+; Expires=Tue, 14 Nov 2023 22:14:20 GMT; Path=\/\r\nSet-Cookie: AWSALBCORS=[^;]+; Expires=Tue, 14 Nov 2023 22:14:20 GMT; Path=\/; SameSite=None; Secure\r\n$/);
  const value = /AWSALB=([^;]+)/.exec(lines)![1]!;
  assert.equal(p.pinned(`AWSALB=${value}`), '127.0.0.1:1');
});
