/**
 * StartInstanceRefresh, DescribeInstanceRefreshes, CancelInstanceRefresh,
 * RollbackInstanceRefresh: runtime operations (controlplane/asg/refresh/ops.ts),
 * so they work on file-owned groups too.
 */
import { cancelInstanceRefresh, describeInstanceRefreshes, rollbackInstanceRefresh, startInstanceRefresh, type StartRefreshInput } from '../../../controlplane/asg/refresh/ops.js';
import { required, type Input, type Operations } from '../common/op.js';
import { controller, unsupported } from './context.js';
import type { AutoScalingDeps } from './deps.js';
import { paged } from './describe.js';
import { launchTemplateRef, ltIdOf } from './resolve.js';

function preferences(p: Input | undefined): StartRefreshInput['preferences'] {
  if (!p) return {};
  if (p.ScaleInProtectedInstances !== undefined && p.ScaleInProtectedInstances !== 'Ignore') throw unsupported(`ScaleInProtectedInstances ${String(p.ScaleInProtectedInstances)} (shoal leaves protected instances alone: Ignore)`);
  if (p.StandbyInstances !== undefined && p.StandbyInstances !== 'Ignore') throw unsupported(`StandbyInstances ${String(p.StandbyInstances)} (shoal leaves standby instances alone: Ignore)`);
  if (p.BakeTime !== undefined && p.BakeTime !== 0) throw unsupported('BakeTime');
  const out: Record<string, unknown> = {
    minHealthyPercentage: p.MinHealthyPercentage, maxHealthyPercentage: p.MaxHealthyPercentage, instanceWarmup: p.InstanceWarmup,
    checkpointPercentages: p.CheckpointPercentages, checkpointDelay: p.CheckpointDelay, skipMatching: p.SkipMatching,
    autoRollback: p.AutoRollback, alarms: p.AlarmSpecification?.Alarms,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

function refreshInput(d: AutoScalingDeps, input: Input): StartRefreshInput {
  if (input.Strategy !== undefined && input.Strategy !== 'Rolling') throw unsupported(`Strategy ${String(input.Strategy)} (shoal refreshes Rolling)`);
  const dc = input.DesiredConfiguration as Input | undefined;
  if (dc?.MixedInstancesPolicy !== undefined) throw unsupported('DesiredConfiguration.MixedInstancesPolicy');
  const lt = dc?.LaunchTemplate ? launchTemplateRef(d, dc.LaunchTemplate) : undefined;
  return { preferences: preferences(input.Preferences), ...(lt ? { desiredConfiguration: lt } : {}) };
}

const date = (v: unknown) => (typeof v === 'string' ? new Date(v) : undefined);

function refreshShape(d: AutoScalingDeps, r: Record<string, any>): Record<string, unknown> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const lt = r.DesiredConfiguration?.LaunchTemplate;
  const rec = lt ? d.model.get('launchTemplates', lt.LaunchTemplateName) : undefined;
  return {
    ...r, StartTime: date(r.StartTime), EndTime: date(r.EndTime), Strategy: 'Rolling',
    ProgressDetails: { LivePoolProgress: { PercentageComplete: r.PercentageComplete, InstancesToUpdate: r.InstancesToUpdate } },
    DesiredConfiguration: lt ? { LaunchTemplate: { ...(rec ? { LaunchTemplateId: ltIdOf(rec) } : {}), ...lt } } : undefined,
    RollbackDetails: r.RollbackDetails ? { RollbackReason: r.RollbackDetails.RollbackReason } : undefined,
  };
}

export function refreshOps(d: AutoScalingDeps): Operations {
  return {
    StartInstanceRefresh(input) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      return { InstanceRefreshId: startInstanceRefresh(c.svc, c.ref.spec.name, refreshInput(d, input)).instanceRefreshId };
    },
    DescribeInstanceRefreshes(input) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      const ids = input.InstanceRefreshIds as string[] | undefined;
      const all = describeInstanceRefreshes(c.svc, c.ref.spec.name).filter((r) => !ids?.length || ids.includes(r.InstanceRefreshId as string));
      const p = paged(all, input, 50, 100);
      return { InstanceRefreshes: p.items.map((r) => refreshShape(d, r)), ...(p.next ? { NextToken: p.next } : {}) };
    },
    CancelInstanceRefresh(input) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      return { InstanceRefreshId: cancelInstanceRefresh(c.svc, c.ref.spec.name) };
    },
    RollbackInstanceRefresh(input) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      return { InstanceRefreshId: rollbackInstanceRefresh(c.svc, c.ref.spec.name) };
    },
  };
}
