/**
 * EC2's filters and NextToken pagination. A filter matches when any of its
 * values matches (`*` and `?` wildcards, as EC2 allows); all filters must match.
 * Each describe names the filters it knows; an unknown one is an error, never ignored.
 */
import { awsError } from '../common/op.js';

export interface Filter {
  Name: string;
  Values?: string[];
}

/** The values a resource has for each filter name ('tag:KEY' is asked as such). */
export type FilterValues = (name: string) => readonly string[] | undefined;

export function checkFilters(filters: Filter[] | undefined, known: readonly string[]): Filter[] {
  for (const f of filters ?? []) {
    if (!known.includes(f.Name) && !f.Name.startsWith('tag:') && f.Name !== 'tag-key') {
      throw awsError('InvalidParameterValue', `The filter '${f.Name}' is invalid. shoal knows: ${[...known, 'tag:<key>', 'tag-key'].join(', ')}`);
    }
  }
  return filters ?? [];
}

export function matches(filters: readonly Filter[], values: FilterValues, tags: Record<string, string> = {}): boolean {
  return filters.every((f) => {
    const have = f.Name.startsWith('tag:') ? (f.Name.slice(4) in tags ? [tags[f.Name.slice(4)]!] : [])
      : f.Name === 'tag-key' ? Object.keys(tags) : values(f.Name) ?? [];
    return (f.Values ?? []).some((want) => have.some((v) => wildcard(want).test(v)));
  });
}

function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** A page of items: NextToken is the index of the next item, base64. MaxResults within [min, max] when given. */
export function tokenPage<T>(items: readonly T[], o: { NextToken?: string; MaxResults?: number }, range: [number, number] = [5, 1000]): { items: T[]; NextToken?: string } {
  const size = o.MaxResults;
  if (size !== undefined && (!Number.isInteger(size) || size < range[0] || size > range[1])) {
    throw awsError('InvalidParameterValue', `Value (${size}) for parameter maxResults is invalid. Expecting a value from ${range[0]} to ${range[1]}.`);
  }
  let start = 0;
  if (o.NextToken !== undefined) {
    start = Number(Buffer.from(o.NextToken, 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw awsError('InvalidNextToken', `The token '${o.NextToken}' is invalid.`);
  }
  const slice = items.slice(start, size === undefined ? undefined : start + size);
  const end = start + slice.length;
  return end < items.length ? { items: slice, NextToken: Buffer.from(String(end)).toString('base64') } : { items: slice };
}

/** Ids asked for that do not exist: EC2 fails the whole call, naming them. */
export function requireFound(asked: readonly string[] | undefined, found: ReadonlySet<string>, error: (id: string) => Error): void {
  for (const id of asked ?? []) if (!found.has(id)) throw error(id);
}
