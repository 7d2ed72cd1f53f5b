import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newSecret, sameSecret } from './secrets.js';

test('newSecret: 256 bits as 64 hex digits, a new one each time', () => {
  const a = newSecret();
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.notEqual(newSecret(), a);
});

test('sameSecret compares whole values', () => {
  const s = newSecret();
  const cases: [string, string, string, boolean][] = [
    ['the same value', s, s, true],
    ['one digit changed', s.slice(0, -1) + (s.endsWith('0') ? '1' : '0'), s, false],
    ['a prefix', s.slice(0, 32), s, false],
    ['longer', s + '0', s, false],
    ['empty', '', s, false],
    ['upper case is another value', s.toUpperCase(), s, /[a-f]/.test(s) ? false : true],
  ];
  for (const [what, given, expected, want] of cases) assert.equal(sameSecret(given, expected), want, what);
});
