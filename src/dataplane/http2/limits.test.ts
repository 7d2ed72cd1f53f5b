import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performServerHandshake } from 'node:http2';
import { Duplex } from 'node:stream';
import { MAX_CONCURRENT_STREAMS, sessionOptions } from './limits.js';

describe('sessionOptions', () => {
  const o = sessionOptions({ maxRequestLine: 8192, maxHeaderBytes: 65536, maxHeaders: 100 });

  it('bounds a header block by the HTTP/1.1 head limits (CONTINUATION floods)', () => {
    assert.equal(o.settings?.maxHeaderListSize, 8192 + 65536);
    assert.equal(o.maxHeaderListPairs, 108);
  });

  it('offers 128 concurrent streams and no server push', () => {
    assert.equal(o.settings?.maxConcurrentStreams, MAX_CONCURRENT_STREAMS);
    assert.equal(MAX_CONCURRENT_STREAMS, 128);
    assert.equal(o.settings?.enablePush, false);
  });

  it('is accepted by node:http2 (every option name and range valid)', () => {
    const session = performServerHandshake(new Duplex({ read() {}, write(_c, _e, cb) { cb(); } }), o);
    session.destroy();
  });
});
