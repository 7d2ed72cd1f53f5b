/**
 * CreateAutoScalingGroup, UpdateAutoScalingGroup, DeleteAutoScalingGroup:
 * configuration through the model service (a file-owned group answers
 * ResourceOwnedByFile), sizes through the running controller so they apply
 * at once, as SetDesiredCapacity does.
 */
import * as asgOps from '../../../controlplane/asg/ops.js';
import type { GroupController } from '../../../controlplane/asg/group.js';
import { fileOwned } from '../../../resources/records.js';
import { awsError, required, tagMap, validation, type Input, type Operations } from '../common/op.js';
import { controller, groupRef, KIND, modelWrite, syncLaunchTags, type GroupRef } from './context.js';
import type { AutoScalingDeps } from './deps.js';
import { createPlan, updatePlan } from './group-input.js';

type Raw = Record<string, unknown>;

/** Groups deleted through the API whose controller still drains them: Describe shows them "Delete in progress". */
export type Deleting = Map<string, { id: string; createdAt: number }>;

export function merge(raw: Raw, fields: Raw): Raw {
  const out = { ...raw, ...fields };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

function tagsOf(input: Input): { tags: Record<string, string>; propagate: string[] } {
  const list = (input.Tags as Input[] | undefined) ?? [];
  for (const t of list) {
    if (t.ResourceId !== undefined && t.ResourceId !== input.AutoScalingGroupName) throw validation(`Tag ResourceId ${t.ResourceId} does not name this group (${String(input.AutoScalingGroupName)}).`);
  }
  return { tags: tagMap(list as Array<{ Key: string; Value?: string }>, 'ValidationError'), propagate: list.filter((t) => t.PropagateAtLaunch === true).map((t) => t.Key as string) };
}

/** The sizes an update ends at: AWS's checks, desired pulled into the new bounds when not given. */
export function finalSizes(ref: GroupRef, input: Input): { minSize: number; maxSize: number; desiredCapacity: number } {
  const now = ref.g?.state ?? ref.spec;
  const min = input.MinSize ?? now.minSize;
  const max = input.MaxSize ?? now.maxSize;
  if (min > max) throw validation(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  const desired = input.DesiredCapacity ?? Math.min(max, Math.max(min, now.desiredCapacity));
  if (desired < min || desired > max) throw validation(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
  return { minSize: min, maxSize: max, desiredCapacity: desired };
}

function applySizes(d: AutoScalingDeps, name: string, s: ReturnType<typeof finalSizes>): void {
  const g: GroupController | undefined = d.asg()?.group(name);
  if (!g || g.deleting) return;
  const st = g.state;
  if (st.minSize === s.minSize && st.maxSize === s.maxSize && st.desiredCapacity === s.desiredCapacity) return;
  asgOps.updateSizes(d.asg()!, name, s);
}

const ONLY_DESIRED = new Set(['AutoScalingGroupName', 'DesiredCapacity']);

export function groupOps(d: AutoScalingDeps, deleting: Deleting): Operations {
  return {
    async CreateAutoScalingGroup(input) {
      const name = required<string>(input, 'AutoScalingGroupName');
      if (d.model.get(KIND, name) || d.asg()?.group(name)) throw awsError('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`);
      const plan = createPlan(d, input);
      const { tags, propagate } = tagsOf(input);
      await modelWrite(name, () => d.model.create(KIND, plan.raw, tags));
      d.model.annotate(KIND, name, (r) => ({ tags: r.tags, meta: { ...r.meta, ...plan.meta, propagateAtLaunch: propagate } }));
      syncLaunchTags(d, name);
      deleting.delete(name);
      return {};
    },

    async UpdateAutoScalingGroup(input) {
      const ref = groupRef(d, required(input, 'AutoScalingGroupName'));
      const name = ref.spec.name;
      const given = Object.keys(input).filter((k) => input[k] !== undefined);
      if (ref.rec.owner.kind === 'file') {
        // Tutorials resize with update-auto-scaling-group: desired capacity alone is a runtime change, as SetDesiredCapacity.
        if (given.every((k) => ONLY_DESIRED.has(k))) {
          if (input.DesiredCapacity !== undefined) asgOps.setDesiredCapacity(controller(d, name).svc, name, input.DesiredCapacity);
          return {};
        }
        throw fileOwned(KIND, name, ref.rec.owner);
      }
      const plan = updatePlan(d, input);
      const sizesGiven = ['MinSize', 'MaxSize', 'DesiredCapacity'].some((k) => input[k] !== undefined);
      const sizes = finalSizes(ref, input);
      const fields = sizesGiven ? { ...plan.fields, ...sizes } : plan.fields;
      await modelWrite(name, () => d.model.update(KIND, name, (raw) => merge(raw, fields), ref.rec.version));
      if (plan.subnets !== undefined) {
        d.model.annotate(KIND, name, (r) => {
          const { subnets: _old, ...rest } = r.meta ?? {};
          return { tags: r.tags, meta: plan.subnets ? { ...rest, subnets: plan.subnets } : rest };
        });
      }
      if (sizesGiven) applySizes(d, name, sizes);
      return {};
    },

    async DeleteAutoScalingGroup(input) {
      const ref = groupRef(d, required(input, 'AutoScalingGroupName'));
      const name = ref.spec.name;
      if (ref.rec.owner.kind === 'file') throw fileOwned(KIND, name, ref.rec.owner);
      const st = ref.g?.state;
      if (input.ForceDelete !== true && st) {
        if (st.instances.length > 0) throw awsError('ResourceInUse', 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.');
        if (st.open.length > 0) throw awsError('ScalingActivityInProgress', 'You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.');
      }
      deleting.set(name, { id: ref.rec.id, createdAt: ref.rec.createdAt });
      await modelWrite(name, () => d.model.remove(KIND, name, ref.rec.version));
      return {};
    },
  };
}
