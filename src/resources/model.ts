/**
 * The model service: every resource, from the config file or created through
 * the API, as records in the store (records.ts), and the effective config the
 * controllers run on, built from all of them by the config's own rules
 * (config/source.ts: schema, references, normalization).
 *
 * API
 *   loadFile(path | null) -> ShoalConfig   (re)reads the file and reconciles
 *     the file-owned records: new ones are written, changed ones rewritten,
 *     those gone from the file deleted. API-owned records are never touched.
 *     Throws ConfigError (nothing changes) when the file, or the file together
 *     with the API's resources, does not validate.
 *   create / update / remove(kind, ...)   API-owned resources, validated with
 *     everything else before anything is written; update and remove take the
 *     version read (If-Match): stale -> ConflictException. File-owned ones
 *     answer ResourceOwnedByFile, naming file:line.
 *   annotate(kind, name, change)   tags and meta of any record (file-owned too).
 *   list(kind), get(kind, name), effective
 *
 * After every API write the `changed` hook runs with the new effective config
 * (the composition root applies it to the controllers); the write resolves
 * once it has.
 */
import { dirname, resolve } from 'node:path';
import type { Clock } from '../core/clock.js';
import { ShoalError } from '../core/errors.js';
import { randomHex, type Random } from '../core/random.js';
import type { ShoalConfig } from '../model/config.js';
import type { Store } from '../store/index.js';
import { ConfigError } from '../config/errors.js';
import type { RawIssue } from '../config/issues.js';
import { locate } from '../config/positions.js';
import { buildConfig, fileLocator, readConfigFile, unplaced, type ConfigSource } from '../config/source.js';
import {
  KINDS, NOUNS, alreadyExists, docKind, fileOwned, notFound,
  type Kind, type Owner, type ResourceRecord, type StoredRecord,
} from './records.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ModelOptions {
  store: Store;
  clock: Clock;
  random: Random;
  /** Runs after each API write with the new effective config. */
  changed?: (config: ShoalConfig) => Promise<void>;
}

export class ModelService {
  private source: ConfigSource | null = null;
  private path: string | null = null;
  effective!: ShoalConfig;
  changed: ((config: ShoalConfig) => Promise<void>) | undefined;

  constructor(private readonly o: ModelOptions) {
    this.changed = o.changed;
  }

  loadFile(path: string | null): ShoalConfig {
    const source = path === null ? null : readConfigFile(path);
    const api = this.apiRecords();
    if (source !== null) checkFileAgainstApi(source, api);
    const config = this.build(source, path, api, null);
    this.reconcileFile(source);
    this.source = source;
    this.path = path;
    this.effective = config;
    return config;
  }

  list(kind: Kind): ResourceRecord[] {
    const all = this.o.store.listDocs<StoredRecord>(docKind(kind)).map((d) => ({ ...d.value, kind, name: d.id, version: d.version }));
    const order = new Map(this.effectiveNames(kind).map((n, i) => [n, i]));
    return all.sort((a, b) => (order.get(a.name) ?? Infinity) - (order.get(b.name) ?? Infinity));
  }

  get(kind: Kind, name: string): ResourceRecord | undefined {
    const d = this.o.store.getDoc<StoredRecord>(docKind(kind), name);
    return d && { ...d.value, kind, name, version: d.version };
  }

  async create(kind: Kind, raw: Obj, tags: Record<string, string> = {}): Promise<ResourceRecord> {
    const name = nameOf(raw);
    const existing = this.get(kind, name);
    if (existing) throw alreadyExists(kind, name, existing.owner);
    const rec: StoredRecord = { raw, owner: { kind: 'api' }, id: randomHex(this.o.random, 17), createdAt: this.o.clock.now(), tags };
    return this.write(kind, name, rec, 0);
  }

  async update(kind: Kind, name: string, change: (raw: Obj) => Obj, expectedVersion?: number): Promise<ResourceRecord> {
    const rec = this.mine(kind, name, expectedVersion);
    const raw = change(structuredClone(rec.raw));
    if (nameOf(raw) !== name) throw new ShoalError('ValidationError', `A ${NOUNS[kind]}'s name cannot be changed (${name}).`);
    return this.write(kind, name, { ...storedOf(rec), raw }, rec.version);
  }

