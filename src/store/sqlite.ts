/**
 * The default Store: one embedded SQLite file (better-sqlite3, synchronous API).
 *
 * Durability: WAL journal with synchronous=NORMAL. In WAL mode a commit is an
 * append to the -wal file, written (not fsynced) before the call returns, so
 * the data is in the OS page cache and survives the process dying in any way,
 * kill -9 included (sqlite.test.ts proves it). What NORMAL gives up against
 * FULL is only the last few commits on a power loss or kernel crash; the
 * database is never corrupted either way. FULL would fsync on every
 * registration and every activity, which a control plane writing on each
 * reconcile does not need; the config file can always be applied again.
 *
 * Every write is one IMMEDIATE transaction (the write lock is taken up front),
 * so a CLI or a second process reading the same file never sees half a change
 * and never deadlocks upgrading a read lock.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import type { LoadBalancer } from '../model/load-balancer.js';
import type { Target, TargetGroup } from '../model/target-group.js';
import { migrate } from './sqlite-schema.js';
import {
  checkExpectedVersion, checkUniqueNames, conflict, historyLimit, storeClosed, targetGroupNotFound, toJson,
  type ApplyConfigResult, type ConfigInput, type Doc, type HistoryEntry, type RegisteredTarget, type Store,
} from './store.js';

interface RegRow {
  target_group: string;
  target_id: string;
  port: number;
  availability_zone: string | null;
  source: string;
  registered_at: number;
}

function toRegistered(r: RegRow): RegisteredTarget {
  const t: RegisteredTarget = { id: r.target_id, port: r.port, source: r.source, registeredAt: r.registered_at };
  if (r.availability_zone !== null) t.availabilityZone = r.availability_zone;
  return t;
}

function toTarget(r: RegRow): Target {
  return r.availability_zone === null
    ? { id: r.target_id, port: r.port }
    : { id: r.target_id, port: r.port, availabilityZone: r.availability_zone };
}

/** Opens (creating the directory and file if needed) and migrates the store at path. */
export function openSqliteStore(path: string, clock: Clock): Store {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, clock);
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteStore(db, clock);
}

class SqliteStore implements Store {
  private closed = false;
  private readonly q;

  constructor(private readonly db: Database.Database, private readonly clock: Clock) {
    const p = (sql: string) => db.prepare(sql);
    this.q = {
      version: p(`SELECT value FROM meta WHERE key = 'version'`).pluck(),
      bump: p(`UPDATE meta SET value = value + 1 WHERE key = 'version' RETURNING value`).pluck(),
      lbs: p('SELECT name, spec FROM load_balancers ORDER BY position'),
      tgs: p('SELECT name, spec FROM target_groups ORDER BY position'),
      hasGroup: p('SELECT 1 FROM target_groups WHERE name = ?').pluck(),
      insertLb: p('INSERT INTO load_balancers (name, position, spec) VALUES (?, ?, ?)'),
      insertTg: p('INSERT INTO target_groups (name, position, spec) VALUES (?, ?, ?)'),
      clearLbs: p('DELETE FROM load_balancers'),
      clearTgs: p('DELETE FROM target_groups'),
      regGroups: p('SELECT DISTINCT target_group FROM registered_targets').pluck(),
      regs: p('SELECT * FROM registered_targets WHERE target_group = ? ORDER BY rowid'),
      dropRegs: p('DELETE FROM registered_targets WHERE target_group = ?'),
      register: p(`INSERT OR IGNORE INTO registered_targets
        (target_group, target_id, port, availability_zone, source, registered_at) VALUES (?, ?, ?, ?, ?, ?)`),
      deregister: p('DELETE FROM registered_targets WHERE target_group = ? AND target_id = ? AND port = ? RETURNING *'),
      getDoc: p('SELECT value, version FROM docs WHERE kind = ? AND id = ?'),
      putDoc: p(`INSERT INTO docs (kind, id, version, value) VALUES (?, ?, ?, ?)
        ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, value = excluded.value`),
      deleteDoc: p('DELETE FROM docs WHERE kind = ? AND id = ?'),
      listDocs: p('SELECT id, value, version FROM docs WHERE kind = ? ORDER BY id'),
      append: p('INSERT INTO history (stream, at, entry) VALUES (?, ?, ?)'),
      history: p('SELECT id, at, entry FROM history WHERE stream = ? ORDER BY id DESC LIMIT ?'),
    };
  }

