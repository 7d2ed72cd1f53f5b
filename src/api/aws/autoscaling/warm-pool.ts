/**
 * PutWarmPool, DeleteWarmPool (the group's warmPool through the model
 * service: a file-owned group answers ResourceOwnedByFile) and
 * DescribeWarmPool (the controller's pool and its instances).
 */
import { activeRefresh } from '../../../controlplane/asg/refresh/types.js';
import { isWarm } from '../../../controlplane/asg/warm-pool/types.js';
import { awsError, required, validation, type Operations } from '../common/op.js';
import { groupRef, KIND, modelWrite, unsupported } from './context.js';
import type { AutoScalingDeps } from './deps.js';
import { paged } from './describe.js';
import { instanceShape } from './group-view.js';

export function warmPoolOps(d: AutoScalingDeps): Operations {
  return {
    async PutWarmPool(input) {
      const ref = groupRef(d, required(input, 'AutoScalingGroupName'));
      if (input.PoolState === 'Hibernated') throw unsupported('PoolState Hibernated (use Stopped: a frozen process, or Running)');
      if (ref.g && activeRefresh(ref.g.state)) throw awsError('InstanceRefreshInProgress', `An instance refresh is in progress for ${ref.spec.name}; change the warm pool when it is done.`);
      const pool = Object.fromEntries(Object.entries({
        minSize: input.MinSize, poolState: input.PoolState,
        maxGroupPreparedCapacity: input.MaxGroupPreparedCapacity === -1 ? undefined : input.MaxGroupPreparedCapacity,
        instanceReusePolicy: input.InstanceReusePolicy ? { reuseOnScaleIn: input.InstanceReusePolicy.ReuseOnScaleIn === true } : undefined,
      }).filter(([, v]) => v !== undefined));
      await modelWrite(ref.spec.name, () => d.model.update(KIND, ref.spec.name, (raw) => ({ ...raw, warmPool: pool }), ref.rec.version));
      return {};
    },

    async DeleteWarmPool(input) {
      const ref = groupRef(d, required(input, 'AutoScalingGroupName'));
      if (!ref.spec.warmPool) throw validation(`No warm pool found for Auto Scaling group ${ref.spec.name}`);
      await modelWrite(ref.spec.name, () => d.model.update(KIND, ref.spec.name, (raw) => {
        const { warmPool: _pool, ...rest } = raw;
        return rest;
      }, ref.rec.version));
      return {};
    },

    DescribeWarmPool(input) {
      const ref = groupRef(d, required(input, 'AutoScalingGroupName'));
      const w = ref.g?.state.warmPool;
      const members = (ref.g?.state.instances ?? []).filter(isWarm).map((r) => instanceShape(d, d.asg(), r));
      const p = paged(members, input, 50, 50);
      return {
        ...(w ? {
          WarmPoolConfiguration: {
            MinSize: w.spec.minSize, MaxGroupPreparedCapacity: w.spec.maxGroupPreparedCapacity ?? -1, PoolState: w.spec.poolState,
            InstanceReusePolicy: { ReuseOnScaleIn: w.spec.instanceReusePolicy.reuseOnScaleIn }, ...(w.deleting ? { Status: 'PendingDelete' } : {}),
          },
        } : {}),
        Instances: p.items, ...(p.next ? { NextToken: p.next } : {}),
      };
    },
  };
}