  async remove(kind: Kind, name: string, expectedVersion?: number): Promise<ResourceRecord> {
    const rec = this.mine(kind, name, expectedVersion);
    const config = this.build(this.source, this.path, this.apiRecords(), { kind, name, record: null });
    if (!this.o.store.deleteDoc(docKind(kind), name)) throw notFound(kind, name);
    await this.apply(config);
    return rec;
  }

  /** Tags and meta live beside the spec, so file-owned resources take them too. Stale version: ConflictException. */
  annotate(kind: Kind, name: string, change: (r: Pick<StoredRecord, 'tags' | 'meta'>) => Pick<StoredRecord, 'tags' | 'meta'>, expectedVersion?: number): ResourceRecord {
    const rec = this.get(kind, name);
    if (!rec) throw notFound(kind, name);
    const next = change({ tags: { ...rec.tags }, meta: structuredClone(rec.meta ?? {}) });
    const stored: StoredRecord = { ...storedOf(rec), tags: next.tags, meta: next.meta };
    const version = this.o.store.putDoc(docKind(kind), name, stored, expectedVersion ?? rec.version);
    return { ...rec, ...stored, version };
  }

  /** The record an API write may change: it exists, the API owns it, and it is at the version the caller read. */
  private mine(kind: Kind, name: string, expectedVersion: number | undefined): ResourceRecord {
    const rec = this.get(kind, name);
    if (!rec) throw notFound(kind, name);
    if (rec.owner.kind === 'file') throw fileOwned(kind, name, rec.owner);
    if (expectedVersion !== undefined && expectedVersion !== rec.version) {
      throw new ShoalError('ConflictException', `The ${NOUNS[kind]} '${name}' changed (version ${rec.version}, you read ${expectedVersion}). Read it again and retry.`, 409);
    }
    return rec;
  }

  private async write(kind: Kind, name: string, rec: StoredRecord, expected: number): Promise<ResourceRecord> {
    const config = this.build(this.source, this.path, this.apiRecords(), { kind, name, record: rec });
    let version: number;
    try {
      version = this.o.store.putDoc(docKind(kind), name, rec, expected);
    } catch (err) {
      if (err instanceof ShoalError && err.code === 'ConflictException' && expected === 0) throw alreadyExists(kind, name, { kind: 'api' });
      throw err;
    }
    await this.apply(config);
    return { ...rec, kind, name, version };
  }

  private async apply(config: ShoalConfig): Promise<void> {
    this.effective = config;
    await this.changed?.(config);
  }

