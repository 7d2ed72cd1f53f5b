import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestHead } from '../http/request-head.js';
import { parseResponseHead } from '../http/response-head.js';
import { classifyRequest } from '../http/desync.js';
import { buildUpstreamRequest } from './request-out.js';
import { TraceIds } from './trace-id.js';
import { connectionHas, hasToken, switchingHead, websocketUpgrade, withUpgrade } from './upgrade.js';

const HANDSHAKE = 'Host: x\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';

function upgradeOf(text: string): string | null {
  const head = parseRequestHead(Buffer.from(text, 'latin1'))!;
  return websocketUpgrade(head, classifyRequest(head).framing!);
}

const tokenCases: { description: string; list: string; token: string; want: boolean }[] = [
  { description: 'a single token', list: 'upgrade', token: 'upgrade', want: true },
  { description: 'case-insensitive', list: 'Upgrade', token: 'upgrade', want: true },
  { description: 'in a list, with whitespace', list: 'keep-alive,  Upgrade ', token: 'upgrade', want: true },
  { description: 'a longer token is not it', list: 'upgraded, x-upgrade', token: 'upgrade', want: false },
  { description: 'empty list', list: '', token: 'upgrade', want: false },
];
for (const c of tokenCases) {
  test(`hasToken: ${c.description}`, () => assert.equal(hasToken(c.list, c.token), c.want));
}

test('connectionHas: looks at every Connection field, whatever its case', () => {
  assert.equal(connectionHas(['connection', 'keep-alive', 'CONNECTION', 'Upgrade'], 'upgrade'), true);
  assert.equal(connectionHas(['Connection', 'keep-alive', 'Upgrade', 'websocket'], 'upgrade'), false);
});

const upgradeCases: { description: string; request: string; want: string | null }[] = [
  {
    description: 'a websocket handshake',
    request: `GET /chat HTTP/1.1\r\n${HANDSHAKE}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
    want: 'websocket',
  },
  {
    description: 'Upgrade named among other Connection tokens, value in any case',
    request: `GET /chat HTTP/1.1\r\n${HANDSHAKE}Connection: keep-alive, Upgrade\r\nupgrade: WebSocket\r\n\r\n`,
    want: 'WebSocket',
  },
  {
    description: 'Content-Length: 0 is no body',
    request: `GET / HTTP/1.1\r\n${HANDSHAKE}Connection: upgrade\r\nUpgrade: websocket\r\nContent-Length: 0\r\n\r\n`,
    want: 'websocket',
  },
  { description: 'a plain request', request: `GET / HTTP/1.1\r\n${HANDSHAKE}\r\n`, want: null },
  {
    description: 'Upgrade without Connection: upgrade',
    request: `GET / HTTP/1.1\r\n${HANDSHAKE}Upgrade: websocket\r\n\r\n`,
    want: null,
  },
  {
    description: 'Connection: upgrade without Upgrade',
    request: `GET / HTTP/1.1\r\n${HANDSHAKE}Connection: upgrade\r\n\r\n`,
    want: null,
  },
  {
    description: 'h2c is not tunnelled (as ALB)',
    request: 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n',
    want: null,
  },
  {
    description: 'a list of protocols is not a websocket handshake',
    request: `GET / HTTP/1.1\r\n${HANDSHAKE}Connection: upgrade\r\nUpgrade: h2c, websocket\r\n\r\n`,
    want: null,
  },
  {
    description: 'two Upgrade fields',
    request: `GET / HTTP/1.1\r\n${HANDSHAKE}Connection: upgrade\r\nUpgrade: websocket\r\nUpgrade: websocket\r\n\r\n`,
    want: null,
  },
  {
    description: 'HTTP/1.0 (RFC 9110 7.8: Upgrade is ignored)',
    request: 'GET / HTTP/1.0\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n',
    want: null,
  },
  {
    description: 'a request with a body',
    request: 'POST / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: websocket\r\nContent-Length: 3\r\n\r\nabc',
    want: null,
  },
  {
    description: 'a chunked body',
    request: 'POST / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: websocket\r\nTransfer-Encoding: chunked\r\n\r\n',
    want: null,
  },
  {
    description: 'not GET (RFC 6455 4.1)',
    request: 'OPTIONS / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n',
    want: null,
  },
];
for (const c of upgradeCases) {
  test(`websocketUpgrade: ${c.description}`, () => assert.equal(upgradeOf(c.request), c.want));
}

test('withUpgrade: the request as built for any target, plus Connection and Upgrade', () => {
  const text = `GET /chat HTTP/1.1\r\n${HANDSHAKE}Connection: Upgrade, Keep-Alive\r\nKeep-Alive: 5\r\nUpgrade: websocket\r\n\r\n`;
  const buf = Buffer.from(text, 'latin1');
  const head = parseRequestHead(buf)!;
  const out = buildUpstreamRequest({
    method: head.method,
    target: head.target,
    version: head.version,
    headers: head.headers,
    framing: { kind: 'none' },
    compliant: true,
    raw: buf,
    clientIp: '10.0.0.9',
    listenerPort: 8080,
    traceIds: new TraceIds('000000000000', () => 1),
  });
  assert.equal(
    withUpgrade(out.wire, 'websocket').toString('latin1'),
    `GET /chat HTTP/1.1\r\n${HANDSHAKE}X-Forwarded-For: 10.0.0.9\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: 8080\r\n` +
      'X-Amzn-Trace-Id: Root=1-00000001-000000000000000000000001\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n',
  );
});

function switching(text: string): string | null {
  return switchingHead(parseResponseHead(Buffer.from(text, 'latin1'), 65536)!);
}

test('switchingHead: keeps the handshake fields, drops other hop-by-hop ones, names the protocol', () => {
  const got = switching(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade, X-Hop\r\nX-Hop: 1\r\n' +
      'Keep-Alive: timeout=5\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n',
  );
  assert.equal(
    got,
    'HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n',
  );
});

test('switchingHead: a 101 that does not switch to websocket is refused', () => {
  assert.equal(switching('HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\n\r\n'), null);
  assert.equal(switching('HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n'), null);
});
