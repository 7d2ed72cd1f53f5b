/**
 * AddTags / RemoveTags / DescribeTags for load balancers and target groups
 * (kept in their records, so file-owned ones take tags too), and listeners
 * and rules (kept in their load balancer's meta, by ARN id).
 */
import type { Kind } from '../../../resources/records.js';
import { awsError, required, tagList, tagMap, type Operations } from '../common/op.js';
import { parseArn } from './arns.js';
import type { Elbv2Deps } from './deps.js';
import { Resolver } from './resolve.js';

const MAX_TAGS = 50;

interface Tagged {
  kind: Kind;
  name: string;
  /** null: the record's own tags; else the key in meta.partTags. */
  part: string | null;
}

export function tagOps(d: Elbv2Deps): Operations {
  const locate = (r: Resolver, arn: string): Tagged => {
    const p = parseArn(arn);
    switch (p?.kind) {
      case 'targetgroup': return { kind: 'targetGroups', name: r.targetGroup(arn).spec.name, part: null };
      case 'loadbalancer': return { kind: 'loadBalancers', name: r.loadBalancer(arn).spec.name, part: null };
      case 'listener': return { kind: 'loadBalancers', name: r.listener(arn).lb.spec.name, part: `listener/${p.listenerId}` };
      case 'listener-rule': return { kind: 'loadBalancers', name: r.rule(arn).listener.lb.spec.name, part: `rule/${p.ruleId}` };
      default: throw awsError('ValidationError', `'${arn}' is not a valid load balancer, target group, listener or rule ARN`);
    }
  };
  const read = (t: Tagged): Record<string, string> => {
    const rec = d.model.get(t.kind, t.name)!;
    return t.part === null ? rec.tags : ((rec.meta?.partTags as Record<string, Record<string, string>> | undefined)?.[t.part] ?? {});
  };
  const write = (t: Tagged, tags: Record<string, string>): void => {
    if (Object.keys(tags).length > MAX_TAGS) throw awsError('TooManyTags', `A resource can have at most ${MAX_TAGS} tags`);
    d.model.annotate(t.kind, t.name, (x) => (t.part === null
      ? { ...x, tags }
      : { ...x, meta: { ...x.meta, partTags: { ...(x.meta?.partTags as Record<string, unknown>), [t.part]: tags } } }));
  };
  return {
    AddTags(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const add = tagMap(required(input, 'Tags'));
      const targets = required<string[]>(input, 'ResourceArns').map((a) => locate(r, a));
      for (const t of targets) write(t, { ...read(t), ...add });
      return {};
    },
    RemoveTags(input, ctx) {
      const r = new Resolver(d, ctx.region);
      const keys = required<string[]>(input, 'TagKeys');
      for (const t of required<string[]>(input, 'ResourceArns').map((a) => locate(r, a))) {
        const tags = read(t);
        for (const k of keys) delete tags[k];
        write(t, tags);
      }
      return {};
    },
    DescribeTags(input, ctx) {
      const r = new Resolver(d, ctx.region);
      return {
        TagDescriptions: required<string[]>(input, 'ResourceArns').map((arn) => ({ ResourceArn: arn, Tags: tagList(read(locate(r, arn))) })),
      };
    },
  };
}
