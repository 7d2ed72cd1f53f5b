/**
 * PutScalingPolicy, DescribePolicies, DeletePolicy (the group's record
 * through the model service: a file-owned group answers ResourceOwnedByFile)
 * and ExecutePolicy (the scaling service, as `shoal execute-policy`: works on
 * file-owned groups too).
 */
import { awsError, required, validation, type Input, type Operations } from '../common/op.js';
import { allGroups, groupRef, KIND, modelWrite, type GroupRef } from './context.js';
import type { AutoScalingDeps } from './deps.js';
import { paged } from './describe.js';
import { alarmArn, policyAlarms, policyRaw, policyShape } from './policy-shapes.js';
import { groupNameOf, parsePolicyArn, policyArn } from './shapes.js';

type Raw = Record<string, unknown>;

/** PolicyName may be a policy ARN (then the group may be left out). */
function target(d: AutoScalingDeps, input: Input): { ref: GroupRef; policy: string } {
  const policy = required<string>(input, 'PolicyName');
  const parsed = parsePolicyArn(policy);
  const group = parsed?.group ?? (input.AutoScalingGroupName !== undefined ? groupNameOf(String(input.AutoScalingGroupName)) : undefined);
  if (group === undefined) throw validation('AutoScalingGroupName is required unless PolicyName is a policy ARN.');
  return { ref: groupRef(d, group), policy: parsed?.policy ?? policy };
}

function alarmsOf(d: AutoScalingDeps, region: string, ref: GroupRef, name: string): Array<{ AlarmName: string; AlarmARN: string }> {
  const p = d.model.effective.autoScalingGroups.find((g) => g.name === ref.spec.name)?.scalingPolicies.find((x) => x.name === name);
  return p ? policyAlarms(ref.spec.name, p, d.model.effective.alarms ?? []).map((a) => ({ AlarmName: a, AlarmARN: alarmArn(region, a) })) : [];
}

export function policyOps(d: AutoScalingDeps): Operations {
  return {
    async PutScalingPolicy(input, ctx) {
      const ref = groupRef(d, groupNameOf(String(required(input, 'AutoScalingGroupName'))));
      const raw = policyRaw(input);
      const name = ref.spec.name;
      await modelWrite(name, () => d.model.update(KIND, name, (r) => {
        const list = ((r.scalingPolicies as Raw[] | undefined) ?? []).filter((p) => p.name !== raw.name);
        return { ...r, scalingPolicies: [...list, raw] };
      }, ref.rec.version));
      return { PolicyARN: policyArn(ctx.region, ref.rec.id, name, String(raw.name)), Alarms: alarmsOf(d, ctx.region, ref, String(raw.name)) };
    },

    DescribePolicies(input, ctx) {
      const refs = input.AutoScalingGroupName !== undefined ? [groupRef(d, groupNameOf(String(input.AutoScalingGroupName)))] : allGroups(d);
      const names = (input.PolicyNames as string[] | undefined)?.map((n) => parsePolicyArn(n)?.policy ?? n);
      const types = input.PolicyTypes as string[] | undefined;
      const all = refs.flatMap((ref) => ref.spec.scalingPolicies
        .filter((p) => (!names?.length || names.includes(p.name)) && (!types?.length || types.includes(p.policyType)))
        .map((p) => ({
          AutoScalingGroupName: ref.spec.name, PolicyARN: policyArn(ctx.region, ref.rec.id, ref.spec.name, p.name), ...policyShape(p),
          Alarms: policyAlarms(ref.spec.name, p, d.model.effective.alarms ?? []).map((a) => ({ AlarmName: a, AlarmARN: alarmArn(ctx.region, a) })),
        })));
      const page = paged(all, input, 50, 100);
      return { ScalingPolicies: page.items, ...(page.next ? { NextToken: page.next } : {}) };
    },

    async DeletePolicy(input) {
      const { ref, policy } = target(d, input);
      if (!ref.spec.scalingPolicies.some((p) => p.name === policy)) throw validation(`The scaling policy '${policy}' does not exist in Auto Scaling group '${ref.spec.name}'.`);
      await modelWrite(ref.spec.name, () => d.model.update(KIND, ref.spec.name, (r) => ({
        ...r, scalingPolicies: ((r.scalingPolicies as Raw[] | undefined) ?? []).filter((p) => p.name !== policy),
      }), ref.rec.version));
      return {};
    },

    ExecutePolicy(input) {
      const { ref, policy } = target(d, input);
      if (!ref.spec.scalingPolicies.some((p) => p.name === policy)) throw validation(`The scaling policy '${policy}' does not exist in Auto Scaling group '${ref.spec.name}'.`);
      const s = d.scaling();
      if (!s) throw awsError('ServiceUnavailable', 'The scaling service is starting; retry in a moment.', 503);
      const decision = s.executePolicy(ref.spec.name, policy, {
        honorCooldown: input.HonorCooldown === true,
        ...(input.MetricValue !== undefined ? { metricValue: input.MetricValue } : {}),
        ...(input.BreachThreshold !== undefined ? { breachThreshold: input.BreachThreshold } : {}),
      });
      if (decision.kind === 'held' && input.HonorCooldown === true) {
        throw awsError('ScalingActivityInProgress', `Scaling activity is in progress or the group is in its cooldown: ${decision.summary}`);
      }
      return {};
    },
  };
}
