/**
 * CreateTags on instances (i-), launch templates (lt-), images (ami-) and
 * security groups (sg-). Every id is checked before any tag is written.
 */
import { allFacts } from './instance-view.js';
import { awsError, required, tagMap, type Operations } from '../common/op.js';
import type { Ec2Context } from './context.js';
import { imageNotFound, instanceNotFound } from './errors.js';
import { addGroupTags, findGroup } from './security-groups.js';

export function tagOps(ctx: Ec2Context): Operations {
  return {
    async CreateTags(input) {
      const ids = required<string[]>(input, 'Resources');
      const tags = tagMap(required(input, 'Tags'), 'InvalidParameterValue');
      for (const k of Object.keys(tags)) if (k.toLowerCase().startsWith('aws:')) throw awsError('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use (${k}).`);
      const known = new Set((await allFacts(ctx)).map((f) => f.instanceId));
      const apply = ids.map((id) => check(ctx, id, known));
      for (const write of apply) write(tags);
      return {};
    },
  };
}

/** Checks one id; returns how to tag it. */
function check(ctx: Ec2Context, id: string, instances: Set<string>): (tags: Record<string, string>) => void {
  if (id.startsWith('i-')) {
    if (!instances.has(id)) throw instanceNotFound(id);
    return (t) => ctx.addTags(id, t);
  }
  if (id.startsWith('ami-')) {
    if (!ctx.images.get(id)) throw imageNotFound(id);
    return (t) => ctx.addTags(id, t);
  }
  if (id.startsWith('lt-')) {
    const rec = ctx.templateById(id);
    return (t) => void ctx.d.model.annotate('launchTemplates', rec.name, (r) => ({ tags: { ...r.tags, ...t }, meta: r.meta }));
  }
  if (id.startsWith('sg-')) {
    findGroup(ctx, { GroupId: id });
    return (t) => addGroupTags(ctx, id, t);
  }
  throw awsError('InvalidID', `The ID '${id}' is not valid: shoal tags instances (i-), launch templates (lt-), images (ami-) and security groups (sg-).`);
}
