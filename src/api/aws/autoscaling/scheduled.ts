/**
 * PutScheduledUpdateGroupAction, DescribeScheduledActions,
 * DeleteScheduledAction: the group's scheduledActions through the model
 * service (a file-owned group answers ResourceOwnedByFile); the scaling
 * service runs them.
 */
import { createHash } from 'node:crypto';
import { ACCOUNT_ID, required, validation, type Input, type Operations } from '../common/op.js';
import { allGroups, groupRef, KIND, modelWrite } from './context.js';
import type { AutoScalingDeps } from './deps.js';
import { paged } from './describe.js';
import { uuidOf } from './shapes.js';

type Raw = Record<string, unknown>;

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

function actionRaw(input: Input): Raw {
  const raw: Raw = {
    scheduledActionName: required<string>(input, 'ScheduledActionName'),
    startTime: iso(input.StartTime ?? input.Time), endTime: iso(input.EndTime), recurrence: input.Recurrence, timeZone: input.TimeZone,
    minSize: input.MinSize, maxSize: input.MaxSize, desiredCapacity: input.DesiredCapacity,
  };
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
}

function arn(region: string, recordId: string, group: string, action: string): string {
  const id = createHash('sha256').update(`${recordId}/scheduled/${action}`).digest('hex');
  return `arn:aws:autoscaling:${region}:${ACCOUNT_ID}:scheduledUpdateGroupAction:${uuidOf(id)}:autoScalingGroupName/${group}:scheduledActionName/${action}`;
}

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

export function scheduledOps(d: AutoScalingDeps): Operations {
  return {
    async PutScheduledUpdateGroupAction(input) {
      const ref = groupRef(d, required(input, 'AutoScalingGroupName'));
      const raw = actionRaw(input);
      await modelWrite(ref.spec.name, () => d.model.update(KIND, ref.spec.name, (r) => ({
        ...r, scheduledActions: [...((r.scheduledActions as Raw[] | undefined) ?? []).filter((a) => a.scheduledActionName !== raw.scheduledActionName), raw],
      }), ref.rec.version));
      return {};
    },

    DescribeScheduledActions(input, ctx) {
      const refs = input.AutoScalingGroupName !== undefined ? [groupRef(d, input.AutoScalingGroupName)] : allGroups(d);
      const names = input.ScheduledActionNames as string[] | undefined;
      const from = (input.StartTime as Date | undefined)?.getTime();
      const to = (input.EndTime as Date | undefined)?.getTime();
      const all = refs.flatMap((ref) => (ref.spec.scheduledActions ?? [])
        .filter((a) => (!names?.length || names.includes(a.scheduledActionName)))
        .filter((a) => (from === undefined || (a.startTime ?? Infinity) >= from) && (to === undefined || (a.startTime ?? -Infinity) <= to))
        .map((a) => Object.fromEntries(Object.entries({
          AutoScalingGroupName: ref.spec.name, ScheduledActionName: a.scheduledActionName,
          ScheduledActionARN: arn(ctx.region, ref.rec.id, ref.spec.name, a.scheduledActionName),
          Time: date(a.startTime), StartTime: date(a.startTime), EndTime: date(a.endTime), Recurrence: a.recurrence,
          MinSize: a.minSize, MaxSize: a.maxSize, DesiredCapacity: a.desiredCapacity, TimeZone: a.timeZone,
        }).filter(([, v]) => v !== undefined))));
      const p = paged(all, input, 50, 100);
      return { ScheduledUpdateGroupActions: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },

    async DeleteScheduledAction(input) {
      const ref = groupRef(d, required(input, 'AutoScalingGroupName'));
      const name = required<string>(input, 'ScheduledActionName');
      if (!(ref.spec.scheduledActions ?? []).some((a) => a.scheduledActionName === name)) throw validation(`Scheduled action name not found - ${name} does not exist in group ${ref.spec.name}`);
      await modelWrite(ref.spec.name, () => d.model.update(KIND, ref.spec.name, (r) => ({
        ...r, scheduledActions: ((r.scheduledActions as Raw[] | undefined) ?? []).filter((a) => a.scheduledActionName !== name),
      }), ref.rec.version));
      return {};
    },
  };
}
