import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildUpstreamRequest } from './request-out.js';
import { parseRequestHead } from '../http/request-head.js';
import { classifyRequest } from '../http/desync.js';
import { TraceIds } from './trace-id.js';

function upstream(text: string, clientIp = '10.0.0.9') {
  const buf = Buffer.from(text, 'latin1');
  const head = parseRequestHead(buf)!;
  const verdict = classifyRequest(head);
  const out = buildUpstreamRequest({
    method: head.method,
    target: head.target,
    version: head.version,
    headers: head.headers,
    framing: verdict.framing!,
    compliant: verdict.tier === 'Compliant',
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
    request: 'GET / HTTP/1.1\r\nX-Amzn-Trace-Id: Root=1-abc\r\nHost: x\r\n\r\n',
    want: 'GET / HTTP/1.1\r\nX-Amzn-Trace-Id: Root=1-abc\r\nHost: x\r\nX-Forwarded-For: 10.0.0.9\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: 8080\r\n\r\n',
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
  assert.match(upstream('GET / HTTP/1.1\r\nHost: x\r\n\r\n', '10.0.0.1').text, /X-Forwarded-For: 10\.0\.0\.1\r\n/);
  assert.match(upstream('GET / HTTP/1.1\r\nHost: x\r\n\r\n', '10.0.0.2').text, /X-Forwarded-For: 10\.0\.0\.2\r\n/);
});

const normalized: { description: string; request: string; want: string | RegExp; reusable?: boolean }[] = [
  {
    description: 'both framing fields: only Transfer-Encoding reaches the target',
    request: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n',
    want: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Forwarded-For',
    reusable: false,
  },
  {
    description: 'two identical Content-Length fields become one',
    request: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n',
    want: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nX-Forwarded-For',
    reusable: false,
  },
  {
    description: 'look-alike framing names and non-token names are dropped',
    request: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer_Encoding: chunked\r\nX Bad: 1\r\nContent-Length: 1\r\n\r\n',
    want: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nX-Forwarded-For',
    reusable: false,
  },
  {
    description: 'Transfer-Encoding spelled otherwise is rebuilt canonically, codings kept, chunked once and last',
    request: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: GZIP ,Chunked;x=1\r\n\r\n',
    want: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\nX-Forwarded-For',
    reusable: false,
  },
  {
    description: 'a canonical chunked request keeps its bytes and its target connection',
    request: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n',
    want: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Forwarded-For',
    reusable: true,
  },
  {
    description: 'absolute-form: origin-form, with the authority as the one Host',
    request: 'GET http://a.example:81/p?q HTTP/1.1\r\nHost: other\r\nAccept: */*\r\n\r\n',
    want: 'GET /p?q HTTP/1.1\r\nHost: a.example:81\r\nAccept: */*\r\nX-Forwarded-For',
  },
  {
    description: 'bare LF endings are re-sent with CRLF',
    request: 'GET /lf HTTP/1.1\nHost: x\n\n',
    want: 'GET /lf HTTP/1.1\r\nHost: x\r\nX-Forwarded-For',
    reusable: false,
  },
  {
    description: 'HTTP/0.9-style requests go out as HTTP/1.0',
    request: 'GET /old\r\n\r\n',
    want: 'GET /old HTTP/1.0\r\nX-Forwarded-For',
  },
];

for (const c of normalized) {
  test(`buildUpstreamRequest: ${c.description}`, () => {
    const out = upstream(c.request);
    assert.ok(out.text.startsWith(c.want as string), `got ${JSON.stringify(out.text)}`);
    if (c.reusable !== undefined) assert.equal(out.reusable, c.reusable);
  });
}

const refused: { description: string; request: string }[] = [
  { description: 'HTTP/1.1 without Host', request: 'GET / HTTP/1.1\r\n\r\n' },
  { description: 'two Host fields', request: 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n' },
  { description: 'a Host that is not host[:port]', request: 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n' },
  { description: 'a method that is not a token', request: 'G(T / HTTP/1.1\r\nHost: a\r\n\r\n' },
  { description: 'an authority-form target', request: 'GET a:443 HTTP/1.1\r\nHost: a\r\n\r\n' },
];

for (const c of refused) {
  test(`buildUpstreamRequest refuses ${c.description} (HttpParseError: 400)`, () => {
    assert.throws(() => upstream(c.request), (err: Error & { status?: number }) => err.status === 400);
  });
}
