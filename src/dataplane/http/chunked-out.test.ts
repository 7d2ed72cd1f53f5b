import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkedFramer } from './chunked.js';
import { ChunkedReencoder } from './chunked-out.js';

/** Pushes the parts through a framer with a re-encoder; returns what would be sent and whether the body ended. */
function reencode(parts: string[]): { out: string; done: boolean; consumed: number } {
  const enc = new ChunkedReencoder();
  const framer = new ChunkedFramer(enc);
  let out = '';
  let consumed = 0;
  for (const p of parts) {
    consumed += framer.push(Buffer.from(p, 'latin1'), 0).consumed;
    out += Buffer.concat(enc.take()).toString('latin1');
  }
  return { out, done: framer.done, consumed };
}

const cases: Array<{ desc: string; parts: string[]; want: string }> = [
  { desc: 'a canonical body stays canonical', parts: ['5\r\nhello\r\n0\r\n\r\n'], want: '5\r\nhello\r\n0\r\n\r\n' },
  { desc: 'extensions, leading zeros and whitespace go', parts: ['0005 ;a=b\r\nhello\r\n3;q="x;y"\r\n!!!\r\n0;last\r\n\r\n'], want: '5\r\nhello\r\n3\r\n!!!\r\n0\r\n\r\n' },
  { desc: 'trailer fields go', parts: ['2\r\nhi\r\n0\r\nContent-Length: 9\r\nX: 1\r\n\r\n'], want: '2\r\nhi\r\n0\r\n\r\n' },
  { desc: 'a chunk split over reads leaves as one chunk per read', parts: ['a\r\n01234', '56789\r\n0\r\n\r\n'], want: '5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n' },
  { desc: 'a chunk larger than 2^32 leaves as chunks of what arrived', parts: ['100000005\r\nhello\r\n'], want: '7\r\nhello\r\n\r\n' },
  { desc: 'only the last chunk', parts: ['0\r\n\r\n'], want: '0\r\n\r\n' },
];

for (const c of cases) {
  test(`ChunkedReencoder: ${c.desc}`, () => assert.equal(reencode(c.parts).out, c.want));
}

test('ChunkedReencoder: bytes after the body are neither consumed nor sent', () => {
  const r = reencode(['1\r\nx\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n']);
  assert.equal(r.done, true);
  assert.equal(r.consumed, '1\r\nx\r\n0\r\n\r\n'.length);
  assert.equal(r.out, '1\r\nx\r\n0\r\n\r\n');
});
