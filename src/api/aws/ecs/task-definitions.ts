/**
 * RegisterTaskDefinition (a new revision appended to the family's record,
 * the record made for a new family), DescribeTaskDefinition,
 * ListTaskDefinitions, ListTaskDefinitionFamilies and
 * DeregisterTaskDefinition (the revision's status becomes INACTIVE: services
 * running it go on, no bare family name resolves to it). Each revision's
 * registration time is kept in the record's meta.
 */
import type { TaskDefinition } from '../../../model/ecs.js';
import type { Operations } from '../common/op.js';
import type { EcsDeps } from './deps.js';
import { clientError, modelErrors, pageOf } from './errors.js';
import { EcsRefs, taskDefinitionRef } from './refs.js';
import { revisionOf } from './task-definition-input.js';
import { describeTaskDefinition } from './task-definition-view.js';
import { tagsIn, tagsOut } from './tags.js';

type Obj = Record<string, unknown>;

export function taskDefinitionOps(d: EcsDeps): Operations {
  const registeredAt = (family: string, revision: number): number | undefined =>
    (d.model.get('taskDefinitions', family)?.meta?.registeredAt as number[] | undefined)?.[revision - 1];
  const describe = (r: EcsRefs, t: TaskDefinition, revision: number) => describeTaskDefinition(r.arns, t, revision, registeredAt(t.family, revision));
  const tagsOf = (family: string) => tagsOut(d.model.get('taskDefinitions', family)?.tags ?? {});

  return {
    async RegisterTaskDefinition(input, ctx) {
      const family: string = input.family;
      const revision = revisionOf(input);
      const tags = tagsIn(input.tags);
      const rec = d.model.get('taskDefinitions', family)
        ? await modelErrors(() => d.model.update('taskDefinitions', family, (raw) => ({ ...raw, revisions: [...(raw.revisions as Obj[]), revision] })))
        : await modelErrors(() => d.model.create('taskDefinitions', { family, revisions: [revision] }, tags));
      const n = (rec.raw.revisions as Obj[]).length;
      d.model.annotate('taskDefinitions', family, (x) => {
        const at = [...((x.meta?.registeredAt as number[] | undefined) ?? [])];
        at[n - 1] = d.clock.now();
        return { tags: { ...x.tags, ...tags }, meta: { ...x.meta, registeredAt: at } };
      });
      const r = new EcsRefs(d, ctx.region);
      return { taskDefinition: describe(r, r.family(family)!, n), tags: tagsOf(family) };
    },

    DescribeTaskDefinition(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const { family, revision } = r.revision(input.taskDefinition);
      const tags = (input.include ?? []).includes('TAGS');
      return { taskDefinition: describe(r, family, revision), ...(tags ? { tags: tagsOf(family.family) } : {}) };
    },

    async DeregisterTaskDefinition(input, ctx) {
      const ref = taskDefinitionRef(input.taskDefinition);
      if (ref.revision === undefined) throw clientError(`Name the revision to deregister: ${ref.family}:N, or its ARN (got ${input.taskDefinition}).`);
      const r = new EcsRefs(d, ctx.region);
      const { family, revision } = r.revision(input.taskDefinition);
      await modelErrors(() => d.model.update('taskDefinitions', family.family, (raw) => {
        const revisions = [...(raw.revisions as Obj[])];
        revisions[revision - 1] = { ...revisions[revision - 1], status: 'INACTIVE' };
        return { ...raw, revisions };
      }));
      return { taskDefinition: { ...describe(r, r.family(family.family)!, revision), deregisteredAt: new Date(d.clock.now()) } };
    },

    ListTaskDefinitions(input, ctx) {
      const r = new EcsRefs(d, ctx.region);
      const status: string = input.status ?? 'ACTIVE';
      const arns = families(d, input.familyPrefix).flatMap((t) =>
        t.revisions.flatMap((x, i) => (x.status === status ? [r.arns.taskDefinition(t.family, i + 1)] : [])));
      if (input.sort === 'DESC') arns.reverse();
      const p = pageOf(arns, 'ListTaskDefinitions', input);
      return { taskDefinitionArns: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
    },

    ListTaskDefinitionFamilies(input) {
      const status: string = input.status ?? 'ALL';
      const names = families(d, input.familyPrefix)
        .filter((t) => status === 'ALL' || t.revisions.some((x) => x.status === 'ACTIVE') === (status === 'ACTIVE'))
        .map((t) => t.family);
      const p = pageOf(names, 'ListTaskDefinitionFamilies', input);
      return { families: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
    },
  };
}

/** The families, by name, whose name starts with `prefix`. */
function families(d: EcsDeps, prefix: string | undefined): TaskDefinition[] {
  return d.model.effective.taskDefinitions
    .filter((t) => prefix === undefined || t.family.startsWith(prefix))
    .sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : 0));
}