  applyConfig(input: ConfigInput): ApplyConfigResult {
    this.open();
    checkUniqueNames(input);
    const lbs = input.loadBalancers.map((l) => ({ name: l.name, spec: toJson(l) }));
    const tgs = input.targetGroups.map((g) => ({ name: g.name, spec: toJson(g) }));
    return this.db.transaction((): ApplyConfigResult => {
      const same = (rows: unknown[], next: { name: string; spec: string }[]) =>
        rows.length === next.length &&
        (rows as { name: string; spec: string }[]).every((r, i) => r.name === next[i]!.name && r.spec === next[i]!.spec);
      const unchanged = same(this.q.lbs.all(), lbs) && same(this.q.tgs.all(), tgs);
      const keep = new Set(tgs.map((g) => g.name));
      const droppedRegistrations: ApplyConfigResult['droppedRegistrations'] = [];
      for (const group of this.q.regGroups.all() as string[]) {
        if (keep.has(group)) continue;
        droppedRegistrations.push({ group, targets: (this.q.regs.all(group) as RegRow[]).map(toRegistered) });
        this.q.dropRegs.run(group);
      }
      if (unchanged && droppedRegistrations.length === 0) return { version: this.readVersion(), droppedRegistrations };
      this.q.clearLbs.run();
      this.q.clearTgs.run();
      lbs.forEach((l, i) => this.q.insertLb.run(l.name, i, l.spec));
      tgs.forEach((g, i) => this.q.insertTg.run(g.name, i, g.spec));
      return { version: this.bump(), droppedRegistrations };
    }).immediate();
  }

  loadBalancers(): LoadBalancer[] {
    this.open();
    return (this.q.lbs.all() as { spec: string }[]).map((r) => JSON.parse(r.spec) as LoadBalancer);
  }

  targetGroups(): TargetGroup[] {
    this.open();
    return (this.q.tgs.all() as { spec: string }[]).map((r) => JSON.parse(r.spec) as TargetGroup);
  }

  registerTargets(group: string, targets: Target[], source: string): void {
    this.open();
    this.db.transaction(() => {
      if (this.q.hasGroup.get(group) === undefined) throw targetGroupNotFound(group);
      const now = this.clock.now();
      let changed = 0;
      for (const t of targets) {
        changed += this.q.register.run(group, t.id, t.port, t.availabilityZone ?? null, source, now).changes;
      }
      if (changed > 0) this.bump();
    }).immediate();
  }

  deregisterTargets(group: string, targets: Pick<Target, 'id' | 'port'>[]): Target[] {
    this.open();
    return this.db.transaction((): Target[] => {
      if (this.q.hasGroup.get(group) === undefined) throw targetGroupNotFound(group);
      const removed: Target[] = [];
      for (const t of targets) {
        const row = this.q.deregister.get(group, t.id, t.port) as RegRow | undefined;
        if (row) removed.push(toTarget(row));
      }
      if (removed.length > 0) this.bump();
      return removed;
    }).immediate();
  }

  registeredTargets(group: string): RegisteredTarget[] {
    this.open();
    return (this.q.regs.all(group) as RegRow[]).map(toRegistered);
  }

  version(): number {
    this.open();
    return this.readVersion();
  }

  getDoc<T>(kind: string, id: string): Doc<T> | undefined {
    this.open();
    const row = this.q.getDoc.get(kind, id) as { value: string; version: number } | undefined;
    return row && { value: JSON.parse(row.value) as T, version: row.version };
  }

  putDoc<T>(kind: string, id: string, value: T, expectedVersion?: number): number {
    this.open();
    checkExpectedVersion(expectedVersion);
    const json = toJson(value);
    return this.db.transaction((): number => {
      const current = (this.q.getDoc.get(kind, id) as { version: number } | undefined)?.version;
      if (expectedVersion !== undefined && expectedVersion !== (current ?? 0)) {
        throw conflict(kind, id, expectedVersion, current);
      }
      const version = this.bump();
      this.q.putDoc.run(kind, id, version, json);
      return version;
    }).immediate();
  }

  deleteDoc(kind: string, id: string): boolean {
    this.open();
    return this.db.transaction((): boolean => {
      const existed = this.q.deleteDoc.run(kind, id).changes > 0;
      if (existed) this.bump();
      return existed;
    }).immediate();
  }

  listDocs<T>(kind: string): ({ id: string } & Doc<T>)[] {
    this.open();
    return (this.q.listDocs.all(kind) as { id: string; value: string; version: number }[]).map((r) => ({
      id: r.id,
      value: JSON.parse(r.value) as T,
      version: r.version,
    }));
  }

  appendHistory(stream: string, entry: object): number {
    this.open();
    return Number(this.q.append.run(stream, this.clock.now(), toJson(entry)).lastInsertRowid);
  }

  history<T>(stream: string, limit?: number): HistoryEntry<T>[] {
    this.open();
    const rows = this.q.history.all(stream, historyLimit(limit)) as { id: number; at: number; entry: string }[];
    return rows.map((r) => ({ ...(JSON.parse(r.entry) as T), id: r.id, at: r.at }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private open(): void {
    if (this.closed) throw storeClosed();
  }

  private readVersion(): number {
    return this.q.version.get() as number;
  }

  private bump(): number {
    return this.q.bump.get() as number;
  }
}
