import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BodyMeter, responseMeter } from './body-meter.js';
import { parseResponseHead } from '../http/response-head.js';

const b = (s: string) => Buffer.from(s, 'latin1');

const cases: { description: string; meter: () => BodyMeter; input: string[]; ends: number[]; done: boolean }[] = [
  { description: 'no body: done at once, takes nothing', meter: () => BodyMeter.of({ kind: 'none' }), input: ['GET /'], ends: [0], done: true },
  { description: 'length across two reads, the rest is the next message', meter: () => BodyMeter.of({ kind: 'length', length: 5 }), input: ['abc', 'deNEXT'], ends: [3, 2], done: true },
  { description: 'length not yet complete', meter: () => BodyMeter.of({ kind: 'length', length: 10 }), input: ['abc'], ends: [3], done: false },
  { description: 'chunked up to the last chunk, then the next message', meter: () => BodyMeter.of({ kind: 'chunked' }), input: ['5\r\nhello\r\n0\r\n\r\nGET'], ends: [15], done: true },
  { description: 'until close: everything, never done', meter: () => BodyMeter.untilClose(), input: ['abc', 'def'], ends: [3, 3], done: false },
];

for (const c of cases) {
  test(`BodyMeter: ${c.description}`, () => {
    const m = c.meter();
    c.input.forEach((chunk, i) => assert.equal(m.advance(b(chunk), 0), c.ends[i], `read ${i}`));
    assert.equal(m.done, c.done);
  });
}

test('BodyMeter: broken chunked framing throws (the caller answers 400 or cuts the response)', () => {
  assert.throws(() => BodyMeter.of({ kind: 'chunked' }).advance(b('zz\r\nhello\r\n'), 0), /chunk/i);
});

test('responseMeter follows RFC 9112 6.3', () => {
  const head = (t: string) => parseResponseHead(b(t), 65536)!;
  assert.equal(responseMeter(head('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n'), 'HEAD', false).done, true);
  assert.equal(responseMeter(head('HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n'), 'GET', false).done, true);
  assert.equal(responseMeter(head('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'), 'GET', false).untilClose, false);
  assert.equal(responseMeter(head('HTTP/1.1 200 OK\r\n\r\n'), 'GET', false).untilClose, true);
  assert.equal(responseMeter(head('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), 'GET', false).done, true);
});
