/**
 * The store: desired state (spec), observed state (status) and history, with versions.
 *
 * Two implementations pass one contract suite (contract.test-suite.ts):
 * - sqlite.ts: the default, embedded SQLite in WAL mode; survives kill -9.
 * - memory.ts: for tests and `--ephemeral` runs; same semantics, nothing on disk.
 *
 * Spec and status stay apart (style.md rule 6): the user's declarations live in
 * applyConfig's load balancers / target groups and in spec document kinds
 * ('asg', 'launch-template'); what controllers observe goes into separate kinds
 * named with statusKind('asg') -> 'status:asg'. A controller writing status
 * therefore never conflicts with a user editing the spec, and vice versa.
 *
 * Values go in and come out as JSON: what you read back is a fresh copy, never an
 * alias of what you wrote, and non-JSON values (undefined fields, Dates, Maps)
 * come back as JSON would make them, in both implementations alike.
 */
import { ShoalError } from '../core/errors.js';
import type { LoadBalancer } from '../model/load-balancer.js';
import type { Target, TargetGroup } from '../model/target-group.js';

/** A target registered at runtime (RegisterTargets, or an ASG), as the store keeps it. */
export type RegisteredTarget = Target & {
  /** Who registered it: 'api' or 'asg:NAME'. */
  source: string;
  /** Clock time of the first registration (re-registering does not move it). */
  registeredAt: number;
};

export interface ConfigInput {
  loadBalancers: LoadBalancer[];
  targetGroups: TargetGroup[];
}

export interface ApplyConfigResult {
  /** The store version after the apply (unchanged when the config was identical). */
  version: number;
  /** Runtime registrations deleted because their target group is no longer declared. */
  droppedRegistrations: { group: string; targets: RegisteredTarget[] }[];
}

export interface Doc<T> {
  value: T;
  /** The store version at which this document was last written (see putDoc). */
  version: number;
}

export type HistoryEntry<T> = T & { id: number; at: number };

/** History reads return at most this many entries unless asked otherwise (AWS's DescribeScalingActivities page). */
export const DEFAULT_HISTORY_LIMIT = 100;

export interface Store {
  /**
   * Replaces every load balancer and target group with the config's, in one
   * transaction, keeping their order. Runtime registrations of groups that
   * are still declared are kept; those of removed groups are deleted and
   * returned. Applying an identical config changes nothing and keeps the version.
   * Throws ValidationError on a duplicate name (nothing is written then).
   */
  applyConfig(input: ConfigInput): ApplyConfigResult;
  /** Load balancers as last applied, in config order. */
  loadBalancers(): LoadBalancer[];
  /** Target groups as last applied, in config order; `targets` holds only the config's static targets. */
  targetGroups(): TargetGroup[];

  /**
   * Registers targets in a declared group. Idempotent per (id, port): a target
   * already registered keeps its source and registeredAt, and an all-known call
   * does not bump the version. Throws TargetGroupNotFound for an undeclared group.
   */
  registerTargets(group: string, targets: Target[], source: string): void;
  /**
   * Removes targets by (id, port) and returns those that were registered, in
   * request order; unknown ones are ignored. Throws TargetGroupNotFound for an
   * undeclared group. Static (config) targets are not touched.
   */
  deregisterTargets(group: string, targets: Pick<Target, 'id' | 'port'>[]): Target[];
  /** Runtime targets of a group in registration order; [] for an unknown group. */
  registeredTargets(group: string): RegisteredTarget[];

  /**
   * A counter that grows on every change to load balancers, target groups,
   * registrations or documents, and never goes back, even across restarts.
   * The daemon rebuilds data-plane snapshots only when it moved. History
   * appends do not move it: snapshots never depend on history.
   */
  version(): number;

  /** A document by kind and id, or undefined. */
  getDoc<T>(kind: string, id: string): Doc<T> | undefined;
  /**
   * Writes a document and returns its new version, which is the new store
   * version (so a deleted-then-recreated document never reuses a version a
   * stale reader may hold). expectedVersion: undefined = write unconditionally;
   * 0 = create only; n = only if the current version is n. On mismatch throws
   * ShoalError ConflictException (status 409) and writes nothing.
   */
  putDoc<T>(kind: string, id: string, value: T, expectedVersion?: number): number;
  /** Deletes a document; returns whether it existed (only then the version moves). */
  deleteDoc(kind: string, id: string): boolean;
  /** All documents of a kind, ordered by id. */
  listDocs<T>(kind: string): ({ id: string } & Doc<T>)[];

  /**
   * Appends an entry to a stream ('activity:asg:web', 'alarm:cpu50-high') and
   * returns its id. Ids grow across all streams and are never reused. The
   * entry is stamped with `at` = clock.now(); its own id/at fields are overwritten.
   */
  appendHistory(stream: string, entry: object): number;
  /** A stream's entries, newest first, at most `limit` (default DEFAULT_HISTORY_LIMIT). */
  history<T>(stream: string, limit?: number): HistoryEntry<T>[];

  /** Releases the store. Any call afterwards throws StoreClosed. Closing twice is a no-op. */
  close(): void;
}

/** The document kind that holds controllers' observations for a spec kind. */
export function statusKind(kind: string): string {
  return `status:${kind}`;
}

export function conflict(kind: string, id: string, expected: number, actual: number | undefined): ShoalError {
  const now = actual === undefined ? 'it does not exist' : `it is at version ${actual}`;
  const want = expected === 0 ? 'to not exist yet' : `version ${expected}`;
  return new ShoalError(
    'ConflictException',
    `${kind} ${id} changed: expected ${want} but ${now}. Read it again and retry your change.`,
    409,
  );
}

export function targetGroupNotFound(group: string): ShoalError {
  return new ShoalError(
    'TargetGroupNotFound',
    `Target group '${group}' is not declared. Declare it in the config (targetGroups) or check the name.`,
  );
}

export function storeClosed(): ShoalError {
  return new ShoalError('StoreClosed', 'The store is closed. Open it again (this is a bug in the caller).', 500);
}

/** Throws ValidationError when a config declares two load balancers or two target groups with one name. */
export function checkUniqueNames(input: ConfigInput): void {
  for (const [what, items] of [['load balancer', input.loadBalancers], ['target group', input.targetGroups]] as const) {
    const seen = new Set<string>();
    for (const { name } of items) {
      if (seen.has(name)) {
        throw new ShoalError('ValidationError', `Duplicate ${what} name '${name}'. Names must be unique.`);
      }
      seen.add(name);
    }
  }
}

export function checkExpectedVersion(expected: number | undefined): void {
  if (expected !== undefined && !(Number.isInteger(expected) && expected >= 0)) {
    throw new ShoalError('ValidationError', `expectedVersion must be a non-negative integer, got ${expected}.`);
  }
}

export function historyLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_HISTORY_LIMIT;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new ShoalError('ValidationError', `history limit must be a non-negative integer, got ${limit}.`);
  }
  return limit;
}

/** The (id, port) identity of a registration inside its group. */
export function regKey(t: Pick<Target, 'id' | 'port'>): string {
  return `${t.id}\u0000${t.port}`;
}

/** A registration as a plain Target (what DeregisterTargets reports). */
export function asTarget(t: Target): Target {
  return t.availabilityZone === undefined
    ? { id: t.id, port: t.port }
    : { id: t.id, port: t.port, availabilityZone: t.availabilityZone };
}

/** Serializes a stored value; throws ValidationError for what JSON cannot hold (undefined, functions). */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) throw new ShoalError('ValidationError', 'A stored value must be JSON (got undefined or a function).');
  return text;
}
