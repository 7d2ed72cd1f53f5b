/**
 * RegisterTargets / DeregisterTargets / DescribeTargetHealth: runtime
 * registrations, the same as `shoal register-targets`, so they work on
 * file-owned target groups too. Targets of type instance are named by
 * instance id (i-...) and registered at the instance's address.
 */
import type { Target } from '../../../model/target-group.js';
import { awsError, required, type Input, type Operations } from '../common/op.js';
import type { Elbv2Deps } from './deps.js';
import { Resolver } from './resolve.js';

export function targetOps(d: Elbv2Deps): Operations {
  const toTargets = (list: Input[], port: number): Target[] =>
    list.map((t) => {
      const id = String(t.Id);
      if (id.startsWith('i-')) {
        const a = d.instanceAddress(id);
        if (!a) throw awsError('InvalidTarget', `The following targets are not in a running state and cannot be registered: '${id}'`);
        return { id: a.ip, port: t.Port ?? a.port ?? port, availabilityZone: a.availabilityZone };
      }
      return { id, port: t.Port ?? port, ...(t.AvailabilityZone ? { availabilityZone: t.AvailabilityZone } : {}) };
    });

  return {
    RegisterTargets(input, ctx) {
      const tg = new Resolver(d, ctx.region).targetGroup(required(input, 'TargetGroupArn'));
      d.registerTargets(tg.spec.name, toTargets(required<Input[]>(input, 'Targets'), tg.spec.port));
      return {};
    },
    DeregisterTargets(input, ctx) {
      const tg = new Resolver(d, ctx.region).targetGroup(required(input, 'TargetGroupArn'));
      d.deregisterTargets(tg.spec.name, toTargets(required<Input[]>(input, 'Targets'), tg.spec.port));
      return {};
    },
    DescribeTargetHealth(input, ctx) {
      const tg = new Resolver(d, ctx.region).targetGroup(required(input, 'TargetGroupArn'));
      const instanceType = tg.rec.meta?.targetType === 'instance';
      let list = d.describeTargetHealth(tg.spec.name) ?? [];
      if (input.Targets !== undefined) {
        const wanted = toTargets(input.Targets as Input[], tg.spec.port);
        list = wanted.map((w) => list.find((h) => h.target.id === w.id && h.target.port === w.port) ?? {
          target: w, healthCheckPort: String(w.port),
          targetHealth: { state: 'unused', reason: 'Target.NotRegistered', description: 'Target is not registered to the target group' },
        });
      }
      return {
        TargetHealthDescriptions: list.map((h) => ({
          Target: {
            Id: (instanceType ? d.instanceAt(h.target.id) : undefined) ?? h.target.id,
            Port: h.target.port,
            ...(h.target.availabilityZone ? { AvailabilityZone: h.target.availabilityZone } : {}),
          },
          HealthCheckPort: h.healthCheckPort,
          TargetHealth: {
            State: h.targetHealth.state,
            ...(h.targetHealth.reason ? { Reason: h.targetHealth.reason } : {}),
            ...(h.targetHealth.description ? { Description: h.targetHealth.description } : {}),
          },
        })),
      };
    },
  };
}
