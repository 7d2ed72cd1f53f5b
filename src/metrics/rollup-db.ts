/**
 * The persisted tiers: 1-minute and 1-hour aggregates (with their sketches)
 * in their own SQLite file, metrics.db in the state dir, apart from shoal.db
 * so metric writes never contend with the desired-state store and the file
 * can be deleted to forget history. WAL, synchronous=NORMAL: a crash loses at
 * most the last flush interval.
 */
import Database from 'better-sqlite3';
import type { Agg } from './agg.js';
import { Sketch } from './sketch.js';
import type { Dimension, SeriesKey } from './types.js';

export interface RollupRow {
  series: number;
  res: number;
  ts: number;
  agg: Agg;
}

interface DbRow {
  ts: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  sketch: Buffer | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, namespace TEXT NOT NULL, metric_name TEXT NOT NULL,
  dimensions TEXT NOT NULL, unit TEXT, last_ts INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rollup (
  series INTEGER NOT NULL, res INTEGER NOT NULL, ts INTEGER NOT NULL,
  count REAL NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, sketch BLOB,
  PRIMARY KEY (series, res, ts)) WITHOUT ROWID;
`;

export class RollupDb {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.stmts = {
      insertSeries: this.db.prepare(
        'INSERT OR IGNORE INTO series (key, namespace, metric_name, dimensions, unit, last_ts) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      seriesId: this.db.prepare<[string], { id: number; unit: string | null }>('SELECT id, unit FROM series WHERE key = ?'),
      touch: this.db.prepare('UPDATE series SET last_ts = max(last_ts, ?), unit = coalesce(?, unit) WHERE id = ?'),
      one: this.db.prepare<[number, number, number], DbRow>('SELECT ts, count, sum, min, max, sketch FROM rollup WHERE series = ? AND res = ? AND ts = ?'),
      range: this.db.prepare<[number, number, number, number], DbRow>(
        'SELECT ts, count, sum, min, max, sketch FROM rollup WHERE series = ? AND res = ? AND ts >= ? AND ts < ? ORDER BY ts',
      ),
      upsert: this.db.prepare('INSERT OR REPLACE INTO rollup (series, res, ts, count, sum, min, max, sketch) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      expire: this.db.prepare('DELETE FROM rollup WHERE res = ? AND ts < ?'),
      expireSeries: this.db.prepare('DELETE FROM series WHERE last_ts < ? AND id NOT IN (SELECT DISTINCT series FROM rollup)'),
      list: this.db.prepare<[number], { namespace: string; metric_name: string; dimensions: string }>(
        'SELECT namespace, metric_name, dimensions FROM series WHERE last_ts >= ?',
      ),
    };
  }

  /** The series' numeric id, created on first use. */
  seriesId(key: string, k: SeriesKey, now: number): number {
    this.stmts.insertSeries.run(key, k.namespace, k.metricName, JSON.stringify(k.dimensions), null, now);
    return this.stmts.seriesId.get(key)!.id;
  }

  findSeries(key: string): { id: number; unit: string | undefined } | undefined {
    const r = this.stmts.seriesId.get(key);
    return r && { id: r.id, unit: r.unit ?? undefined };
  }

  load(series: number, res: number, ts: number): Agg | undefined {
    const r = this.stmts.one.get(series, res, ts);
    return r && toAgg(r);
  }

  range(series: number, res: number, start: number, end: number): { ts: number; agg: Agg }[] {
    return this.stmts.range.all(series, res, start, end).map((r) => ({ ts: r.ts, agg: toAgg(r) }));
  }

  /** Writes rollups and series' last-seen times in one transaction. */
  write(rows: readonly RollupRow[], touched: readonly { id: number; lastTs: number; unit: string | undefined }[]): void {
    this.db.transaction(() => {
      for (const { series, res, ts, agg } of rows) {
        this.stmts.upsert.run(series, res, ts, agg.count, agg.sum, agg.min, agg.max, agg.sketch ? agg.sketch.encode() : null);
      }
      for (const t of touched) this.stmts.touch.run(t.lastTs, t.unit ?? null, t.id);
    })();
  }

  /** Deletes rollups of a resolution older than `before`; series with no rollups left and no data since `before` go too. */
  expire(res: number, before: number, seriesBefore?: number): number {
    const n = this.stmts.expire.run(res, before).changes;
    if (seriesBefore !== undefined) this.stmts.expireSeries.run(seriesBefore);
    return n;
  }

  listSince(since: number): SeriesKey[] {
    return this.stmts.list.all(since).map((r) => ({
      namespace: r.namespace,
      metricName: r.metric_name,
      dimensions: JSON.parse(r.dimensions) as Dimension[],
    }));
  }

  close(): void {
    this.db.close();
  }
}

function toAgg(r: DbRow): Agg {
  return { count: r.count, sum: r.sum, min: r.min, max: r.max, sketch: r.sketch ? Sketch.decode(r.sketch) : null };
}
