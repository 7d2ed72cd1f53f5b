/**
 * ECS tags ([{key, value}]) and TagResource, UntagResource,
 * ListTagsForResource. Cluster and service tags are part of their records'
 * spec (the config's `tags:`; a service's reach its tasks' containers as
 * labels); a task definition's are its family record's tags, shared by all
 * its revisions (ECS keeps them per revision). Tasks take no tags here.
 */
import type { Kind } from '../../../resources/records.js';
import type { Operations } from '../common/op.js';
import type { EcsDeps } from './deps.js';
import { awsError } from '../common/op.js';
import { invalidParameter, modelErrors } from './errors.js';
import { arnResource, EcsRefs } from './refs.js';

type Obj = Record<string, unknown>;
type TagList = Array<{ key?: string; value?: string }>;

export function tagsIn(tags: TagList | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) {
    if (t.key === undefined || t.key === '') throw invalidParameter('A tag needs a key.');
    out[t.key] = t.value ?? '';
  }
  return out;
}

export const tagsOut = (tags: Record<string, string>): Array<{ key: string; value: string }> => Object.entries(tags).map(([key, value]) => ({ key, value }));

/** Describe* answer tags only when asked (include: ["TAGS"]), as ECS does. */
export function withTags(o: Obj, include: boolean): Obj {
  if (include) return o;
  const { tags: _, ...rest } = o;
  return rest;
}

interface Tagged {
  read(): Record<string, string>;
  write(change: (tags: Record<string, string>) => Record<string, string>): Promise<unknown>;
}

/** The record a resource ARN names. */
function tagged(d: EcsDeps, region: string, arn: string): Tagged {
  if (!arn.startsWith('arn:')) throw invalidParameter(`resourceArn must be an ECS ARN (got ${arn}).`);
  const r = new EcsRefs(d, region);
  const kind = /^arn:[^:]+:ecs:[^:]*:[^:]*:([a-z-]+)\//.exec(arn)?.[1];
  const spec = (k: Kind, name: string): Tagged => ({
    read: () => ({ ...((d.model.get(k, name)?.raw.tags as Record<string, string> | undefined) ?? {}) }),
    write: (change) => modelErrors(() => d.model.update(k, name, (raw) => ({ ...raw, tags: change({ ...(raw.tags as Record<string, string> ?? {}) }) }))),
  });
  if (kind === 'cluster') return spec('clusters', r.cluster(arn).name);
  if (kind === 'service') {
    const [cluster, name] = arnResource(arn, 'service').split('/');
    return spec('services', r.service(name === undefined ? 'default' : cluster!, arn).name);
  }
  if (kind === 'task-definition') {
    const family = r.revision(arn).family.family;
    return {
      read: () => ({ ...(d.model.get('taskDefinitions', family)?.tags ?? {}) }),
      write: async (change) => d.model.annotate('taskDefinitions', family, (x) => ({ tags: change({ ...x.tags }), meta: x.meta })),
    };
  }
  throw awsError('ResourceNotFoundException', `shoal keeps tags on clusters, services and task definitions only (got ${arn}).`);
}

export function tagOps(d: EcsDeps): Operations {
  return {
    async TagResource(input, ctx) {
      const add = tagsIn(input.tags);
      await tagged(d, ctx.region, input.resourceArn).write((t) => ({ ...t, ...add }));
      return {};
    },

    async UntagResource(input, ctx) {
      const drop = new Set<string>(input.tagKeys);
      await tagged(d, ctx.region, input.resourceArn).write((t) => Object.fromEntries(Object.entries(t).filter(([k]) => !drop.has(k))));
      return {};
    },

    ListTagsForResource(input, ctx) {
      return { tags: tagsOut(tagged(d, ctx.region, input.resourceArn).read()) };
    },
  };
}
