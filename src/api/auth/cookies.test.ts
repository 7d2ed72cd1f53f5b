import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearedCookie, parseCookies, sessionCookie, sessionCookieName } from './cookies.js';

test('parseCookies', () => {
  const cases: [string, string | undefined, [string, string][]][] = [
    ['no header', undefined, []],
    ['one', 'shoal_session_4566=abc', [['shoal_session_4566', 'abc']]],
    ['several, spaces', ' a=1;b=2 ;  c = 3 ', [['a', '1'], ['b', '2'], ['c', '3']]],
    ['the first of a repeated name wins', 'a=1; a=2', [['a', '1']]],
    ['quoted value', 'a="x y"', [['a', 'x y']]],
    ['value with =', 'a=b=c', [['a', 'b=c']]],
    ['junk parts skipped', 'junk; =v; a=1;;', [['a', '1']]],
    ['empty value', 'a=', [['a', '']]],
  ];
  for (const [what, header, want] of cases) assert.deepEqual([...parseCookies(header)], want, what);
});

test('the session cookie is HttpOnly, SameSite=Strict, Path=/, Secure only over https', () => {
  assert.equal(sessionCookieName(4566), 'shoal_session_4566');
  assert.equal(sessionCookie({ name: 'n', value: 'v', secure: false }), 'n=v; HttpOnly; SameSite=Strict; Path=/');
  assert.equal(sessionCookie({ name: 'n', value: 'v', secure: true }), 'n=v; HttpOnly; SameSite=Strict; Path=/; Secure');
  assert.match(clearedCookie('n'), /^n=; .*Max-Age=0/);
});
