/**
 * Runtime operations on a group's capacity and instances, through the same
 * functions as shoal's CLI and JSON API (controlplane/asg/ops.ts): they work
 * on file-owned and API-owned groups alike.
 */
import * as asgOps from '../../../controlplane/asg/ops.js';
import type { GroupController } from '../../../controlplane/asg/group.js';
import type { AutoScalingService } from '../../../controlplane/asg/service.js';
import type { Activity } from '../../../controlplane/asg/types.js';
import { awsError, required, validation, type Input, type Operations } from '../common/op.js';
import { controller, service } from './context.js';
import type { AutoScalingDeps } from './deps.js';
import { groupArn } from './shapes.js';

/** AWS's Activity shape (Details is a JSON text). */
export function activityShape(a: Activity, arn: string): Record<string, unknown> {
  return {
    ActivityId: a.ActivityId, AutoScalingGroupName: a.AutoScalingGroupName, Description: a.Description, Cause: a.Cause,
    StartTime: new Date(a.StartTime), ...(a.EndTime ? { EndTime: new Date(a.EndTime) } : {}), StatusCode: a.StatusCode,
    ...(a.StatusMessage ? { StatusMessage: a.StatusMessage } : {}), Progress: a.Progress,
    Details: JSON.stringify(a.Details ?? {}), AutoScalingGroupARN: arn,
  };
}

/** The newest activity per instance whose description starts with `prefix` (what the call just recorded). */
function recorded(svc: AutoScalingService, g: GroupController, ids: string[], prefix: string, arn: string): Record<string, unknown>[] {
  const list = svc.activities.list(g.state, 50 + ids.length);
  return ids.flatMap((id) => {
    const a = list.find((x) => x.Description.startsWith(prefix) && x.Description.endsWith(id));
    return a ? [activityShape(a, arn)] : [];
  });
}

function ids(input: Input): string[] {
  const v = input.InstanceIds as string[] | undefined;
  if (!v || v.length === 0) throw validation('InstanceIds must name at least one instance.');
  if (v.length > 20) throw validation(`The number of instance IDs (${v.length}) exceeds the maximum of 20.`);
  return v;
}

function inCooldown(d: AutoScalingDeps, group: string): boolean {
  const s = d.scaling();
  const until = s?.book(group).cooldown.until;
  return until !== undefined && s !== undefined && s.now() < until;
}

export function instanceOps(d: AutoScalingDeps): Operations {
  const arnOf = (region: string, c: ReturnType<typeof controller>) => groupArn(region, c.ref.rec.id, c.ref.spec.name);
  return {
    SetDesiredCapacity(input) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      const n = required<number>(input, 'DesiredCapacity');
      if (input.HonorCooldown === true && inCooldown(d, c.ref.spec.name)) {
        throw awsError('ScalingActivityInProgress', `The group ${c.ref.spec.name} is in its cooldown; retry later or leave HonorCooldown out.`);
      }
      asgOps.setDesiredCapacity(c.svc, c.ref.spec.name, n);
      return {};
    },

    TerminateInstanceInAutoScalingGroup(input, ctx) {
      const id = required<string>(input, 'InstanceId');
      const svc = service(d);
      const r = asgOps.terminateInstance(svc, id, required<boolean>(input, 'ShouldDecrementDesiredCapacity'));
      const g = svc.owner(id)!;
      const ref = controller(d, g.spec.name);
      const open = g.state.open.find((a) => a.ActivityId === r.terminating?.activityId) ?? svc.activities.list(g.state, 20).find((a) => a.Description.endsWith(id));
      return open ? { Activity: activityShape(open, arnOf(ctx.region, ref)) } : {};
    },

    SetInstanceHealth(input) {
      asgOps.setInstanceHealth(service(d), required(input, 'InstanceId'), required(input, 'HealthStatus'), input.ShouldRespectGracePeriod === true);
      return {};
    },

    SetInstanceProtection(input) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      asgOps.setProtection(c.svc, c.ref.spec.name, ids(input), required<boolean>(input, 'ProtectedFromScaleIn'));
      return {};
    },

    async AttachInstances(input) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      await asgOps.attachInstances(c.svc, c.ref.spec.name, ids(input));
      return {};
    },

    DetachInstances(input, ctx) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      const list = ids(input);
      asgOps.detachInstances(c.svc, c.ref.spec.name, list, required<boolean>(input, 'ShouldDecrementDesiredCapacity'));
      return { Activities: recorded(c.svc, c.g, list, 'Detaching EC2 instance', arnOf(ctx.region, c)) };
    },

    EnterStandby(input, ctx) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      const list = ids(input);
      asgOps.enterStandby(c.svc, c.ref.spec.name, list, required<boolean>(input, 'ShouldDecrementDesiredCapacity'));
      return { Activities: recorded(c.svc, c.g, list, 'Moving EC2 instance to Standby', arnOf(ctx.region, c)) };
    },

    ExitStandby(input, ctx) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      const list = ids(input);
      asgOps.exitStandby(c.svc, c.ref.spec.name, list);
      return { Activities: recorded(c.svc, c.g, list, 'Moving EC2 instance out of Standby', arnOf(ctx.region, c)) };
    },

    SuspendProcesses(input) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      asgOps.suspendProcesses(c.svc, c.ref.spec.name, input.ScalingProcesses as string[] | undefined);
      return {};
    },

    ResumeProcesses(input) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      asgOps.resumeProcesses(c.svc, c.ref.spec.name, input.ScalingProcesses as string[] | undefined);
      return {};
    },
  };
}
