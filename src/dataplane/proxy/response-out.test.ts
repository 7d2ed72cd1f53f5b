import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildResponseHead } from './response-out.js';
import { parseResponseHead } from '../http/response-head.js';

const head = (text: string) => parseResponseHead(Buffer.from(text, 'latin1'), 65536)!;

const cases: { description: string; response: string; close: boolean; http10: boolean; want: string }[] = [
  {
    description: 'hop-by-hop headers and those named by Connection are dropped',
    response: 'HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Private\r\nKeep-Alive: timeout=5\r\nX-Private: 1\r\nContent-Length: 2\r\n\r\n',
    close: false,
    http10: false,
    want: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n',
  },
  {
    description: 'a client connection about to close says so',
    response: 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n',
    close: true,
    http10: false,
    want: 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
  },
  {
    description: 'an HTTP/1.0 client kept alive is told so',
    response: 'HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n',
    close: false,
    http10: true,
    want: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n',
  },
];

for (const c of cases) {
  test(`buildResponseHead: ${c.description}`, () => {
    assert.equal(buildResponseHead(head(c.response), { close: c.close, http10: c.http10, interim: false }), c.want);
  });
}

test('buildResponseHead: an interim 100 Continue gets no Connection header of ours', () => {
  assert.equal(buildResponseHead(head('HTTP/1.1 100 Continue\r\n\r\n'), { close: true, http10: false, interim: true }), 'HTTP/1.1 100 Continue\r\n\r\n');
});
