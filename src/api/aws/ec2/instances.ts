/**
 * DescribeInstances / DescribeInstanceStatus over every instance (groups' and
 * standalone), Start / Stop / Terminate, GetConsoleOutput. A group's instance
 * is terminated as the console's "Terminate" does (the group replaces it);
 * stopping one is refused (use the group's standby).
 */
import * as asgOps from '../../../controlplane/asg/ops.js';
import { ACCOUNT_ID, awsError, required, type Input, type Operations } from '../common/op.js';
import type { Ec2Context } from './context.js';
import { instanceNotFound } from './errors.js';
import { INSTANCE_FILTERS, allFacts, filterValues, instanceTags, instanceView, reservationId, state, stateName, type InstanceFacts } from './instance-view.js';
import { checkFilters, matches, tokenPage } from './paging.js';

async function pick(ctx: Ec2Context, ids: string[] | undefined): Promise<InstanceFacts[]> {
  const all = await allFacts(ctx);
  if (!ids) return all;
  const byId = new Map(all.map((f) => [f.instanceId, f]));
  return ids.map((id) => {
    if (!/^i-[0-9a-f]{8,18}$/.test(id)) throw awsError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
    const f = byId.get(id);
    if (!f) throw instanceNotFound(id);
    return f;
  });
}

export function instanceOps(ctx: Ec2Context): Operations {
  return {
    async DescribeInstances(input) {
      const filters = checkFilters(input.Filters, INSTANCE_FILTERS);
      const found = (await pick(ctx, input.InstanceIds)).filter((f) => {
        const v = instanceView(ctx, f);
        return matches(filters, filterValues(v, reservationId(f)), instanceTags(ctx, f));
      });
      const { items, NextToken } = tokenPage(found, input, [5, 1000]);
      return { Reservations: reservations(ctx, items), ...(NextToken ? { NextToken } : {}) };
    },

    async DescribeInstanceStatus(input) {
      const filters = checkFilters(input.Filters, ['instance-state-name', 'instance-state-code', 'availability-zone', 'instance-status.status', 'system-status.status']);
      const all = (await pick(ctx, input.InstanceIds)).filter((f) => input.IncludeAllInstances === true || stateName(f) === 'running');
      const views = all.map(statusView).filter((s) => matches(filters, (n) => statusValues(s, n)));
      const { items, NextToken } = tokenPage(views, input, [5, 1000]);
      return { InstanceStatuses: items, ...(NextToken ? { NextToken } : {}) };
    },

    async StopInstances(input) {
      return { StoppingInstances: await change(ctx, input, async (f) => {
        if (f.group) throw awsError('UnsupportedOperation', `The instance ${f.instanceId} belongs to the Auto Scaling group ${f.group}: put it in Standby (aws autoscaling enter-standby) or terminate it; shoal stops standalone instances only.`);
        await ctx.d.instances.stop(f.instanceId);
      }) };
    },

    async StartInstances(input) {
      return { StartingInstances: await change(ctx, input, async (f) => {
        if (f.group) throw awsError('UnsupportedOperation', `The instance ${f.instanceId} belongs to the Auto Scaling group ${f.group}, which starts its own instances.`);
        await ctx.d.instances.start(f.instanceId);
      }) };
    },

    async TerminateInstances(input) {
      return { TerminatingInstances: await change(ctx, input, async (f) => {
        const svc = ctx.d.autoScaling();
        if (stateName(f) === 'terminated') return;
        if (f.standalone) await ctx.d.instances.terminate(f.instanceId);
        else if (f.group && svc) asgOps.terminateInstance(svc, f.instanceId, false);
        else if (svc) void svc.provider.terminate(f.instanceId, { stopTimeoutMs: 30_000 }).catch(() => undefined); // detached from its group
      }) };
    },

    async GetConsoleOutput(input) {
      const id = required<string>(input, 'InstanceId');
      await pick(ctx, [id]);
      const svc = ctx.d.autoScaling();
      const log = svc ? await svc.provider.readLog(id, 'boot').catch(() => undefined) : undefined;
      return { InstanceId: id, Timestamp: new Date(ctx.d.clock.now()), ...(log ? { Output: Buffer.from(log.text, 'utf8').toString('base64') } : {}) };
    },
  };
}

function reservations(ctx: Ec2Context, facts: InstanceFacts[]): Record<string, unknown>[] {
  const byId = new Map<string, Record<string, unknown>[]>();
  for (const f of facts) {
    const r = reservationId(f);
    byId.set(r, [...(byId.get(r) ?? []), instanceView(ctx, f)]);
  }
  return [...byId].map(([ReservationId, Instances]) => ({ ReservationId, OwnerId: ACCOUNT_ID, Groups: [], Instances }));
}

/** Checks every id first (nothing changes when one is unknown), then applies the change to each. */
async function change(ctx: Ec2Context, input: Input, apply: (f: InstanceFacts) => Promise<void>): Promise<Record<string, unknown>[]> {
  const facts = await pick(ctx, required<string[]>(input, 'InstanceIds'));
  const out: Record<string, unknown>[] = [];
  for (const f of facts) {
    const previous = stateName(f);
    await apply(f);
    const [now] = await pick(ctx, [f.instanceId]);
    out.push({ InstanceId: f.instanceId, PreviousState: state(previous), CurrentState: state(stateName(now!)) });
  }
  return out;
}

function statusView(f: InstanceFacts): Record<string, unknown> {
  const o = f.obs;
  const impaired = o?.impairedReason !== undefined;
  const booting = o?.bootStatus === 'running';
  const status = impaired ? 'impaired' : booting ? 'initializing' : 'ok';
  const detail = impaired ? 'failed' : booting ? 'initializing' : 'passed';
  return {
    InstanceId: f.instanceId,
    AvailabilityZone: o?.availabilityZone ?? f.standalone?.availabilityZone ?? '',
    InstanceState: state(stateName(f)),
    InstanceStatus: {
      Status: stateName(f) === 'running' ? status : 'not-applicable',
      Details: [{ Name: 'reachability', Status: detail, ...(impaired ? { ImpairedSince: new Date(o?.endedAt ?? o!.launchedAt) } : {}) }],
    },
    SystemStatus: { Status: stateName(f) === 'running' ? 'ok' : 'not-applicable', Details: [{ Name: 'reachability', Status: 'passed' }] },
    Events: [],
  };
}

function statusValues(s: Record<string, unknown>, name: string): string[] {
  const st = s.InstanceState as { Code: number; Name: string };
  const v: Record<string, string> = {
    'instance-state-name': st.Name, 'instance-state-code': String(st.Code), 'availability-zone': s.AvailabilityZone as string,
    'instance-status.status': (s.InstanceStatus as { Status: string }).Status, 'system-status.status': (s.SystemStatus as { Status: string }).Status,
  };
  return v[name] === undefined ? [] : [v[name]!];
}
