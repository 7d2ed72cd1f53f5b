/**
 * Attach/DetachLoadBalancerTargetGroups, Attach/DetachTrafficSources and
 * DescribeTrafficSources: the group's targetGroups through the model service
 * (a file-owned group answers ResourceOwnedByFile). shoal's only traffic
 * source type is elbv2 (target groups).
 */
import { activeRefresh } from '../../../controlplane/asg/refresh/types.js';
import { awsError, required, type Input, type Operations } from '../common/op.js';
import { groupRef, KIND, modelWrite, type GroupRef } from './context.js';
import type { AutoScalingDeps } from './deps.js';
import { paged } from './describe.js';
import { trafficSourceArns } from './group-input.js';
import { targetGroupArn, targetGroupNames } from './resolve.js';
import { unsupported } from './context.js';

async function change(d: AutoScalingDeps, input: Input, arns: string[], attach: boolean): Promise<void> {
  const ref = groupRef(d, required(input, 'AutoScalingGroupName'));
  const names = targetGroupNames(d, arns);
  if (attach && ref.g && activeRefresh(ref.g.state)) {
    throw awsError('InstanceRefreshInProgress', `An instance refresh is in progress for ${ref.spec.name}; attach the target groups when it is done.`);
  }
  await modelWrite(ref.spec.name, () => d.model.update(KIND, ref.spec.name, (raw) => {
    const now = (raw.targetGroups as string[] | undefined) ?? [];
    const next = attach ? [...now, ...names.filter((n) => !now.includes(n))] : now.filter((n) => !names.includes(n));
    return { ...raw, targetGroups: next };
  }, ref.rec.version));
}

/** Adding while some instance is not yet registered in it, else InService. */
function state(ref: GroupRef): string {
  const live = (ref.g?.state.instances ?? []).filter((r) => !r.terminating && (r.lifecycleState === 'InService' || r.lifecycleState === 'Pending'));
  return live.every((r) => r.registered) ? 'InService' : 'Adding';
}

export function trafficOps(d: AutoScalingDeps): Operations {
  return {
    async AttachLoadBalancerTargetGroups(input) {
      await change(d, input, required<string[]>(input, 'TargetGroupARNs'), true);
      return {};
    },
    async DetachLoadBalancerTargetGroups(input) {
      await change(d, input, required<string[]>(input, 'TargetGroupARNs'), false);
      return {};
    },
    async AttachTrafficSources(input) {
      await change(d, input, trafficSourceArns(required(input, 'TrafficSources')), true);
      return {};
    },
    async DetachTrafficSources(input) {
      await change(d, input, trafficSourceArns(required(input, 'TrafficSources')), false);
      return {};
    },
    DescribeTrafficSources(input, ctx) {
      const ref = groupRef(d, required(input, 'AutoScalingGroupName'));
      const type = input.TrafficSourceType as string | undefined;
      if (type !== undefined && type !== 'elbv2') throw unsupported(`Traffic source type ${type} (shoal has elbv2 target groups only)`);
      const all = ref.spec.targetGroups.map((n) => {
        const arn = targetGroupArn(d, ctx.region, n);
        return { TrafficSource: arn, State: state(ref), Identifier: arn, Type: 'elbv2' };
      });
      const p = paged(all, input, 50, 50);
      return { TrafficSources: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
  };
}
