import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom, randomInt } from '../../core/random.js';
import { compileWildcard, literalAffixes } from './wildcard.js';

const CS = { caseInsensitive: false, escapes: false };
const CI = { caseInsensitive: true, escapes: false };
const Q = { caseInsensitive: true, escapes: true };

const cases: Array<[string, string, typeof CS, string, boolean]> = [
  ['exact', '/a/b', CS, '/a/b', true],
  ['exact is case-sensitive', '/a/b', CS, '/A/b', false],
  ['exact length differs', '/a/b', CS, '/a/bc', false],
  ['prefix', '/api/*', CS, '/api/v1/users', true],
  ['prefix matches empty rest', '/api/*', CS, '/api/', true],
  ['prefix needs its slash', '/api/*', CS, '/api', false],
  ['star crosses slashes', '/a*z', CS, '/a/b/c/z', true],
  ['suffix', '*.jpg', CS, '/img/x.jpg', true],
  ['suffix no match', '*.jpg', CS, '/img/x.png', false],
  ['contains', '*admin*', CS, '/x/admin/y', true],
  ['contains no match', '*admin*', CS, '/x/adm/y', false],
  ['any', '*', CS, '', true],
  ['question is one char', '/v?/x', CS, '/v1/x', true],
  ['question not zero chars', '/v?/x', CS, '/v/x', false],
  ['question not two chars', '/v?/x', CS, '/v12/x', false],
  ['general glob backtracks', '/a/*/b/*.js', CS, '/a/x/b/y/b/z.js', true],
  ['general glob fails', '/a/*/b/*.js', CS, '/a/x/c/z.js', false],
  ['folded exact', 'Example.COM', CI, 'example.com', true],
  ['folded suffix', '*.EXAMPLE.com', CI, 'WWW.example.COM', true],
  ['folded prefix', 'admin.*', CI, 'ADMIN.example.com', true],
  ['folded question', 'a?c', CI, 'ABC', true],
  ['escaped star is literal', 'a\\*b', Q, 'a*b', true],
  ['escaped star not wildcard', 'a\\*b', Q, 'axxb', false],
  ['escaped question is literal', 'why\\?', Q, 'why?', true],
  ['unescaped in query is wildcard', 'v*', Q, 'V123', true],
];

for (const [name, pattern, opts, input, want] of cases) {
  test(`wildcard: ${name} (${pattern} vs ${input})`, () => {
    assert.equal(compileWildcard(pattern, opts)(input, 0, input.length), want);
  });
}

test('wildcard: matches a slice without touching the rest', () => {
  const m = compileWildcard('*.example.com', CI);
  const host = 'a.example.com:8080';
  assert.equal(m(host, 0, host.indexOf(':')), true);
  assert.equal(m(host, 0, host.length), false);
});

test('wildcard: literal affixes', () => {
  assert.deepEqual(literalAffixes('/api/*', CS), { prefix: '/api/', suffix: '' });
  assert.deepEqual(literalAffixes('*.Example.com', CI), { prefix: '', suffix: '.example.com' });
  assert.deepEqual(literalAffixes('/a?c/*.js', CS), { prefix: '/a', suffix: '.js' });
  assert.deepEqual(literalAffixes('exact', CS), { prefix: 'exact', suffix: 'exact' });
  assert.deepEqual(literalAffixes('*', CS), { prefix: '', suffix: '' });
});

// Property: every shape agrees with a RegExp built from the same pattern.
test('wildcard: agrees with a RegExp oracle on random patterns', () => {
  const rnd = seededRandom(7);
  const alphabet = ['a', 'b', '/', '*', '?', 'A'];
  const text = ['a', 'b', '/', 'A'];
  const pick = (xs: string[], n: number) => Array.from({ length: n }, () => xs[randomInt(rnd, xs.length)]).join('');
  for (let i = 0; i < 3000; i++) {
    const pattern = pick(alphabet, randomInt(rnd, 7));
    const input = pick(text, randomInt(rnd, 8));
    const ci = rnd.next() < 0.5;
    const src = '^' + [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[/]/g, '\\/'))).join('') + '$';
    const want = new RegExp(src, ci ? 'is' : 's').test(input);
    const got = compileWildcard(pattern, { caseInsensitive: ci, escapes: false })(input, 0, input.length);
    assert.equal(got, want, `${pattern} vs ${input} ci=${ci}`);
  }
});
