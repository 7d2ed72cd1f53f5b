import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AsciiOut, maxBytes, segment } from './ascii-out.js';

/** What `write` writes, as text (latin1: one character per byte). */
function written(write: (o: AsciiOut) => void): string {
  const buf = Buffer.alloc(4096);
  const o = new AsciiOut();
  o.start(buf, 7); // not from 0: every write starts at pos
  write(o);
  return buf.toString('latin1', 7, o.pos);
}

describe('AsciiOut (access log bytes)', () => {
  it('whole numbers digit by digit, and three-digit fractions', () => {
    for (const n of [0, 7, 10, 99, 100, 65535, 1_000_000, 9_839_337_118, 2 ** 53 - 1]) {
      assert.equal(written((o) => o.uint(n)), String(n));
    }
    assert.deepEqual([0, 7, 42, 999].map((n) => written((o) => o.pad3(n))), ['000', '007', '042', '999']);
  });

  it('tokens: as they are when every character is 0x21-0x7e, else escaped whole', () => {
    const cases: [string | null, string][] = [
      [null, '-'],
      ['', '-'],
      ['TLSv1.3', 'TLSv1.3'],
      ['a"b\\c', 'a"b\\c'], // nothing outside 0x21-0x7e: left as it is
      ['a b', 'a\\x20b'],
      ['a"b c', 'a\\"b\\x20c'], // one unsafe character: quotes and backslashes escaped too
      ['tab\there\x7f', 'tab\\x09here\\x7f'],
    ];
    for (const [input, out] of cases) assert.equal(written((o) => o.token(input)), out, JSON.stringify(input));
  });

  it('quoted fields: quotes and backslashes escaped, control and non-ASCII characters as \\xHH of their bytes', () => {
    const cases: [string | null, string][] = [
      [null, '"-"'],
      ['', '"-"'],
      ['curl/8.0 (x; y)', '"curl/8.0 (x; y)"'],
      ['say "hi" \\o/', '"say \\"hi\\" \\\\o/"'],
      ['line\nbreak\r\x00', '"line\\x0abreak\\x0d\\x00"'],
      ['\xe9\xff', '"\\xe9\\xff"'], // latin1 header text: one byte each
      ['\u0100', '"\\xc4\\x80"'], // wider than a byte: its UTF-8 bytes
      ['\u0800\uffff', '"\\xe0\\xa0\\x80\\xef\\xbf\\xbf"'],
      ['\ud83d', '"\\xef\\xbf\\xbd"'], // a lone surrogate, as Buffer.from writes it
    ];
    for (const [input, out] of cases) assert.equal(written((o) => o.quoted(input)), out, JSON.stringify(input));
  });

  it('never writes more than maxBytes for a field, and only printable ASCII', () => {
    const alphabet = ['a', ' ', '"', '\\', '\n', '\x7f', '\xe9', '\u0100', '\u0800', '\ud83d', '\uffff'];
    let seed = 1;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let i = 0; i < 500; i++) {
      let s = '';
      for (let n = next() % 40; n > 0; n--) s += alphabet[next() % alphabet.length];
      for (const field of ['token', 'quoted'] as const) {
        const text = written((o) => o[field](s));
        assert.ok(text.length <= maxBytes(s), `${field} ${JSON.stringify(s)}: ${text.length} > ${maxBytes(s)}`);
        assert.match(text, /^[\x20-\x7e]+$/);
      }
    }
  });

  it('iso: microseconds and the second boundary, the second formatted once', () => {
    const o = new AsciiOut();
    const buf = Buffer.alloc(64);
    const at = (ms: number) => {
      o.start(buf, 0);
      o.iso(ms);
      return buf.toString('latin1', 0, o.pos);
    };
    assert.equal(at(Date.parse('2024-05-01T10:00:00.000Z')), '2024-05-01T10:00:00.000000Z');
    assert.equal(at(Date.parse('2024-05-01T10:00:00.999Z') + 0.9994), '2024-05-01T10:00:00.999999Z');
    assert.equal(at(Date.parse('2024-05-01T10:00:01.000Z') + 0.001), '2024-05-01T10:00:01.000001Z');
    assert.equal(at(Date.parse('2024-05-01T10:00:00.500Z')), '2024-05-01T10:00:00.500000Z', 'back to an earlier second');
  });

  it('segments: the bytes written, copied into later output; more than the room asked for is an error', () => {
    const seg = segment(16, (o) => o.raw(' app/web/1 '));
    assert.equal(written((o) => {
      o.raw('a');
      o.bytes(seg);
      o.raw('b');
    }), 'a app/web/1 b');
    assert.throws(() => segment(3, (o) => o.raw('four')), /4 bytes written into room for 3/);
  });
});
