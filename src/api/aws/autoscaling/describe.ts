/**
 * DescribeAutoScalingGroups (names, tag filters, NextToken/MaxRecords up to
 * 100), DescribeAutoScalingInstances and DescribeScalingActivities.
 */
import { ShoalError } from '../../../core/errors.js';
import type { Activity } from '../../../controlplane/asg/types.js';
import { isWarm } from '../../../controlplane/asg/warm-pool/types.js';
import { awsError, page, validation, type Input, type Operations } from '../common/op.js';
import { allGroups, groupRef, type GroupRef } from './context.js';
import type { AutoScalingDeps } from './deps.js';
import { deletingShape, groupShape, instanceShape, type ViewContext } from './group-view.js';
import type { Deleting } from './groups.js';
import { activityShape } from './instances.js';
import { groupArn } from './shapes.js';

/** Marker pagination with AWS's InvalidNextToken for a bad token. */
export function paged<T>(items: readonly T[], input: Input, def: number, max: number): { items: T[]; next?: string } {
  try {
    return page(items, input.NextToken, input.MaxRecords ?? Math.min(def, max), max);
  } catch (err) {
    if (err instanceof ShoalError && /marker/.test(err.message)) throw awsError('InvalidNextToken', `The token '${String(input.NextToken)}' is invalid.`);
    throw err;
  }
}

type Filter = { Name?: string; Values?: string[] };

/** tag:KEY, tag-key, tag-value (AWS's DescribeAutoScalingGroups filters); several filters AND, values OR. */
export function matchesFilters(tags: Record<string, string>, filters: Filter[] | undefined): boolean {
  return (filters ?? []).every((f) => {
    const values = f.Values ?? [];
    const name = f.Name ?? '';
    if (name.startsWith('tag:')) return values.includes(tags[name.slice(4)] ?? '\u0000') ;
    if (name === 'tag-key') return values.some((v) => v in tags);
    if (name === 'tag-value') return Object.values(tags).some((v) => values.includes(v));
    throw validation(`Filter '${name}' is not valid for DescribeAutoScalingGroups: use tag:<key>, tag-key or tag-value.`);
  });
}

function deletingGroups(d: AutoScalingDeps, deleting: Deleting): Array<{ name: string; shape: (c: ViewContext) => Record<string, unknown> }> {
  const svc = d.asg();
  return [...(svc?.groups.values() ?? [])].filter((g) => g.deleting && !d.model.get('autoScalingGroups', g.spec.name)).map((g) => {
    const known = deleting.get(g.spec.name) ?? { id: '0'.repeat(17), createdAt: 0 };
    return { name: g.spec.name, shape: (c: ViewContext) => deletingShape(c, g, known) };
  });
}

function activities(d: AutoScalingDeps, ref: GroupRef): Activity[] {
  const svc = d.asg();
  const g = ref.g ?? svc?.group(ref.spec.name);
  return svc && g ? svc.activities.list(g.state, 1000) : [];
}

export function describeOps(d: AutoScalingDeps, deleting: Deleting): Operations {
  return {
    DescribeAutoScalingGroups(input, ctx) {
      const c: ViewContext = { d, region: ctx.region, includeInstances: input.IncludeInstances !== false };
      const names = input.AutoScalingGroupNames as string[] | undefined;
      const live = allGroups(d).filter((r) => matchesFilters(r.rec.tags, input.Filters)).map((r) => ({ name: r.spec.name, shape: (v: ViewContext) => groupShape(v, r) }));
      const all = [...live, ...(input.Filters?.length ? [] : deletingGroups(d, deleting))];
      const chosen = names?.length ? all.filter((x) => names.includes(x.name)) : all;
      const p = paged(chosen, input, 50, 100);
      return { AutoScalingGroups: p.items.map((x) => x.shape(c)), ...(p.next ? { NextToken: p.next } : {}) };
    },

    DescribeAutoScalingInstances(input) {
      const ids = input.InstanceIds as string[] | undefined;
      const svc = d.asg();
      const rows: Array<Record<string, unknown>> = allGroups(d).flatMap((ref) => (ref.g?.state.instances ?? []).filter((r) => !isWarm(r)).map((r) => ({ ...instanceShape(d, svc, r), AutoScalingGroupName: ref.spec.name })));
      const chosen = ids?.length ? rows.filter((r) => ids.includes(r.InstanceId as string)) : rows;
      const p = paged(chosen, input, 50, 50);
      return { AutoScalingInstances: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },

    DescribeScalingActivities(input, ctx) {
      if (input.Filters?.length) throw validation('Filters are not supported by shoal for DescribeScalingActivities; use AutoScalingGroupName and ActivityIds.');
      const refs = input.AutoScalingGroupName !== undefined ? [groupRef(d, input.AutoScalingGroupName)] : allGroups(d);
      const ids = input.ActivityIds as string[] | undefined;
      const all = refs.flatMap((ref) => activities(d, ref).map((a) => activityShape(a, groupArn(ctx.region, ref.rec.id, ref.spec.name))));
      const chosen = ids?.length ? all.filter((a) => ids.includes(a.ActivityId as string)) : all;
      const p = paged(chosen, input, 100, 100);
      return { Activities: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
  };
}
