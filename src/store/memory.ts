/**
 * The in-memory Store: same contract as the SQLite one, nothing on disk. Values
 * are held as JSON text so reads return fresh copies and behave exactly like
 * the SQLite store's (one contract suite checks both).
 */
import type { Clock } from '../core/clock.js';
import type { LoadBalancer } from '../model/load-balancer.js';
import type { Target, TargetGroup } from '../model/target-group.js';
import {
  asTarget, checkExpectedVersion, checkUniqueNames, conflict, historyLimit, regKey, storeClosed,
  targetGroupNotFound, toJson,
  type ApplyConfigResult, type ConfigInput, type Doc, type HistoryEntry, type RegisteredTarget, type Store,
} from './store.js';

interface Named { name: string; json: string }
interface StoredDoc { json: string; version: number }
interface StoredEntry { id: number; stream: string; at: number; json: string }

export function createMemoryStore(clock: Clock): Store {
  let closed = false;
  let version = 0;
  let nextHistoryId = 1;
  let lbs: Named[] = [];
  let tgs: Named[] = [];
  /** group -> (id, port) key -> registration; Map order is registration order. */
  const registrations = new Map<string, Map<string, RegisteredTarget>>();
  /** kind -> id -> document */
  const docs = new Map<string, Map<string, StoredDoc>>();
  const entries: StoredEntry[] = [];

  const open = (): void => {
    if (closed) throw storeClosed();
  };
  const hasGroup = (name: string): boolean => tgs.some((g) => g.name === name);
  const named = (items: { name: string }[]): Named[] => items.map((i) => ({ name: i.name, json: toJson(i) }));
  const same = (a: Named[], b: Named[]): boolean => a.length === b.length && a.every((x, i) => x.json === b[i]!.json);
  const kindDocs = (kind: string): Map<string, StoredDoc> => {
    let m = docs.get(kind);
    if (!m) docs.set(kind, (m = new Map()));
    return m;
  };

  return {
    applyConfig(input: ConfigInput): ApplyConfigResult {
      open();
      checkUniqueNames(input);
      const nextLbs = named(input.loadBalancers);
      const nextTgs = named(input.targetGroups);
      const keep = new Set(nextTgs.map((g) => g.name));
      const droppedRegistrations: ApplyConfigResult['droppedRegistrations'] = [];
      for (const [group, regs] of registrations) {
        if (keep.has(group)) continue;
        if (regs.size > 0) droppedRegistrations.push({ group, targets: [...regs.values()].map((r) => ({ ...r })) });
        registrations.delete(group);
      }
      if (!same(lbs, nextLbs) || !same(tgs, nextTgs) || droppedRegistrations.length > 0) version++;
      lbs = nextLbs;
      tgs = nextTgs;
      return { version, droppedRegistrations };
    },
    loadBalancers(): LoadBalancer[] {
      open();
      return lbs.map((l) => JSON.parse(l.json) as LoadBalancer);
    },
    targetGroups(): TargetGroup[] {
      open();
      return tgs.map((g) => JSON.parse(g.json) as TargetGroup);
    },

    registerTargets(group: string, targets: Target[], source: string): void {
      open();
      if (!hasGroup(group)) throw targetGroupNotFound(group);
      let regs = registrations.get(group);
      if (!regs) registrations.set(group, (regs = new Map()));
      let changed = false;
      for (const t of targets) {
        const key = regKey(t);
        if (regs.has(key)) continue;
        regs.set(key, { ...asTarget(t), source, registeredAt: clock.now() });
        changed = true;
      }
      if (changed) version++;
    },
    deregisterTargets(group: string, targets: Pick<Target, 'id' | 'port'>[]): Target[] {
      open();
      if (!hasGroup(group)) throw targetGroupNotFound(group);
      const regs = registrations.get(group);
      const removed: Target[] = [];
      for (const t of targets) {
        const existing = regs?.get(regKey(t));
        if (!existing) continue;
        regs!.delete(regKey(t));
        removed.push(asTarget(existing));
      }
      if (removed.length > 0) version++;
      return removed;
    },
    registeredTargets(group: string): RegisteredTarget[] {
      open();
      return [...(registrations.get(group)?.values() ?? [])].map((r) => ({ ...r }));
    },

    version(): number {
      open();
      return version;
    },

    getDoc<T>(kind: string, id: string): Doc<T> | undefined {
      open();
      const d = docs.get(kind)?.get(id);
      return d && { value: JSON.parse(d.json) as T, version: d.version };
    },
    putDoc<T>(kind: string, id: string, value: T, expectedVersion?: number): number {
      open();
      checkExpectedVersion(expectedVersion);
      const json = toJson(value);
      const current = docs.get(kind)?.get(id)?.version;
      if (expectedVersion !== undefined && expectedVersion !== (current ?? 0)) {
        throw conflict(kind, id, expectedVersion, current);
      }
      kindDocs(kind).set(id, { json, version: ++version });
      return version;
    },
    deleteDoc(kind: string, id: string): boolean {
      open();
      const existed = docs.get(kind)?.delete(id) ?? false;
      if (existed) version++;
      return existed;
    },
    listDocs<T>(kind: string): ({ id: string } & Doc<T>)[] {
      open();
      return [...(docs.get(kind) ?? new Map<string, StoredDoc>())]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([id, d]) => ({ id, value: JSON.parse(d.json) as T, version: d.version }));
    },

    appendHistory(stream: string, entry: object): number {
      open();
      const id = nextHistoryId++;
      entries.push({ id, stream, at: clock.now(), json: toJson(entry) });
      return id;
    },
    history<T>(stream: string, limit?: number): HistoryEntry<T>[] {
      open();
      const max = historyLimit(limit);
      const out: HistoryEntry<T>[] = [];
      for (let i = entries.length - 1; i >= 0 && out.length < max; i--) {
        const e = entries[i]!;
        if (e.stream === stream) out.push({ ...(JSON.parse(e.json) as T), id: e.id, at: e.at });
      }
      return out;
    },

    close(): void {
      closed = true;
    },
  };
}
