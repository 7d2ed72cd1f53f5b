import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../core/log.js';
import { AccessLogFile } from './file.js';

function dir(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'shoal-access-log-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const line = (i: number) => `line ${String(i).padStart(3, '0')}\n`; // 9 bytes

describe('AccessLogFile', () => {
  it('appends batches in order and has written everything once close() resolves', async (t) => {
    const path = join(dir(t), 'nested', 'web.log');
    const f = new AccessLogFile({ path, maxBytes: 1 << 20, maxFiles: 5, log: silentLogger });
    for (let i = 0; i < 100; i++) f.write(line(i)); // no await between: they queue behind the first write
    await f.close();
    assert.equal(readFileSync(path, 'utf8'), Array.from({ length: 100 }, (_, i) => line(i)).join(''));
    assert.equal(f.writtenBytes, 900);
    f.write('after close\n');
    await f.flush();
    assert.equal(readFileSync(path, 'utf8').includes('after close'), false);
  });

  it('rotates before a write would pass maxBytes, keeping maxFiles old files, never splitting a batch', async (t) => {
    const path = join(dir(t), 'web.log');
    const f = new AccessLogFile({ path, maxBytes: 30, maxFiles: 2, log: silentLogger });
    for (let i = 0; i < 10; i++) {
      f.write(line(i));
      await f.flush(); // one batch per line
    }
    await f.close();
    // 3 lines (27 bytes) fit; the 4th would make 36: rotate. 10 lines: 0-2, 3-5, 6-8, 9.
    assert.equal(readFileSync(path, 'utf8'), line(9));
    assert.equal(readFileSync(`${path}.1`, 'utf8'), line(6) + line(7) + line(8));
    assert.equal(readFileSync(`${path}.2`, 'utf8'), line(3) + line(4) + line(5));
    assert.equal(existsSync(`${path}.3`), false, 'the oldest went');
    assert.equal(f.rotations, 3);
  });

  it('maxFiles 0 keeps no rotated file', async (t) => {
    const path = join(dir(t), 'web.log');
    const f = new AccessLogFile({ path, maxBytes: 10, maxFiles: 0, log: silentLogger });
    f.write(line(1));
    await f.flush();
    f.write(line(2));
    await f.close();
    assert.equal(readFileSync(path, 'utf8'), line(2));
    assert.equal(existsSync(`${path}.1`), false);
  });

  it('a file already at its limit when opened (a restart) rotates before the first write', async (t) => {
    const path = join(dir(t), 'web.log');
    writeFileSync(path, 'x'.repeat(25));
    const f = new AccessLogFile({ path, maxBytes: 30, maxFiles: 1, log: silentLogger });
    f.write(line(1));
    await f.close();
    assert.equal(readFileSync(`${path}.1`, 'utf8'), 'x'.repeat(25));
    assert.equal(readFileSync(path, 'utf8'), line(1));
  });

  it('drops and counts batches past maxPendingBytes instead of growing without bound', async (t) => {
    const path = join(dir(t), 'web.log');
    const f = new AccessLogFile({ path, maxBytes: 1 << 20, maxFiles: 1, log: silentLogger, maxPendingBytes: 20 });
    f.write(line(1)); // taken by the first write at once
    f.write(line(2));
    f.write(line(3)); // 18 bytes waiting
    f.write(line(4)); // 27 would wait: dropped
    await f.close();
    assert.equal(readFileSync(path, 'utf8'), line(1) + line(2) + line(3));
    assert.equal(f.droppedBytes, 9);
  });

  it('a write that fails is counted and the file goes on with the next batch', async (t) => {
    const d = dir(t);
    const path = join(d, 'web.log');
    writeFileSync(join(d, 'blocker'), '');
    const f = new AccessLogFile({ path: join(d, 'blocker', 'web.log'), maxBytes: 1 << 20, maxFiles: 1, log: silentLogger });
    f.write(line(1));
    await f.close();
    assert.equal(f.droppedBytes, 9, 'a file cannot be a directory');
    assert.equal(existsSync(path), false);
  });
});
