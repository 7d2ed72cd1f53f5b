import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_BYTES, LogFileWriter, type LogFileWriterOptions } from './file.js';

function dir(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'shoal-access-log-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const line = (i: number) => `line ${String(i).padStart(3, '0')}\n`; // 9 bytes

function writer(path: string, o: Partial<LogFileWriterOptions> = {}) {
  const full: number[] = [];
  const errors: string[] = [];
  const w = new LogFileWriter({ path, maxBytes: 1 << 30, onFull: (ino) => full.push(ino), onError: (m) => errors.push(m), ...o });
  return { w, full, errors };
}

describe('LogFileWriter (a worker\'s access log file)', () => {
  it('appends lines in order, creating the folder, and has written everything once close() resolves', async (t) => {
    const path = join(dir(t), 'nested', 'web.log');
    const { w } = writer(path);
    for (let i = 0; i < 100; i++) w.append(line(i));
    w.flush();
    for (let i = 100; i < 200; i++) w.append(line(i)); // while the first chunk is being written
    await w.close();
    assert.equal(readFileSync(path, 'utf8'), Array.from({ length: 200 }, (_, i) => line(i)).join(''));
    assert.deepEqual(w.takeCounts(), { writtenBytes: 1800, droppedBytes: 0 });
    assert.deepEqual(w.takeCounts(), { writtenBytes: 0, droppedBytes: 0 }, 'counts are since the last take');
    w.append('after close\n');
    assert.equal(readFileSync(path, 'utf8').includes('after close'), false);
  });

  it(`writes a chunk by itself once ${CHUNK_BYTES} bytes are in, and a line longer than a chunk whole`, async (t) => {
    const path = join(dir(t), 'web.log');
    const { w } = writer(path);
    const long = `${'u'.repeat(1000)}\n`;
    const n = Math.ceil(CHUNK_BYTES / long.length) + 1;
    for (let i = 0; i < n; i++) w.append(long);
    await w.idle();
    const first = statSync(path).size;
    assert.ok(first > CHUNK_BYTES - 3 * long.length && first <= CHUNK_BYTES, `a full chunk left without flush(): ${first} bytes`);
    const huge = `${'h'.repeat(CHUNK_BYTES * 2)}\n`;
    w.append(huge);
    w.append('é after\n');
    await w.close();
    assert.equal(readFileSync(path, 'utf8'), long.repeat(n) + huge + 'é after\n');
    assert.equal(w.takeCounts().writtenBytes, Buffer.byteLength(long.repeat(n) + huge + 'é after\n'));
  });

  it('reserve/commit: bytes written straight into the chunk, in order across chunks that are reused', async (t) => {
    const path = join(dir(t), 'web.log');
    const { w } = writer(path);
    const put = (text: string) => {
      const buf = w.reserve(text.length);
      const end = w.used + buf.write(text, w.used, 'latin1');
      w.commit(end);
    };
    const expected: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const text = `${String(i).padStart(6, '0')} ${'r'.repeat(i % 50)}\n`; // about 11 chunks
      expected.push(text);
      put(text);
      if (i % 5000 === 0) await w.idle(); // chunks written and back for reuse while more are filled
    }
    const huge = `${'h'.repeat(CHUNK_BYTES + 10)}\n`; // longer than a chunk: a buffer of its own, written at once
    put(huge);
    put('after\n');
    await w.close();
    assert.equal(readFileSync(path, 'latin1'), expected.join('') + huge + 'after\n');
  });

  it('two writers on one file interleave whole chunks, never parts of lines', async (t) => {
    const path = join(dir(t), 'web.log');
    const a = writer(path).w;
    const b = writer(path).w;
    for (let i = 0; i < 2000; i++) {
      a.append(`a ${i}\n`);
      b.append(`b ${i}\n`);
    }
    await Promise.all([a.close(), b.close()]);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 4000);
    for (const who of ['a', 'b']) {
      const mine = lines.filter((l) => l.startsWith(`${who} `)).map((l) => Number(l.slice(2)));
      assert.deepEqual(mine, Array.from({ length: 2000 }, (_, i) => i), `${who}'s lines whole and in order`);
    }
  });

  it('says once per open file that it reached maxBytes, with its inode; after reopen() later chunks go to a new file at the path', async (t) => {
    const path = join(dir(t), 'web.log');
    const { w, full } = writer(path, { maxBytes: 18 });
    w.append(line(1));
    w.flush();
    await w.idle();
    assert.deepEqual(full, [], '9 bytes: not full');
    w.append(line(2));
    w.flush();
    w.append(line(3));
    w.flush();
    await w.idle();
    const firstIno = statSync(path).ino;
    assert.deepEqual(full, [firstIno], '18 bytes: full, said once (not again at 27)');
    // What the primary does: rename, then have every writer reopen.
    renameSync(path, `${path}.1`);
    w.reopen();
    w.append(line(4));
    w.flush();
    w.append(line(5));
    w.flush();
    await w.close();
    assert.equal(statSync(`${path}.1`).ino, firstIno);
    assert.equal(readFileSync(`${path}.1`, 'utf8'), line(1) + line(2) + line(3));
    assert.equal(readFileSync(path, 'utf8'), line(4) + line(5));
    assert.deepEqual(full, [firstIno, statSync(path).ino], 'the new file reached 18 bytes: said for it too');
  });

  it('drops and counts chunks past maxPendingBytes instead of growing without bound', async (t) => {
    const path = join(dir(t), 'web.log');
    const { w } = writer(path, { maxPendingBytes: 20 });
    for (let i = 0; i < 5; i++) {
      w.append(line(i));
      w.flush(); // the first is being written; the next two wait (18 bytes); the rest do not fit
    }
    await w.close();
    assert.equal(readFileSync(path, 'utf8'), line(0) + line(1) + line(2));
    assert.deepEqual(w.takeCounts(), { writtenBytes: 27, droppedBytes: 18 });
  });

  it('a write that fails is reported once, counted, and the writer tries the path again for the next chunk', async (t) => {
    const path = join(dir(t), 'web.log');
    mkdirSync(path); // a folder where the file should be: opening it to append fails
    const { w, errors } = writer(path);
    w.append(line(0));
    w.flush();
    w.append(line(1));
    w.flush();
    await w.idle();
    assert.equal(errors.length, 1, errors.join('; '));
    assert.match(errors[0]!, /web\.log: EISDIR/);
    assert.deepEqual(w.takeCounts(), { writtenBytes: 0, droppedBytes: 18 });

    rmSync(path, { recursive: true });
    w.append(line(2));
    await w.close();
    assert.equal(readFileSync(path, 'utf8'), line(2));
    assert.deepEqual(w.takeCounts(), { writtenBytes: 9, droppedBytes: 0 });
  });
});
