/**
 * PutLifecycleHook, DescribeLifecycleHooks, DeleteLifecycleHook (the group's
 * lifecycleHooks through the model service) and CompleteLifecycleAction,
 * RecordLifecycleActionHeartbeat (runtime: file-owned groups too).
 */
import * as asgOps from '../../../controlplane/asg/ops.js';
import { required, validation, type Operations } from '../common/op.js';
import { controller, groupRef, KIND, modelWrite } from './context.js';
import type { AutoScalingDeps } from './deps.js';
import { hookMeta } from './group-input.js';
import { unsupported } from './context.js';

type Raw = Record<string, unknown>;

/** AWS: the longest a hook can hold an instance, 100 heartbeats or 48 hours. */
const globalTimeout = (heartbeat: number) => Math.min(100 * heartbeat, 172_800);

export function lifecycleOps(d: AutoScalingDeps): Operations {
  return {
    async PutLifecycleHook(input) {
      const ref = groupRef(d, required(input, 'AutoScalingGroupName'));
      const name = required<string>(input, 'LifecycleHookName');
      if (input.NotificationTargetARN !== undefined) throw unsupported('NotificationTargetARN (SNS/SQS notification targets; give the hook a notificationCommand in a config file instead)');
      const old = ref.spec.lifecycleHooks.find((h) => h.name === name);
      const transition = input.LifecycleTransition ?? old?.lifecycleTransition;
      if (transition === undefined) throw validation('LifecycleTransition is required for a new lifecycle hook.');
      const hook: Raw = {
        name, lifecycleTransition: transition,
        ...(input.HeartbeatTimeout ?? old?.heartbeatTimeout) !== undefined ? { heartbeatTimeout: input.HeartbeatTimeout ?? old?.heartbeatTimeout } : {},
        ...(input.DefaultResult ?? old?.defaultResult) !== undefined ? { defaultResult: input.DefaultResult ?? old?.defaultResult } : {},
      };
      await modelWrite(ref.spec.name, () => d.model.update(KIND, ref.spec.name, (raw) => {
        const list = ((raw.lifecycleHooks as Raw[] | undefined) ?? []);
        const i = list.findIndex((h) => h.name === name);
        const next = i < 0 ? [...list, hook] : list.map((h, j) => (j === i ? { ...h, ...hook } : h));
        return { ...raw, lifecycleHooks: next };
      }, ref.rec.version));
      d.model.annotate(KIND, ref.spec.name, (r) => ({ tags: r.tags, meta: { ...r.meta, hooks: { ...(r.meta?.hooks as Raw | undefined), [name]: hookMeta(input) } } }));
      return {};
    },

    DescribeLifecycleHooks(input) {
      const ref = groupRef(d, required(input, 'AutoScalingGroupName'));
      const names = input.LifecycleHookNames as string[] | undefined;
      const meta = (ref.rec.meta?.hooks as Record<string, { notificationMetadata?: string; roleArn?: string }> | undefined) ?? {};
      const hooks = ref.spec.lifecycleHooks.filter((h) => !names?.length || names.includes(h.name)).map((h) => ({
        LifecycleHookName: h.name, AutoScalingGroupName: ref.spec.name, LifecycleTransition: h.lifecycleTransition,
        ...(meta[h.name]?.roleArn ? { RoleARN: meta[h.name]!.roleArn } : {}),
        ...(meta[h.name]?.notificationMetadata ? { NotificationMetadata: meta[h.name]!.notificationMetadata } : {}),
        HeartbeatTimeout: h.heartbeatTimeout, GlobalTimeout: globalTimeout(h.heartbeatTimeout), DefaultResult: h.defaultResult,
      }));
      return { LifecycleHooks: hooks };
    },

    async DeleteLifecycleHook(input) {
      const ref = groupRef(d, required(input, 'AutoScalingGroupName'));
      const name = required<string>(input, 'LifecycleHookName');
      if (!ref.spec.lifecycleHooks.some((h) => h.name === name)) throw validation(`No Lifecycle Hook found named ${name} in Auto Scaling group ${ref.spec.name}.`);
      await modelWrite(ref.spec.name, () => d.model.update(KIND, ref.spec.name, (raw) => ({
        ...raw, lifecycleHooks: ((raw.lifecycleHooks as Raw[] | undefined) ?? []).filter((h) => h.name !== name),
      }), ref.rec.version));
      return {};
    },

    CompleteLifecycleAction(input) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      asgOps.completeLifecycleAction(c.svc, {
        group: c.ref.spec.name, hook: required(input, 'LifecycleHookName'), result: required(input, 'LifecycleActionResult'),
        ...(input.InstanceId !== undefined ? { instanceId: input.InstanceId } : {}),
        ...(input.LifecycleActionToken !== undefined ? { token: input.LifecycleActionToken } : {}),
      });
      return {};
    },

    RecordLifecycleActionHeartbeat(input) {
      const c = controller(d, required(input, 'AutoScalingGroupName'));
      asgOps.recordHeartbeat(c.svc, {
        group: c.ref.spec.name, hook: required(input, 'LifecycleHookName'),
        ...(input.InstanceId !== undefined ? { instanceId: input.InstanceId } : {}),
        ...(input.LifecycleActionToken !== undefined ? { token: input.LifecycleActionToken } : {}),
      });
      return {};
    },
  };
}
