import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestHead, HttpParseError, type HeadLimits, type RequestHead } from './request-head.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

interface Case {
  desc: string;
  raw: string;
  want: Partial<RequestHead>;
}

const parsed: Case[] = [
  {
    desc: 'a plain GET',
    raw: 'GET /a?b=c HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n',
    want: { method: 'GET', target: '/a?b=c', version: 'HTTP/1.1', headers: ['Host', 'x', 'Accept', '*/*'], bareLf: false, foldedAt: -1 },
  },
  { desc: 'no headers', raw: 'GET / HTTP/1.0\r\n\r\n', want: { version: 'HTTP/1.0', headers: [] } },
  { desc: 'OWS around values is trimmed, names are kept as sent', raw: 'GET / HTTP/1.1\r\nX-A : \t v 1 \t\r\nx-b:v2\r\n\r\n', want: { headers: ['X-A ', 'v 1', 'x-b', 'v2'] } },
  { desc: 'empty value', raw: 'GET / HTTP/1.1\r\nX-Empty:\r\n\r\n', want: { headers: ['X-Empty', ''] } },
  { desc: 'leading empty lines are skipped and counted', raw: '\r\n\r\nGET / HTTP/1.1\r\n\r\n', want: { method: 'GET', headLength: 22 } },
  { desc: 'bare LF line endings', raw: 'GET / HTTP/1.1\nHost: x\n\n', want: { headers: ['Host', 'x'], bareLf: true, headLength: 24 } },
  { desc: 'bare LF inside a CRLF head stays in the value', raw: 'GET / HTTP/1.1\r\nX: a\nb\r\n\r\n', want: { headers: ['X', 'a\nb'], bareLf: false } },
  { desc: 'bare CR inside a value stays in the value', raw: 'GET / HTTP/1.1\r\nX: a\rb\r\n\r\n', want: { headers: ['X', 'a\rb'] } },
  { desc: 'bare LF in the target when the head uses CRLF', raw: 'GET /a\nb HTTP/1.1\r\nX: y\r\n\r\n', want: { target: '/a\nb', version: 'HTTP/1.1' } },
  { desc: 'obs-fold is unfolded with one SP', raw: 'GET / HTTP/1.1\r\nX: a\r\n \t b\r\nY: c\r\n\r\n', want: { headers: ['X', 'a b', 'Y', 'c'], foldedAt: 0 } },
  { desc: 'a whitespace-led line that looks like a field is its own field', raw: 'GET / HTTP/1.1\r\nX: a\r\n Content-Length: 5\r\n\r\n', want: { headers: ['X', 'a', ' Content-Length', '5'], foldedAt: 2 } },
  { desc: 'a whitespace-led first line is a field', raw: 'GET / HTTP/1.1\r\n Host: x\r\n\r\n', want: { headers: [' Host', 'x'], foldedAt: 0 } },
  { desc: 'no version: HTTP/0.9 style', raw: 'GET /x\r\n\r\n', want: { target: '/x', version: '' } },
  { desc: 'a space in the target stays in the target', raw: 'GET /a b HTTP/1.1\r\n\r\n', want: { target: '/a b', version: 'HTTP/1.1' } },
  { desc: 'a second version after the target is part of the version', raw: 'GET /a HTTP/1.1 HTTP/1.1\r\n\r\n', want: { target: '/a', version: 'HTTP/1.1 HTTP/1.1' } },
  { desc: 'empty target', raw: 'GET  HTTP/1.1\r\n\r\n', want: { target: '', version: 'HTTP/1.1' } },
  { desc: 'a trailing space leaves the version empty', raw: 'GET /x \r\n\r\n', want: { target: '/x', version: '' } },
  { desc: 'a last word that is no HTTP version is the version', raw: 'GET /x y\r\n\r\n', want: { target: '/x', version: 'y' } },
  { desc: 'colon inside the value', raw: 'GET / HTTP/1.1\r\nHost: a:80\r\n\r\n', want: { headers: ['Host', 'a:80'] } },
  { desc: 'latin1 bytes decode one char per byte', raw: 'GET /\xe9 HTTP/1.1\r\nX: \xff\r\n\r\n', want: { target: '/\xe9', headers: ['X', '\xff'] } },
];

