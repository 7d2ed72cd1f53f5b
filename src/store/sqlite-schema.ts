/**
 * The SQLite schema, as numbered migrations. A migration is never edited once
 * released: change the schema by appending one. Each runs in its own
 * transaction together with its row in schema_migrations, so a crash mid-way
 * leaves the database at the previous version, never half-migrated.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { ShoalError } from '../core/errors.js';

export const MIGRATIONS: readonly string[] = [
  // 1: desired state (config + runtime registrations), documents, history.
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  );
  INSERT INTO meta (key, value) VALUES ('version', 0);

  -- Spec from the config, one JSON document per resource, in config order.
  CREATE TABLE load_balancers (
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    spec     TEXT NOT NULL
  );
  CREATE TABLE target_groups (
    name     TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    spec     TEXT NOT NULL
  );

  -- Targets registered at runtime (API, ASGs). No foreign key on purpose:
  -- applyConfig deletes the rows of removed groups itself so it can report them.
  CREATE TABLE registered_targets (
    target_group      TEXT NOT NULL,
    target_id         TEXT NOT NULL,
    port              INTEGER NOT NULL,
    availability_zone TEXT,
    source            TEXT NOT NULL,
    registered_at     INTEGER NOT NULL,
    PRIMARY KEY (target_group, target_id, port)
  );

  -- Launch templates, ASGs, instances, alarms, and their status:<kind> twins.
  CREATE TABLE docs (
    kind    TEXT NOT NULL,
    id      TEXT NOT NULL,
    version INTEGER NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (kind, id)
  );

  -- Append-only. AUTOINCREMENT so ids are never reused, even after the newest rows are pruned.
  CREATE TABLE history (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    stream TEXT NOT NULL,
    at     INTEGER NOT NULL,
    entry  TEXT NOT NULL
  );
  CREATE INDEX history_by_stream ON history (stream, id);
  `,
];

/** Brings the database to the newest schema; returns the schema version. */
export function migrate(db: Database.Database, clock: Clock): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at INTEGER NOT NULL
  )`);
  const currentVersion = (): number =>
    (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  // One step per IMMEDIATE transaction, re-reading the version inside it, so two
  // processes opening the same file at once cannot both apply a migration.
  const step = db.transaction((): boolean => {
    const current = currentVersion();
    if (current > MIGRATIONS.length) {
      throw new ShoalError(
        'StoreVersionTooNew',
        `The store was written by a newer shoal (schema ${current}, this one knows ${MIGRATIONS.length}). ` +
          'Upgrade shoal or use another data directory.',
        500,
      );
    }
    if (current === MIGRATIONS.length) return false;
    db.exec(MIGRATIONS[current]!);
    record.run(current + 1, clock.now());
    return true;
  });
  while (step.immediate()) { /* next migration */ }
  return MIGRATIONS.length;
}
