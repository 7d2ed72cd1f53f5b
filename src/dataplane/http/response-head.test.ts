import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadResponseError, parseResponseHead, responseHeaders, responseHasNoBody } from './response-head.js';

const parse = (text: string) => parseResponseHead(Buffer.from(text, 'latin1'), 65536);

const good: { description: string; text: string; want: Record<string, unknown> }[] = [
  {
    description: 'content-length framed, keep-alive: forwarded byte for byte',
    text: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello',
    want: { statusCode: 200, reason: 'OK', contentLength: 5, chunked: false, close: false, passthrough: true, headLength: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n'.length },
  },
  {
    description: 'chunked as the final coding',
    text: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n',
    want: { chunked: true, close: false, passthrough: true },
  },
  {
    description: 'a transfer coding other than chunked last: read until close',
    text: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n',
    want: { chunked: false, close: true },
  },
  {
    description: 'Connection: close from the target',
    text: 'HTTP/1.1 503 Service Unavailable\r\nconnection: Close\r\nContent-Length: 0\r\n\r\n',
    want: { statusCode: 503, close: true, passthrough: false, contentLength: 0 },
  },
  {
    description: 'a Keep-Alive header must not reach the client: rewrite',
    text: 'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\nContent-Length: 0\r\n\r\n',
    want: { passthrough: false, close: false },
  },
  {
    description: 'HTTP/1.0 closes unless keep-alive is asked for, and is always rewritten',
    text: 'HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n',
    want: { version: 'HTTP/1.0', close: true, passthrough: false },
  },
  {
    description: 'HTTP/1.0 with keep-alive',
    text: 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n',
    want: { close: false, passthrough: false },
  },
  {
    description: 'no reason phrase, no headers',
    text: 'HTTP/1.1 204\r\n\r\n',
    want: { statusCode: 204, reason: '', contentLength: -1, passthrough: true },
  },
  {
    description: 'names and the keep-alive value in any case; a body that looks like a head is not read',
    text: 'HTTP/1.1 200 OK\r\nCONTENT-length:  7 \r\nConnection: Keep-Alive\r\n\r\nX: y\r\n\r\n',
    want: { contentLength: 7, passthrough: true, headLength: 'HTTP/1.1 200 OK\r\nCONTENT-length:  7 \r\nConnection: Keep-Alive\r\n\r\n'.length },
  },
  {
    description: 'a Connection header naming another header: rewrite',
    text: 'HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Foo\r\nContent-Length: 0\r\n\r\n',
    want: { passthrough: false, close: false },
  },
  {
    description: 'a bare CR or LF stays inside its line',
    text: 'HTTP/1.1 200 OK\r\nX-A: 1\r2\n3\r\nContent-Length: 2\r\n\r\n',
    want: { contentLength: 2, passthrough: true },
  },
  {
    description: 'repeated equal content-length is fine',
    text: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n',
    want: { contentLength: 3 },
  },
];

for (const c of good) {
  test(`parseResponseHead: ${c.description}`, () => {
    const head = parse(c.text)!;
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual(head[k as keyof typeof head], v, k);
  });
}

const bad: { description: string; text: string }[] = [
  { description: 'not HTTP', text: 'SMTP ready\r\n\r\n' },
  { description: 'status code not a number', text: 'HTTP/1.1 2x0 OK\r\n\r\n' },
  { description: 'header line without a colon', text: 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n' },
  { description: 'header line without a colon before one with', text: 'HTTP/1.1 200 OK\r\nbroken\r\nA: b\r\n\r\n' },
  { description: 'header line with an empty name', text: 'HTTP/1.1 200 OK\r\n: b\r\n\r\n' },
  { description: 'a bad status line, before the head is complete', text: 'SMTP ready\r\nX-A: 1\r\n' },
  { description: 'a bad header line, before the head is complete', text: 'HTTP/1.1 200 OK\r\nbroken\r\nX-A: 1' },
  { description: 'negative content-length', text: 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n' },
  { description: 'conflicting content-length', text: 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n' },
];

for (const c of bad) {
  test(`parseResponseHead rejects ${c.description}`, () => {
    assert.throws(() => parse(c.text), BadResponseError);
  });
}

test('parseResponseHead waits for the end of the head, and refuses a head over the limit', () => {
  assert.equal(parse('HTTP/1.1 200 OK\r\nContent-Len'), null);
  assert.equal(parse('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r'), null);
  const exact = 'HTTP/1.1 200 OK\r\nX: 1\r\n\r\n';
  assert.equal(parseResponseHead(Buffer.from(`${exact}body`), exact.length)?.headLength, exact.length);
  assert.throws(() => parseResponseHead(Buffer.from(exact), exact.length - 2), BadResponseError);
  assert.throws(() => parseResponseHead(Buffer.from(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(100)}`), 64), BadResponseError);
});

test('responseHeaders decodes the header list lazily, in order', () => {
  const head = parse('HTTP/1.1 200 OK\r\nA: 1\r\nB:  two \r\n\r\nbody')!;
  assert.deepEqual(responseHeaders(head), ['A', '1', 'B', 'two']);
});

test('responseHasNoBody: HEAD, 1xx, 204 and 304', () => {
  assert.equal(responseHasNoBody('HEAD', 200), true);
  assert.equal(responseHasNoBody('GET', 204), true);
  assert.equal(responseHasNoBody('GET', 304), true);
  assert.equal(responseHasNoBody('GET', 100), true);
  assert.equal(responseHasNoBody('GET', 200), false);
});