  /** API-owned records per kind, oldest first. */
  private apiRecords(): Map<Kind, ResourceRecord[]> {
    const out = new Map<Kind, ResourceRecord[]>();
    for (const kind of KINDS) {
      const recs = this.o.store.listDocs<StoredRecord>(docKind(kind))
        .filter((d) => d.value.owner.kind === 'api')
        .map((d) => ({ ...d.value, kind, name: d.id, version: d.version }))
        .sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1));
      out.set(kind, recs);
    }
    return out;
  }

  /**
   * The effective config from the file's data and the API's records, with one
   * change applied (a record written, or removed when `record` is null).
   */
  private build(source: ConfigSource | null, path: string | null, api: Map<Kind, ResourceRecord[]>, change: Change | null): ShoalConfig {
    const data: Obj = isObj(source?.data) ? { ...source.data } : {};
    const fileCounts = new Map<Kind, number>();
    const apiNames = new Map<Kind, string[]>();
    for (const kind of KINDS) {
      const fromFile = Array.isArray(data[kind]) ? (data[kind] as unknown[]) : [];
      let recs = api.get(kind) ?? [];
      if (change?.kind === kind) {
        recs = recs.filter((r) => r.name !== change.name);
        if (change.record) recs = [...recs, { ...change.record, kind, name: change.name, version: 0 }];
      }
      fileCounts.set(kind, fromFile.length);
      apiNames.set(kind, recs.map((r) => r.name));
      if (fromFile.length > 0 || recs.length > 0) data[kind] = [...fromFile, ...recs.map((r) => r.raw)];
    }
    const inFile = source === null ? null : fileLocator(source);
    const locator = (raws: RawIssue[]) => {
      const fileIssues: RawIssue[] = [];
      const out = [];
      for (const raw of raws) {
        const [kind, index] = raw.path as [Kind, number];
        const count = fileCounts.get(kind);
        if (count !== undefined && typeof index === 'number' && index >= count) {
          const name = apiNames.get(kind)![index - count]!;
          out.push(unplaced(`${NOUNS[kind]} '${name}' (created through the API)`, { ...raw, path: raw.path.slice(2) }));
        } else if (inFile !== null) fileIssues.push(raw);
        else out.push(unplaced('(no config file)', raw));
      }
      return [...(inFile === null ? [] : inFile(fileIssues)), ...out];
    };
    return buildConfig(data, locator, path === null ? process.cwd() : dirname(resolve(path)));
  }

  private effectiveNames(kind: Kind): string[] {
    return ((this.effective?.[kind] ?? []) as unknown as Obj[]).map((r) => String(r.name ?? r.alarmName ?? r.family));
  }

  /** File-owned records follow the file: written when new or changed (with their line), deleted when gone. */
  private reconcileFile(source: ConfigSource | null): void {
    const data: Obj = isObj(source?.data) ? source!.data as Obj : {};
    for (const kind of KINDS) {
      const items = Array.isArray(data[kind]) ? (data[kind] as Obj[]) : [];
      const keep = new Set<string>();
      items.forEach((raw, i) => {
        const name = nameOf(raw);
        keep.add(name);
        const owner: Owner = { kind: 'file', file: source!.file, line: locate(source!.doc, source!.lines, [kind, i]).line };
        const rec = this.get(kind, name);
        if (rec && JSON.stringify(rec.raw) === JSON.stringify(raw) && JSON.stringify(rec.owner) === JSON.stringify(owner)) return;
        const next: StoredRecord = rec
          ? { ...storedOf(rec), raw, owner }
          : { raw, owner, id: randomHex(this.o.random, 17), createdAt: this.o.clock.now(), tags: {} };
        this.o.store.putDoc(docKind(kind), name, next);
      });
      for (const rec of this.list(kind)) {
        if (rec.owner.kind === 'file' && !keep.has(rec.name)) this.o.store.deleteDoc(docKind(kind), rec.name);
      }
    }
  }
}

interface Change {
  kind: Kind;
  name: string;
  record: StoredRecord | null;
}

/** A resource's name: `name`, an alarm's `alarmName` (PutMetricAlarm's field) or a task definition's `family`. */
function nameOf(raw: Obj): string {
  const name = raw.name ?? raw.alarmName ?? raw.family;
  if (typeof name !== 'string' || name === '') throw new ShoalError('ValidationError', 'A resource needs a name.');
  return name;
}

function storedOf(r: ResourceRecord): StoredRecord {
  return { raw: r.raw, owner: r.owner, id: r.id, createdAt: r.createdAt, tags: r.tags, ...(r.meta ? { meta: r.meta } : {}) };
}

/** A name the file declares that the API already owns: the file must rename it, or the API delete it. */
function checkFileAgainstApi(source: ConfigSource, api: Map<Kind, ResourceRecord[]>): void {
  if (!isObj(source.data)) return;
  const raws: RawIssue[] = [];
  for (const kind of KINDS) {
    const items = source.data[kind];
    if (!Array.isArray(items)) continue;
    const taken = new Set((api.get(kind) ?? []).map((r) => r.name));
    items.forEach((item, i) => {
      const key = kind === 'taskDefinitions' ? 'family' : 'name';
      const name = isObj(item) ? item[key] : undefined;
      if (typeof name === 'string' && taken.has(name)) {
        raws.push({ path: [kind, i, key], message: `${NOUNS[kind]} "${name}" was created through the API; delete it there or give this one another name` });
      }
    });
  }
  if (raws.length > 0) throw new ConfigError(fileLocator(source)(raws));
}
