/**
 * CreateOrUpdateTags, DeleteTags, DescribeTags: a group's tags live on its
 * record (annotate: file-owned groups take them too), with the keys that
 * propagate at launch in its meta.
 */
import { awsError, required, validation, type Input, type Operations } from '../common/op.js';
import { allGroups, groupRef, KIND, syncLaunchTags } from './context.js';
import type { AutoScalingDeps } from './deps.js';
import { paged } from './describe.js';
import { propagated, tagDescriptions } from './tag-view.js';

export const MAX_TAGS = 50;

function byGroup(input: Input): Map<string, Input[]> {
  const out = new Map<string, Input[]>();
  for (const t of required<Input[]>(input, 'Tags')) {
    if (t.ResourceType !== undefined && t.ResourceType !== 'auto-scaling-group') throw validation(`ResourceType must be auto-scaling-group (got ${String(t.ResourceType)}).`);
    if (typeof t.ResourceId !== 'string') throw validation('Each tag needs a ResourceId (the Auto Scaling group name).');
    if (typeof t.Key !== 'string' || t.Key.length === 0) throw validation('Each tag needs a Key.');
    if (t.Key.toLowerCase().startsWith('aws:')) throw validation(`Tag keys starting with aws: are reserved (got ${t.Key}).`);
    out.set(t.ResourceId, [...(out.get(t.ResourceId) ?? []), t]);
  }
  return out;
}

const FILTERS = ['auto-scaling-group', 'key', 'value', 'propagate-at-launch'];

function keep(tag: Record<string, unknown>, filters: Array<{ Name?: string; Values?: string[] }>): boolean {
  return filters.every((f) => {
    const v = f.Values ?? [];
    switch (f.Name) {
      case 'auto-scaling-group': return v.includes(tag.ResourceId as string);
      case 'key': return v.includes(tag.Key as string);
      case 'value': return v.includes(tag.Value as string);
      case 'propagate-at-launch': return v.includes(String(tag.PropagateAtLaunch));
      default: throw validation(`Filter '${String(f.Name)}' is not valid for DescribeTags: use ${FILTERS.join(', ')}.`);
    }
  });
}

export function tagOps(d: AutoScalingDeps): Operations {
  return {
    CreateOrUpdateTags(input) {
      const groups = byGroup(input);
      for (const name of groups.keys()) groupRef(d, name);
      for (const [name, list] of groups) {
        d.model.annotate(KIND, name, (r) => {
          const tags = { ...r.tags };
          const prop = new Set(propagated(r));
          for (const t of list) {
            tags[t.Key] = (t.Value as string | undefined) ?? '';
            if (t.PropagateAtLaunch === true) prop.add(t.Key);
            else prop.delete(t.Key);
          }
          if (Object.keys(tags).length > MAX_TAGS) throw awsError('LimitExceeded', `An Auto Scaling group can have at most ${MAX_TAGS} tags (${name} would have ${Object.keys(tags).length}).`);
          return { tags, meta: { ...r.meta, propagateAtLaunch: [...prop] } };
        });
      }
      for (const name of groups.keys()) syncLaunchTags(d, name);
      return {};
    },

    DeleteTags(input) {
      const groups = byGroup(input);
      for (const name of groups.keys()) groupRef(d, name);
      for (const [name, list] of groups) {
        d.model.annotate(KIND, name, (r) => {
          const drop = new Set(list.map((t) => t.Key as string));
          const tags = Object.fromEntries(Object.entries(r.tags).filter(([k]) => !drop.has(k)));
          return { tags, meta: { ...r.meta, propagateAtLaunch: propagated(r).filter((k) => !drop.has(k)) } };
        });
      }
      for (const name of groups.keys()) syncLaunchTags(d, name);
      return {};
    },

    DescribeTags(input) {
      const filters = (input.Filters as Array<{ Name?: string; Values?: string[] }> | undefined) ?? [];
      const all = allGroups(d).flatMap((ref) => tagDescriptions(ref.rec)).filter((t) => keep(t, filters));
      const p = paged(all, input, 50, 100);
      return { Tags: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
  };
}

