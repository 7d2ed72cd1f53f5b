import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseResponseHead } from '../http/response-head.js';
import { HttpParseError } from '../http/request-head.js';
import { requestFraming, requestFromH2, responseToH2 } from './headers.js';

const BASE = [':method', 'GET', ':scheme', 'https', ':path', '/a?b=1', ':authority', 'web.example:8443'];

describe('requestFromH2 (an HTTP/2 header list as an HTTP/1.1 request for request-out.ts)', () => {
  const cases = [
    { name: 'pseudo-headers leave; :authority is the one Host, first', raw: [...BASE, 'accept', '*/*'],
      want: { method: 'GET', path: '/a?b=1', authority: 'web.example:8443', headers: ['host', 'web.example:8443', 'accept', '*/*'], contentLength: null } },
    { name: 'a Host field beside :authority is dropped', raw: [...BASE, 'host', 'other.example'],
      want: { method: 'GET', path: '/a?b=1', authority: 'web.example:8443', headers: ['host', 'web.example:8443'], contentLength: null } },
    { name: 'Host stands in when :authority is absent', raw: [':method', 'GET', ':path', '/', 'host', 'h.example'],
      want: { method: 'GET', path: '/', authority: 'h.example', headers: ['host', 'h.example'], contentLength: null } },
    { name: 'cookie crumbs are joined with "; ", last', raw: [...BASE, 'cookie', 'a=1', 'x-y', 'z', 'cookie', 'b=2'],
      want: { method: 'GET', path: '/a?b=1', authority: 'web.example:8443', headers: ['host', 'web.example:8443', 'x-y', 'z', 'cookie', 'a=1; b=2'], contentLength: null } },
    { name: 'connection-specific fields are dropped; content-length is kept and noted', raw: [...BASE, 'te', 'trailers', 'connection', 'x', 'keep-alive', '1', 'upgrade', 'h2c', 'transfer-encoding', 'chunked', 'proxy-connection', 'x', 'content-length', '12'],
      want: { method: 'GET', path: '/a?b=1', authority: 'web.example:8443', headers: ['host', 'web.example:8443', 'content-length', '12'], contentLength: '12' } },
    { name: 'CONNECT has no :path', raw: [':method', 'CONNECT', ':authority', 'x:443'],
      want: { method: 'CONNECT', path: '', authority: 'x:443', headers: ['host', 'x:443'], contentLength: null } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(requestFromH2(c.raw), c.want));
});

describe('requestFraming (how the body reaches an HTTP/1.1 target)', () => {
  const req = (contentLength: string | null) => ({ ...requestFromH2(BASE), contentLength });
  const cases = [
    { name: 'a content-length frames it', cl: '42', end: false, want: { kind: 'length', length: 42 } },
    { name: 'content-length 0 is no body', cl: '0', end: false, want: { kind: 'none' } },
    { name: 'END_STREAM on the headers is no body', cl: null, end: true, want: { kind: 'none' } },
    { name: 'neither: not known until the first DATA or the end', cl: null, end: false, want: null },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(requestFraming(req(c.cl), c.end), c.want));
  for (const bad of ['-1', '1e3', '', ' 5', '0x10', '1234567890123456']) {
    it(`content-length ${JSON.stringify(bad)} is a 400`, () => {
      assert.throws(() => requestFraming(req(bad), false), (e: unknown) => e instanceof HttpParseError && e.status === 400);
    });
  }
});

describe('responseToH2 (a target\'s HTTP/1.1 response head as HTTP/2 headers)', () => {
  const head = (text: string) => parseResponseHead(Buffer.from(`${text}\r\n\r\n`, 'latin1'), 65536)!;
  const cases = [
    { name: 'status and fields, names lowercased; the reason phrase is gone',
      head: 'HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nX-Thing: a',
      want: { ':status': 201, 'content-type': 'text/plain', 'content-length': '3', 'x-thing': 'a' } },
    { name: 'hop-by-hop fields, what Connection names, transfer-encoding and http2-settings are dropped',
      head: 'HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop\r\nKeep-Alive: timeout=5\r\nX-Hop: 1\r\nUpgrade: h2c\r\nHTTP2-Settings: AAA\r\nX-End: 2',
      want: { ':status': 200, 'x-end': '2' } },
    { name: 'a chunked response loses its framing fields (HTTP/2 frames the decoded body itself)',
      head: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 10\r\nX-A: b',
      want: { ':status': 200, 'x-a': 'b' } },
    { name: 'repeated fields stay repeated; a field node:http2 sends once keeps its first value',
      head: 'HTTP/1.1 200 OK\r\nVary: a\r\nVary: b\r\nContent-Type: text/html\r\nContent-Type: text/plain',
      want: { ':status': 200, vary: ['a', 'b'], 'content-type': 'text/html' } },
    { name: 'a name that is not a token and a value with a bare LF are left out',
      head: 'HTTP/1.1 200 OK\r\nBad Name: x\r\nX-Split: a\nb\r\nX-Ok: 1',
      want: { ':status': 200, 'x-ok': '1' } },
    { name: 'Set-Cookie fields stay apart',
      head: 'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2',
      want: { ':status': 200, 'set-cookie': ['a=1', 'b=2'] } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(responseToH2(head(c.head), ''), c.want));

  it('adds the stickiness Set-Cookie lines after the target\'s own', () => {
    const out = responseToH2(head('HTTP/1.1 200 OK\r\nSet-Cookie: a=1'), 'Set-Cookie: AWSALB=x; Path=/\r\nSet-Cookie: AWSALBTG=y\r\n');
    assert.deepEqual(out['set-cookie'], ['a=1', 'AWSALB=x; Path=/', 'AWSALBTG=y']);
  });
});
