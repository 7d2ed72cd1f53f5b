import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_REPLAY, RequestBody } from './request-body.js';

const text = (pieces: Buffer[]) => Buffer.concat(pieces).toString('latin1');

describe('RequestBody (DATA frames as an HTTP/1.1 body)', () => {
  it('under a content-length: as it comes, complete at the length, nothing past it', () => {
    const b = new RequestBody({ kind: 'length', length: 5 });
    assert.equal(text(b.take(Buffer.from('he'))), 'he');
    assert.equal(b.complete, false);
    assert.equal(text(b.take(Buffer.from('llo!!'))), 'llo');
    assert.equal(b.complete, true);
    assert.deepEqual(b.take(Buffer.from('x')), []);
    assert.equal(b.finish(), null);
    assert.equal(text(b.replay!), 'hello');
  });

  it('without one: each DATA a chunk, the end the last chunk; empty DATA sends nothing', () => {
    const b = new RequestBody(null);
    assert.deepEqual(b.take(Buffer.from('early')), [], 'nothing before the framing is known');
    b.frame({ kind: 'chunked' });
    assert.equal(text(b.take(Buffer.from('hello'))), '5\r\nhello\r\n');
    assert.deepEqual(b.take(Buffer.alloc(0)), []);
    assert.equal(text(b.take(Buffer.alloc(26, 'a'))), `1a\r\n${'a'.repeat(26)}\r\n`);
    assert.equal(b.complete, false);
    assert.equal(b.finish()!.toString(), '0\r\n\r\n');
    assert.equal(b.complete, true);
    assert.equal(b.finish(), null, 'once');
    assert.equal(text(b.replay!), `5\r\nhello\r\n1a\r\n${'a'.repeat(26)}\r\n0\r\n\r\n`);
  });

  it('no body: complete from the start', () => {
    const b = new RequestBody({ kind: 'none' });
    assert.equal(b.complete, true);
    assert.deepEqual(b.take(Buffer.from('x')), []);
    assert.equal(b.finish(), null);
  });

  it('keeps what was sent for a retry only while it fits MAX_REPLAY', () => {
    const b = new RequestBody({ kind: 'length', length: MAX_REPLAY + 1 });
    b.take(Buffer.alloc(MAX_REPLAY));
    assert.equal(b.replay!.length, 1);
    b.take(Buffer.alloc(1));
    assert.equal(b.replay, null);
  });
});
