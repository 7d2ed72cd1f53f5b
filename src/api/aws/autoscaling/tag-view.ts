/**
 * A group's tags: the record's tags (key -> value) plus, in its meta, which
 * keys propagate at launch. AWS's TagDescription shape.
 */
import type { ResourceRecord } from '../../../resources/records.js';

export function propagated(rec: Pick<ResourceRecord, 'meta'>): string[] {
  return (rec.meta?.propagateAtLaunch as string[] | undefined) ?? [];
}

export function tagDescriptions(rec: Pick<ResourceRecord, 'tags' | 'meta' | 'name'>): Array<Record<string, unknown>> {
  const p = new Set(propagated(rec));
  return Object.entries(rec.tags).map(([Key, Value]) => ({
    ResourceId: rec.name, ResourceType: 'auto-scaling-group', Key, Value, PropagateAtLaunch: p.has(Key),
  }));
}

/** The tags new instances get: those with PropagateAtLaunch. */
export function launchTags(rec: Pick<ResourceRecord, 'tags' | 'meta'>): Record<string, string> {
  const p = new Set(propagated(rec));
  return Object.fromEntries(Object.entries(rec.tags).filter(([k]) => p.has(k)));
}
