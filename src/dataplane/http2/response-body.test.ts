import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseResponseHead } from '../http/response-head.js';
import { HttpParseError } from '../http/request-head.js';
import { DecodedBody } from './response-body.js';

/** Feeds `pieces` (split anywhere) after the head; returns the data handed on and where the body ended in the last piece. */
function decode(head: string, method: string, pieces: string[]): { data: string; done: boolean; untilClose: boolean; endInLast: number } {
  const h = parseResponseHead(Buffer.from(`${head}\r\n\r\n`, 'latin1'), 65536)!;
  const body = DecodedBody.of(h, method);
  let data = '';
  let end = 0;
  for (const p of pieces) end = body.take(Buffer.from(p, 'latin1'), 0, (d) => (data += d.toString('latin1')));
  return { data, done: body.done, untilClose: body.untilClose, endInLast: end };
}

describe('DecodedBody (an HTTP/1.1 response body as HTTP/2 DATA)', () => {
  const cases = [
    { name: 'Content-Length: passed as it comes, done at the length', head: 'HTTP/1.1 200 OK\r\nContent-Length: 5', method: 'GET',
      pieces: ['he', 'llo'], want: { data: 'hello', done: true, untilClose: false, endInLast: 3 } },
    { name: 'bytes past the length are not this response\'s', head: 'HTTP/1.1 200 OK\r\nContent-Length: 2', method: 'GET',
      pieces: ['okHTTP/1.1'], want: { data: 'ok', done: true, untilClose: false, endInLast: 2 } },
    { name: 'chunked: decoded, extensions and trailers dropped, split anywhere', head: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked', method: 'GET',
      pieces: ['3;x=1\r\nab', 'c\r\n', '2\r\nde\r\n0\r\nTrailer: t\r\n\r\n'], want: { data: 'abcde', done: true, untilClose: false, endInLast: 24 } },
    { name: 'no length: read until the target closes', head: 'HTTP/1.1 200 OK', method: 'GET',
      pieces: ['some', 'thing'], want: { data: 'something', done: false, untilClose: true, endInLast: 5 } },
    { name: 'HEAD: no body whatever the headers say', head: 'HTTP/1.1 200 OK\r\nContent-Length: 5', method: 'HEAD',
      pieces: [], want: { data: '', done: true, untilClose: false, endInLast: 0 } },
    { name: '304: no body', head: 'HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked', method: 'GET',
      pieces: [], want: { data: '', done: true, untilClose: false, endInLast: 0 } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(decode(c.head, c.method, c.pieces), c.want));

  it('broken chunked framing throws HttpParseError', () => {
    assert.throws(() => decode('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked', 'GET', ['zz\r\n']), HttpParseError);
  });
});
