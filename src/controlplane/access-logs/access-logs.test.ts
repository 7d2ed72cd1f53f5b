import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../core/log.js';
import type { AccessLogs as AccessLogsSpec, LoadBalancer } from '../../model/load-balancer.js';
import { AccessLogs, defaultAccessLogPath } from './access-logs.js';

function dir(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'shoal-access-logs-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Only the fields AccessLogs reads. */
function lb(name: string, accessLogs?: Partial<AccessLogsSpec>): LoadBalancer {
  return { name, attributes: accessLogs ? { accessLogs: { format: 'alb', maxFileSizeMegabytes: 1, maxFiles: 2, ...accessLogs } } : {} } as unknown as LoadBalancer;
}

const BYTES = 1 / (1024 * 1024); // maxFileSizeMegabytes of one byte

function setup(d: string) {
  const reopened: string[] = [];
  const logs = new AccessLogs({ stateDir: () => join(d, 'state'), log: silentLogger, reopen: (name) => reopened.push(name) });
  return { logs, reopened };
}

describe('AccessLogs (the primary: files, rotation, counts)', () => {
  it('gives the workers each logging load balancer\'s file, the default one under the state folder', (t) => {
    const d = dir(t);
    const { logs } = setup(d);
    logs.sync([lb('web', { path: join(d, 'web.log'), maxFileSizeMegabytes: 2 }), lb('side', { format: 'json' }), lb('quiet')]);
    assert.deepEqual(logs.snapshot(), {
      web: { path: join(d, 'web.log'), format: 'alb', maxBytes: 2 * 1024 * 1024 },
      side: { path: defaultAccessLogPath(join(d, 'state'), 'side'), format: 'json', maxBytes: 1024 * 1024 },
    });
    logs.sync([lb('web', { path: join(d, 'web.log'), maxFileSizeMegabytes: 2 })]);
    assert.deepEqual(Object.keys(logs.snapshot()), ['web'], 'a load balancer that stops logging is no longer written');
  });

  it('rotates a full file once, keeping maxFiles old files, then has the workers reopen', async (t) => {
    const d = dir(t);
    const path = join(d, 'web.log');
    const { logs, reopened } = setup(d);
    logs.sync([lb('web', { path, maxFileSizeMegabytes: 10 * BYTES, maxFiles: 2 })]);
    for (const content of ['first-file\n', 'second-file\n', 'third-file\n']) {
      writeFileSync(path, content);
      const ino = statSync(path).ino;
      logs.onEvent({ type: 'full', loadBalancer: 'web', ino });
      logs.onEvent({ type: 'full', loadBalancer: 'web', ino }); // a second worker's report of the same file
      await logs.idle();
    }
    assert.equal(existsSync(path), false, 'the workers make the new file when they reopen');
    assert.equal(readFileSync(`${path}.1`, 'utf8'), 'third-file\n');
    assert.equal(readFileSync(`${path}.2`, 'utf8'), 'second-file\n');
    assert.equal(existsSync(`${path}.3`), false, 'maxFiles 2');
    assert.deepEqual(reopened, ['web', 'web', 'web'], 'once per rotation');
    assert.equal(logs.stats()[0]!.rotations, 3);
  });

  it('leaves alone a report about a file already rotated, or one below its size', async (t) => {
    const d = dir(t);
    const path = join(d, 'web.log');
    const { logs, reopened } = setup(d);
    logs.sync([lb('web', { path, maxFileSizeMegabytes: 10 * BYTES })]);
    writeFileSync(path, 'old file, long enough\n');
    const oldIno = statSync(path).ino;
    renameSync(path, join(d, 'rotated-by-someone')); // the old file lives on: its inode is not reused
    writeFileSync(path, 'new file, long enough\n');
    logs.onEvent({ type: 'full', loadBalancer: 'web', ino: oldIno });
    writeFileSync(join(d, 'small.log'), 'tiny\n');
    logs.sync([lb('web', { path, maxFileSizeMegabytes: 10 * BYTES }), lb('small', { path: join(d, 'small.log'), maxFileSizeMegabytes: 10 * BYTES })]);
    logs.onEvent({ type: 'full', loadBalancer: 'small', ino: statSync(join(d, 'small.log')).ino });
    logs.onEvent({ type: 'full', loadBalancer: 'gone', ino: 1 });
    await logs.idle();
    assert.deepEqual(reopened, []);
    assert.equal(readFileSync(path, 'utf8'), 'new file, long enough\n');
    assert.equal(existsSync(`${path}.1`), false);
  });

  it('maxFiles 0 keeps no rotated file', async (t) => {
    const d = dir(t);
    const path = join(d, 'web.log');
    const { logs, reopened } = setup(d);
    logs.sync([lb('web', { path, maxFileSizeMegabytes: 5 * BYTES, maxFiles: 0 })]);
    writeFileSync(path, 'full file\n');
    logs.onEvent({ type: 'full', loadBalancer: 'web', ino: statSync(path).ino });
    await logs.idle();
    assert.equal(existsSync(path), false);
    assert.equal(existsSync(`${path}.1`), false);
    assert.deepEqual(reopened, ['web']);
  });

  it('adds up the workers\' counts per load balancer', (t) => {
    const d = dir(t);
    const { logs } = setup(d);
    logs.sync([lb('web', { path: join(d, 'web.log') })]);
    logs.onEvent({ type: 'counts', loadBalancer: 'web', writtenBytes: 100, droppedBytes: 0 });
    logs.onEvent({ type: 'counts', loadBalancer: 'web', writtenBytes: 50, droppedBytes: 7 });
    logs.onEvent({ type: 'counts', loadBalancer: 'gone', writtenBytes: 1, droppedBytes: 1 });
    assert.deepEqual(logs.stats(), [{ loadBalancer: 'web', path: join(d, 'web.log'), writtenBytes: 150, droppedBytes: 7, rotations: 0 }]);
  });
});
