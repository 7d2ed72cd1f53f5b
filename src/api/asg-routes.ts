/**
 * The Auto Scaling part of shoal's JSON API (under /_shoal/): groups,
 * activities, instances and their logs, images, launch template versions.
 * Field names follow the AWS API (DesiredCapacity, InstanceIds, ...) in
 * camelCase in requests, AWS's PascalCase in answers.
 */
import { ShoalError, validationError } from '../core/errors.js';
import type { AutoScalingService } from '../controlplane/asg/service.js';
import { describeGroup, instanceView } from '../controlplane/asg/describe.js';
import * as ops from '../controlplane/asg/ops.js';
import { join } from 'node:path';
import { instanceDir } from '../providers/process/meta.js';
import type { LogName } from '../providers/provider.js';

export interface AsgBackend {
  autoScalingService?: AutoScalingService | undefined;
}

type Handler = (b: AsgBackend, params: string[], body: unknown) => Promise<unknown> | unknown;
export interface AsgRoute {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

function svc(b: AsgBackend): AutoScalingService {
  if (!b.autoScalingService) {
    throw new ShoalError('ValidationError', 'This daemon runs no Auto Scaling: its config declares no launch templates or Auto Scaling groups.');
  }
  return b.autoScalingService;
}

type Body = Record<string, unknown>;
const obj = (body: unknown): Body => (body && typeof body === 'object' ? (body as Body) : {});
const ids = (body: unknown): string[] => {
  const v = obj(body).instanceIds;
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string')) throw validationError('instanceIds must be a non-empty list of instance ids');
  return v as string[];
};
const num = (body: unknown, key: string, required = true): number | undefined => {
  const v = obj(body)[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw validationError(`${key} must be a whole number`);
  return v;
};
const str = (body: unknown, key: string): string | undefined => {
  const v = obj(body)[key];
  return typeof v === 'string' ? v : undefined;
};
const group = (path: string): RegExp => new RegExp(`^/_shoal/auto-scaling-groups/([^/]+)${path}$`);

export const asgRoutes: AsgRoute[] = [
  {
    method: 'GET', pattern: /^\/_shoal\/auto-scaling-groups$/,
    handler: (b) => ({ AutoScalingGroups: [...svc(b).groups.values()].map((g) => describeGroup(svc(b), g)) }),
  },
  { method: 'GET', pattern: group(''), handler: (b, [n]) => describeGroup(svc(b), ops.groupOf(svc(b), n!)) },
  {
    method: 'GET', pattern: group('/activities'),
    handler: (b, [n]) => ({ Activities: svc(b).activities.list(ops.groupOf(svc(b), n!).state) }),
  },
  {
    method: 'POST', pattern: group('/desired-capacity'),
    handler: (b, [n], body) => (ops.setDesiredCapacity(svc(b), n!, num(body, 'desiredCapacity')!), {}),
  },
  {
    method: 'POST', pattern: group('/update'),
    handler: (b, [n], body) => {
      const sizes = { minSize: num(body, 'minSize', false), maxSize: num(body, 'maxSize', false), desiredCapacity: num(body, 'desiredCapacity', false) };
      ops.updateSizes(svc(b), n!, Object.fromEntries(Object.entries(sizes).filter(([, v]) => v !== undefined)));
      return {};
    },
  },
  {
    method: 'POST', pattern: group('/enter-standby'),
    handler: (b, [n], body) => (ops.enterStandby(svc(b), n!, ids(body), obj(body).shouldDecrementDesiredCapacity === true), {}),
  },
  { method: 'POST', pattern: group('/exit-standby'), handler: (b, [n], body) => (ops.exitStandby(svc(b), n!, ids(body)), {}) },
  {
    method: 'POST', pattern: group('/detach'),
    handler: (b, [n], body) => (ops.detachInstances(svc(b), n!, ids(body), obj(body).shouldDecrementDesiredCapacity === true), {}),
  },
  { method: 'POST', pattern: group('/attach'), handler: async (b, [n], body) => (await ops.attachInstances(svc(b), n!, ids(body)), {}) },
  {
    method: 'POST', pattern: group('/(suspend|resume)-processes'),
    handler: (b, [n, what], body) => {
      const list = obj(body).scalingProcesses as string[] | undefined;
      if (what === 'suspend') ops.suspendProcesses(svc(b), n!, list);
      else ops.resumeProcesses(svc(b), n!, list);
      return { SuspendedProcesses: ops.groupOf(svc(b), n!).state.suspended };
    },
  },
  {
    method: 'POST', pattern: group('/instance-protection'),
    handler: (b, [n], body) => (ops.setProtection(svc(b), n!, ids(body), obj(body).protectedFromScaleIn === true), {}),
  },
  {
    method: 'POST', pattern: group('/complete-lifecycle-action'),
    handler: (b, [n], body) => {
      const o = { group: n!, hook: str(body, 'lifecycleHookName') ?? '', result: str(body, 'lifecycleActionResult') ?? '' };
      ops.completeLifecycleAction(svc(b), { ...o, ...opt('instanceId', str(body, 'instanceId')), ...opt('token', str(body, 'lifecycleActionToken')) });
      return {};
    },
  },
  {
    method: 'POST', pattern: group('/record-lifecycle-action-heartbeat'),
    handler: (b, [n], body) => {
      const o = { group: n!, hook: str(body, 'lifecycleHookName') ?? '' };
      ops.recordHeartbeat(svc(b), { ...o, ...opt('instanceId', str(body, 'instanceId')), ...opt('token', str(body, 'lifecycleActionToken')) });
      return {};
    },
  },
  { method: 'GET', pattern: /^\/_shoal\/instances$/, handler: async (b) => ({ Instances: await instances(svc(b)) }) },
  {
    method: 'POST', pattern: /^\/_shoal\/instances\/([^/]+)\/terminate$/,
    handler: (b, [id], body) => {
      const r = ops.terminateInstance(svc(b), id!, obj(body).shouldDecrementDesiredCapacity === true);
      return { Activity: { InstanceId: r.instanceId, LifecycleState: r.lifecycleState } };
    },
  },
  {
    // SetInstanceHealth (the console's "set health"; the AWS API has it as SetInstanceHealth).
    method: 'POST', pattern: /^\/_shoal\/instances\/([^/]+)\/health$/,
    handler: (b, [id], body) => (ops.setInstanceHealth(svc(b), id!, str(body, 'healthStatus') ?? '', obj(body).shouldRespectGracePeriod === true), {}),
  },
  {
    method: 'GET', pattern: /^\/_shoal\/instances\/([^/]+)\/logs\/(boot|app)(?:\/(\d+))?$/,
    // An absent optional group arrives as the text 'undefined' (internal.ts decodes every group).
    handler: (b, [id, which, from]) => svc(b).provider.readLog(id!, which as LogName, from && /^\d+$/.test(from) ? { from: Number(from) } : {}),
  },
  { method: 'GET', pattern: /^\/_shoal\/images$/, handler: (b) => ({ Images: svc(b).images.list() }) },
  {
    method: 'POST', pattern: /^\/_shoal\/images$/,
    handler: async (b, _p, body) => createImage(svc(b), str(body, 'instanceId') ?? '', str(body, 'name') ?? ''),
  },
  { method: 'GET', pattern: /^\/_shoal\/launch-templates$/, handler: (b) => ({ LaunchTemplates: svc(b).templates.list() }) },
  {
    method: 'POST', pattern: /^\/_shoal\/launch-templates\/([^/]+)\/versions$/,
    handler: (b, [name], body) => {
      const o = obj(body);
      const v = svc(b).templates.createVersion(name!, {
        data: (o.launchTemplateData ?? {}) as never, setDefault: o.setDefault === true,
        ...opt('sourceVersion', str(body, 'sourceVersion')), ...opt('description', str(body, 'versionDescription')),
      });
      svc(b).poke();
      return { LaunchTemplateVersion: v };
    },
  },
  {
    method: 'POST', pattern: /^\/_shoal\/auto-scaling\/down$/,
    handler: async (b) => ({ TerminatedInstances: await svc(b).terminateAll(), pid: process.pid }),
  },
];

function opt<K extends string>(key: K, v: string | undefined): Partial<Record<K, string>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, string>);
}

async function instances(s: AutoScalingService): Promise<unknown[]> {
  const all = await s.provider.list();
  return all.map((o) => {
    const g = s.owner(o.instanceId);
    const r = g?.find(o.instanceId);
    return {
      ...(r ? instanceView(r, o) : { InstanceId: o.instanceId, AvailabilityZone: o.availabilityZone, PrivateIpAddress: o.privateIp, InstanceState: o.state, BootStatus: o.bootStatus, Reason: o.impairedReason }),
      AutoScalingGroupName: g?.state.name,
      LaunchTime: new Date(o.launchedAt).toISOString(),
      CpuPercent: o.cpuPercent,
      MemoryBytes: o.memoryBytes,
    };
  });
}

/** CreateImage from a running instance's working directory. */
async function createImage(s: AutoScalingService, instanceId: string, name: string): Promise<unknown> {
  const obs = await s.provider.describe(instanceId);
  if (!obs || obs.state === 'terminated') throw new ShoalError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
  const workingDir = join(instanceDir(s.stateDir, instanceId), 'dir'); // the process provider's working copy
  const rec = s.images.createFromDirectory({ workingDir, name, instanceId });
  return { ImageId: rec.imageId, Image: rec };
}
