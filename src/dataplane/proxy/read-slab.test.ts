import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReadSlab } from './read-slab.js';

/** One read as net.Socket's onread does it: fill the start of next(), then commit. */
function read(slab: ReadSlab, text: string): Buffer {
  const into = slab.next();
  into.write(text, 'latin1');
  return slab.commit(text.length);
}

test('ReadSlab: a committed chunk holds what was read, and later reads never overwrite it', () => {
  const slab = new ReadSlab();
  const chunks = ['GET / HTTP/1.1\r\n', 'Host: x\r\n\r\n', 'a'.repeat(20000), 'last'].map((t) => [t, read(slab, t)] as const);
  for (const [text, chunk] of chunks) assert.equal(chunk.toString('latin1'), text);
});

test('ReadSlab: each read is offered a large tail; a short tail moves to a new slab', () => {
  const slab = new ReadSlab();
  const first = slab.next();
  assert.ok(first.length >= 16 * 1024);
  slab.commit(first.length - 100);
  const second = slab.next();
  assert.ok(second.length >= 16 * 1024);
  assert.notEqual(second.buffer, first.buffer);
});
