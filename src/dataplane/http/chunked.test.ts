import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkedFramer, MAX_SIZE_LINE } from './chunked.js';
import { HttpParseError } from './request-head.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
/** Bytes after the body: they must never be consumed. */
const NEXT = 'GET / HTTP/1.1\r\n\r\n';

const valid: Array<{ desc: string; body: string }> = [
  { desc: 'only the last chunk', body: '0\r\n\r\n' },
  { desc: 'one chunk', body: '5\r\nhello\r\n0\r\n\r\n' },
  { desc: 'several chunks, upper and lower hex', body: 'A\r\n0123456789\r\na\r\nabcdefghij\r\n1\r\nx\r\n0\r\n\r\n' },
  { desc: 'data holding CRLFs and a fake last chunk', body: '7\r\n0\r\n\r\n\r\n\r\n0\r\n\r\n' },
  { desc: 'leading zeros in the size', body: '0005\r\nhello\r\n000\r\n\r\n' },
  { desc: 'chunk extensions', body: '5;name=value;flag\r\nhello\r\n0;last\r\n\r\n' },
  { desc: 'whitespace before an extension', body: '5 \t;ext\r\nhello\r\n0\r\n\r\n' },
  { desc: 'trailer fields', body: '3\r\nabc\r\n0\r\nChecksum: abc\r\nX-More: 1\r\n\r\n' },
  { desc: 'binary data with bare CR/LF/NUL', body: '4\r\n\r\x00\n\xff\r\n0\r\n\r\n' },
];

const invalid: Array<{ desc: string; body: string }> = [
  { desc: 'non-hex size', body: 'g\r\n' },
  { desc: 'size with a sign', body: '+5\r\nhello\r\n0\r\n\r\n' },
  { desc: 'leading whitespace before the size', body: ' 5\r\nhello\r\n0\r\n\r\n' },
  { desc: 'empty size line', body: '\r\nhello\r\n0\r\n\r\n' },
  { desc: 'bare LF after the size', body: '5\nhello\r\n0\r\n\r\n' },
  { desc: 'CR without LF after the size', body: '5\rhello' },
  { desc: 'junk after the size', body: '5 x\r\nhello\r\n0\r\n\r\n' },
  { desc: 'data longer than the size (no CRLF after data)', body: '3\r\nhello\r\n0\r\n\r\n' },
  { desc: 'bare LF after data', body: '5\r\nhello\n0\r\n\r\n' },
  { desc: 'bare LF in an extension', body: '5;a\nb\r\nhello\r\n0\r\n\r\n' },
  { desc: 'bare LF in a trailer', body: '0\r\nX: a\nb\r\n\r\n' },
  { desc: 'bare LF ending the trailer section', body: '0\r\n\n' },
  { desc: 'size beyond 2^53', body: '20000000000001\r\n' },
  { desc: 'size line too long', body: `1;${'e'.repeat(MAX_SIZE_LINE)}\r\nx\r\n0\r\n\r\n` },
  { desc: 'size line too long through leading zeros', body: `${'0'.repeat(MAX_SIZE_LINE + 1)}1\r\nx\r\n0\r\n\r\n` },
];

/** Feeds parts in order; returns total consumed and whether the body ended. Asserts nothing past the end is taken. */
function feed(parts: Buffer[]): { consumed: number; done: boolean } {
  const framer = new ChunkedFramer();
  let consumed = 0;
  let done = false;
  for (const part of parts) {
    if (done) break;
    const r = framer.push(part, 0);
    assert.ok(r.consumed <= part.length);
    if (!r.done) assert.equal(r.consumed, part.length, 'an unfinished body takes every byte it is given');
    consumed += r.consumed;
    done = r.done;
  }
  return { consumed, done };
}

for (const c of valid) {
  test(`frames: ${c.desc} (whole, split at every offset, byte by byte)`, () => {
    const all = b(c.body + NEXT);
    assert.deepEqual(feed([all]), { consumed: c.body.length, done: true });
    for (let k = 0; k <= all.length; k++) {
      assert.deepEqual(feed([all.subarray(0, k), all.subarray(k)]), { consumed: c.body.length, done: true }, `split at ${k}`);
    }
    const bytes = [...all].map((x) => Buffer.from([x]));
    assert.deepEqual(feed(bytes), { consumed: c.body.length, done: true });
  });

  test(`frames: ${c.desc}, incomplete until the last byte`, () => {
    for (let k = 0; k < c.body.length; k++) assert.equal(feed([b(c.body.slice(0, k))]).done, false, `prefix ${k}`);
  });
}

for (const c of invalid) {
  test(`refuses: ${c.desc} (whole and split at every offset)`, () => {
    const all = b(c.body);
    for (let k = 0; k <= all.length; k++) {
      assert.throws(() => feed([all.subarray(0, k), all.subarray(k)]), (err: unknown) => {
        assert.ok(err instanceof HttpParseError, String(err));
        assert.equal(err.status, 400);
        assert.equal(err.code, 'BadChunkedEncoding');
        return true;
      }, `split at ${k}`);
    }
  });
}

test('push starts at the given offset', () => {
  const buf = b(`HEAD-BYTES5\r\nhello\r\n0\r\n\r\n${NEXT}`);
  const r = new ChunkedFramer().push(buf, 'HEAD-BYTES'.length);
  assert.deepEqual({ ...r }, { consumed: '5\r\nhello\r\n0\r\n\r\n'.length, done: true });
});

test('a large chunk passes in one step and can span many pushes', () => {
  const framer = new ChunkedFramer();
  assert.equal(framer.push(b('100000\r\n'), 0).done, false);
  const data = Buffer.alloc(0x100000, 0x61);
  for (let i = 0; i < data.length; i += 65536) assert.equal(framer.push(data.subarray(i, i + 65536), 0).consumed, 65536);
  const r = framer.push(b(`\r\n0\r\n\r\n${NEXT}`), 0);
  assert.deepEqual({ ...r }, { consumed: 7, done: true });
  assert.equal(framer.done, true);
});

test('reset readies the framer for the next body', () => {
  const framer = new ChunkedFramer();
  assert.equal(framer.push(b('0\r\n\r\n'), 0).done, true);
  framer.reset();
  assert.equal(framer.done, false);
  assert.deepEqual({ ...framer.push(b('1\r\nx\r\n0\r\n\r\n'), 0) }, { consumed: 11, done: true });
});