for (const c of parsed) {
  test(`parses: ${c.desc}`, () => {
    const head = parseRequestHead(b(c.raw));
    assert.ok(head !== null);
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual(head[k as keyof RequestHead], v, k);
    if (c.want.headLength === undefined) assert.equal(head.headLength, c.raw.length);
  });
}

test('returns null on every strict prefix of a head', () => {
  const raw = '\r\nPOST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n';
  for (let n = 0; n < raw.length; n++) assert.equal(parseRequestHead(b(raw.slice(0, n))), null, `prefix ${n}`);
  assert.equal(parseRequestHead(b(raw))?.headLength, raw.length);
});

test('bare-LF heads wait for the blank line', () => {
  assert.equal(parseRequestHead(b('GET / HTTP/1.1\nHost: x\n')), null);
});

test('headLength stops at the first head; the rest is the next request or body', () => {
  const raw = 'POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n\r\n';
  assert.equal(parseRequestHead(b(raw))?.headLength, raw.indexOf('abc'));
});

const small: HeadLimits = { maxRequestLine: 32, maxHeaderBytes: 64, maxHeaders: 3 };

const refused: Array<{ desc: string; raw: string; status: number; code: string; limits?: HeadLimits }> = [
  { desc: 'no space in the request line', raw: 'GET\r\n\r\n', status: 400, code: 'BadRequestLine' },
  { desc: 'empty method', raw: ' / HTTP/1.1\r\n\r\n', status: 400, code: 'BadRequestLine' },
  { desc: 'a header line without a colon', raw: 'GET / HTTP/1.1\r\nHost\r\n\r\n', status: 400, code: 'BadHeaderLine' },
  { desc: 'a whitespace-led first line without a colon', raw: 'GET / HTTP/1.1\r\n junk\r\n\r\n', status: 400, code: 'BadHeaderLine' },
  { desc: 'request line too long (complete)', raw: `GET /${'a'.repeat(40)} HTTP/1.1\r\n\r\n`, status: 414, code: 'UriTooLong', limits: small },
  { desc: 'request line too long (still incomplete)', raw: `GET /${'a'.repeat(40)}`, status: 414, code: 'UriTooLong', limits: small },
  { desc: 'header section too large (complete)', raw: `GET / HTTP/1.1\r\nX: ${'v'.repeat(70)}\r\n\r\n`, status: 431, code: 'HeadersTooLarge', limits: small },
  { desc: 'header section too large (still incomplete)', raw: `GET / HTTP/1.1\r\nX: ${'v'.repeat(70)}`, status: 431, code: 'HeadersTooLarge', limits: small },
  { desc: 'too many headers', raw: 'GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n', status: 431, code: 'TooManyHeaders', limits: small },
  { desc: 'a flood of empty lines', raw: '\r\n'.repeat(20), status: 400, code: 'BadRequestLine', limits: small },
];

for (const c of refused) {
  test(`refuses: ${c.desc}`, () => {
    assert.throws(() => parseRequestHead(b(c.raw), c.limits), (err: unknown) => {
      assert.ok(err instanceof HttpParseError);
      assert.equal(err.status, c.status);
      assert.equal(err.code, c.code);
      return true;
    });
  });
}

test('default limits accept a 8 KiB request line and 100 headers', () => {
  const target = `/${'a'.repeat(8192 - 'GET / HTTP/1.1'.length)}`;
  let raw = `GET ${target} HTTP/1.1\r\n`;
  for (let i = 0; i < 100; i++) raw += `H${i}: v\r\n`;
  const head = parseRequestHead(b(`${raw}\r\n`));
  assert.equal(head?.headers.length, 200);
  assert.throws(() => parseRequestHead(b(`GET ${target}a HTTP/1.1\r\n\r\n`)), { code: 'UriTooLong' });
});
