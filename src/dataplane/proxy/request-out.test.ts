import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildUpstreamRequest } from './request-out.js';
import { parseRequestHead } from '../http/request-head.js';
import { TraceIds } from './trace-id.js';

function upstream(text: string, clientIp = '10.0.0.9') {
  const buf = Buffer.from(text, 'latin1');
  const head = parseRequestHead(buf)!;
  const out = buildUpstreamRequest({
    method: head.method,
    target: head.target,
    version: head.version,
    headers: head.headers,
    raw: buf.subarray(0, head.headLength),
    clientIp,
    listenerPort: 8080,
    traceIds: new TraceIds('000000000000', () => 1),
  });
  return { ...out, text: out.wire.toString('latin1') };
}

const cases: { description: string; request: string; want: string; keepAlive: boolean }[] = [
  {
    description: 'a plain request keeps its bytes and gains the forwarding headers',
    request: 'GET /a?b=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n',
    want:
      'GET /a?b=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\nX-Forwarded-For: 10.0.0.9\r\nX-Forwarded-Proto: http\r\n' +
      'X-Forwarded-Port: 8080\r\nX-Amzn-Trace-Id: Root=1-00000001-000000000000000000000001\r\n\r\n',
    keepAlive: true,
  },
  {
    description: 'X-Forwarded-For is appended to, never replaced; a client X-Forwarded-Port/-Proto is dropped',
    request: 'GET / HTTP/1.1\r\nX-Forwarded-For: 1.1.1.1\r\nX-Forwarded-Port: 1\r\nX-Forwarded-Proto: https\r\nHost: x\r\n\r\n',
    want:
      'GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.1.1.1, 10.0.0.9\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: 8080\r\n' +
      'X-Amzn-Trace-Id: Root=1-00000001-000000000000000000000001\r\n\r\n',
    keepAlive: true,
  },
  {
    description: 'hop-by-hop headers and those named by Connection are removed; close is noted',
    request: 'GET / HTTP/1.1\r\nConnection: close, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: 5\r\nTE: trailers\r\nUpgrade: h2c\r\nHost: x\r\n\r\n',
    want: 'GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.0.0.9\r\n',
    keepAlive: false,
  },
  {
    description: 'Connection: keep-alive passes (it is true of our hop too)',
    request: 'GET / HTTP/1.1\r\nConnection: keep-alive\r\nHost: x\r\n\r\n',
    want: 'GET / HTTP/1.1\r\nConnection: keep-alive\r\nHost: x\r\nX-Forwarded-For',
    keepAlive: true,
  },
  {
    description: 'an existing trace id is kept and not duplicated',
    request: 'GET / HTTP/1.1\r\nX-Amzn-Trace-Id: Root=1-abc\r\n\r\n',
    want: 'GET / HTTP/1.1\r\nX-Amzn-Trace-Id: Root=1-abc\r\nX-Forwarded-For: 10.0.0.9\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: 8080\r\n\r\n',
    keepAlive: true,
  },
  {
    description: 'HTTP/1.0 stays HTTP/1.0 and is not kept alive unless asked',
    request: 'GET / HTTP/1.0\r\n\r\n',
    want: 'GET / HTTP/1.0\r\nX-Forwarded-For',
    keepAlive: false,
  },
  {
    description: 'HTTP/1.0 with keep-alive',
    request: 'GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n',
    want: 'GET / HTTP/1.0\r\nX-Forwarded-For',
    keepAlive: true,
  },
];

for (const c of cases) {
  test(`buildUpstreamRequest: ${c.description}`, () => {
    const out = upstream(c.request);
    assert.ok(out.text.startsWith(c.want) || out.text === c.want, `got ${JSON.stringify(out.text)}`);
    assert.ok(out.text.endsWith('\r\n\r\n'));
    assert.equal(out.keepAlive, c.keepAlive);
    assert.equal(out.text.match(/X-Amzn-Trace-Id/gi)?.length, 1);
  });
}

test('buildUpstreamRequest: the forwarding lines follow the client address of each request', () => {
  assert.match(upstream('GET / HTTP/1.1\r\n\r\n', '10.0.0.1').text, /X-Forwarded-For: 10\.0\.0\.1\r\n/);
  assert.match(upstream('GET / HTTP/1.1\r\n\r\n', '10.0.0.2').text, /X-Forwarded-For: 10\.0\.0\.2\r\n/);
});
