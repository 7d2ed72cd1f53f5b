import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ManualClock } from '../core/clock.js';
import { storeContract } from './contract.test-suite.js';
import { MIGRATIONS } from './sqlite-schema.js';
import { openSqliteStore } from './sqlite.js';
import { tg } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'shoal-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A path to a database that does not exist yet, in a directory that does not exist yet. */
const freshPath = () => join(root, `case-${++n}`, 'data', 'shoal.db');
const FIXTURE_DOCS = 50;

storeContract('sqlite', (clock) => openSqliteStore(freshPath(), clock));

describe('sqlite store on disk', () => {
  it('creates its directory, uses WAL, and records the schema version', () => {
    const path = freshPath();
    openSqliteStore(path, new ManualClock(42)).close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.deepEqual(db.prepare('SELECT version, applied_at FROM schema_migrations').all(), [
      { version: MIGRATIONS.length, applied_at: 42 },
    ]);
    db.close();
  });

  it('refuses a database written by a newer schema', () => {
    const path = freshPath();
    openSqliteStore(path, new ManualClock()).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)').run(MIGRATIONS.length + 1);
    db.close();
    assert.throws(() => openSqliteStore(path, new ManualClock()), (err: unknown) => (err as { code?: string }).code === 'StoreVersionTooNew');
  });

  it('keeps everything and a monotonic version across a clean reopen', () => {
    const path = freshPath();
    const clock = new ManualClock();
    const first = openSqliteStore(path, clock);
    first.applyConfig({ loadBalancers: [], targetGroups: [tg('app'), tg('old')] });
    first.registerTargets('app', [{ id: '127.0.1.1', port: 80 }], 'asg:app');
    first.registerTargets('old', [{ id: '127.0.2.1', port: 80 }], 'api');
    const docVersion = first.putDoc('asg', 'app', { desiredCapacity: 1 });
    const historyId = first.appendHistory('activity:asg:app', { description: 'first' });
    const before = first.version();
    first.close();

    const second = openSqliteStore(path, clock);
    assert.equal(second.version(), before);
    assert.deepEqual(second.getDoc('asg', 'app'), { value: { desiredCapacity: 1 }, version: docVersion });
    assert.ok(second.appendHistory('activity:asg:app', { description: 'second' }) > historyId, 'history ids continue');
    assert.deepEqual(second.history<{ description: string }>('activity:asg:app').map((e) => e.description), ['second', 'first']);
    // Re-applying the config after a restart: the group that remains keeps its
    // runtime targets, the removed group's are returned and gone.
    const applied = second.applyConfig({ loadBalancers: [], targetGroups: [tg('app')] });
    assert.ok(applied.version > before);
    assert.deepEqual(applied.droppedRegistrations.map((d) => [d.group, d.targets.map((t) => t.id)]), [['old', ['127.0.2.1']]]);
    assert.deepEqual(second.registeredTargets('app').map((t) => t.id), ['127.0.1.1']);
    assert.ok(second.putDoc('asg', 'app', { desiredCapacity: 2 }, docVersion) > applied.version);
    second.close();
  });

  it('keeps every committed write when the process is killed with SIGKILL', () => {
    const path = freshPath();
    const fixture = fileURLToPath(new URL('./sqlite-sigkill.fixture.js', import.meta.url));
    const child = spawnSync(process.execPath, [fixture, path, String(FIXTURE_DOCS)], { encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', `fixture should kill itself; stderr: ${child.stderr}`);
    // The writes were never checkpointed into the main file: reopening must recover them from the WAL.
    assert.ok(existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0, 'the WAL holds the writes');

    const store = openSqliteStore(path, new ManualClock());
    assert.deepEqual(store.targetGroups().map((g) => g.name), ['app']);
    assert.deepEqual(store.registeredTargets('app').map((t) => [t.id, t.port, t.availabilityZone, t.source]), [
      ['127.0.1.1', 8080, 'zone-a', 'asg:app'],
    ]);
    assert.equal(store.listDocs('instance').length, FIXTURE_DOCS);
    assert.equal(store.history('activity:asg:app').length, 1);
    assert.equal(store.version(), 2 + FIXTURE_DOCS, 'apply + register + one per document');
    store.close();
  });

  it('lets a second connection (the CLI) read what the daemon wrote', () => {
    const path = freshPath();
    const daemon = openSqliteStore(path, new ManualClock());
    const cli = openSqliteStore(path, new ManualClock());
    daemon.putDoc('asg', 'app', { desiredCapacity: 3 });
    assert.deepEqual(cli.getDoc('asg', 'app')?.value, { desiredCapacity: 3 });
    assert.equal(cli.version(), daemon.version());
    assert.throws(() => cli.putDoc('asg', 'app', {}, 0), (err: unknown) => (err as { code?: string }).code === 'ConflictException');
    daemon.close();
    cli.close();
  });
});
