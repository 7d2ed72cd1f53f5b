/** Launch templates and Auto Scaling groups as the config file declares them. */
import { z } from 'zod';
import { asScalarText, bool, checked, elbName, intAtLeast, intIn, list, oneOf, str, strictObject } from './schema-common.js';
import { scalingPolicySchema, scheduledActionSchema } from './schema-scaling.js';
import { isContainerImage } from '../model/auto-scaling.js';

export const TERMINATION_POLICIES = [
  'Default', 'AllocationStrategy', 'OldestLaunchTemplate', 'OldestLaunchConfiguration',
  'ClosestToNextInstanceHour', 'NewestInstance', 'OldestInstance',
] as const;

/** A map of NAME: text; numbers and booleans are taken as their text. `badKey` says why a key is refused. */
function textMap(what: string, badKey: (k: string) => string | undefined, maxValue?: number) {
  const value = checked(maxValue === undefined ? 'must be text' : `must be text of at most ${maxValue} characters`, (v) => {
    const s = asScalarText(v);
    return s !== undefined && (maxValue === undefined || s.length <= maxValue) ? s : undefined;
  });
  return z.record(value, { errorMap: () => ({ message: `must be a map of ${what}` }) }).superRefine((m, ctx) => {
    for (const key of Object.keys(m)) {
      const why = badKey(key);
      if (why) ctx.addIssue({ code: 'custom', path: [key], message: `${why} (got "${key}")`, params: { atKey: true } });
    }
  });
}

const environment = textMap('environment variables (NAME: value)', (k) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? undefined : 'environment variable names must be letters, digits and "_", not starting with a digit');

const tags = textMap('tags (key: value)', (k) => {
  if (k.length < 1 || k.length > 128) return 'tag keys must be 1 to 128 characters';
  if (k.toLowerCase().startsWith('aws:')) return 'tag keys must not begin with "aws:" (reserved)';
  return undefined;
}, 256);

/**
 * `ami-` + 8 or 17 hex digits, a container image `docker:repo/name:tag` (run in
 * zones with a Docker engine), or anything else as a directory path (resolved by normalize).
 */
const imageId = checked('must be an AMI id (ami- and 8 or 17 hex digits), a container image (docker:repo/name:tag) or the path of an image directory', (v) => {
  if (typeof v !== 'string' || v.length === 0) return undefined;
  if (v.startsWith('ami-')) return /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/.test(v) ? v : undefined;
  if (v.startsWith('docker:')) return isContainerImage(v) ? v : undefined;
  return v;
});


const instanceType = checked('must be an instance type such as t3.micro (family.size)', (v) =>
  typeof v === 'string' && /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(v) ? v : undefined);

export const launchTemplateVersionSchema = strictObject({
  imageId,
  instanceType: instanceType.default('t3.micro'),
  userData: checked('must be text (a boot script)', (v) => (typeof v === 'string' ? v : undefined)).default(''),
  environment: environment.default({}),
  tags: tags.default({}),
  /** shoal extension: `dynamic` gives each instance its own port on 127.0.0.1 (ECS-style dynamic port mapping). */
  portMode: oneOf(['host', 'dynamic']).default('host'),
});

export const LAUNCH_TEMPLATE_NAME_RULE = 'must be 3 to 128 characters: letters, digits and ( ) . - / _';
const launchTemplateName = checked(LAUNCH_TEMPLATE_NAME_RULE, (v) =>
  typeof v === 'string' && /^[A-Za-z0-9().\-/_]{3,128}$/.test(v) ? v : undefined);

export const launchTemplateSchema = strictObject({
  name: launchTemplateName,
  versions: list(launchTemplateVersionSchema, { min: 1, noun: 'versions' }),
  defaultVersion: intAtLeast(1).default(1),
}).superRefine((lt, ctx) => {
  if (typeof lt.defaultVersion === 'number' && lt.versions.length > 0 && lt.defaultVersion > lt.versions.length) {
    ctx.addIssue({ code: 'custom', path: ['defaultVersion'], message: `must be a version that exists: 1 to ${lt.versions.length} (got ${lt.defaultVersion})` });
  }
});

const versionRef = checked<'$Latest' | '$Default' | number>('must be $Latest, $Default or a version number (1, 2, ...)', (v) => {
  if (v === '$Latest' || v === '$Default') return v;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : undefined;
});


export const LIFECYCLE_TRANSITIONS = ['autoscaling:EC2_INSTANCE_LAUNCHING', 'autoscaling:EC2_INSTANCE_TERMINATING'] as const;

/** PutLifecycleHook's fields; notificationCommand is shoal's stand-in for the SNS/SQS target (run with sh -c). */
const lifecycleHook = strictObject({
  name: checked('must be 1 to 255 characters: letters, digits and - _ /', (v) =>
    typeof v === 'string' && /^[A-Za-z0-9\-_/]{1,255}$/.test(v) ? v : undefined),
  lifecycleTransition: oneOf(LIFECYCLE_TRANSITIONS),
  heartbeatTimeout: intIn(30, 7200).default(3600),
  defaultResult: oneOf(['CONTINUE', 'ABANDON']).default('ABANDON'),
  notificationCommand: str({ what: 'a shell command' }).optional(),
});

/** PutWarmPool's fields (docs/instance-refresh.md). Hibernated is not supported: frozen processes are what Stopped means here. */
const warmPool = strictObject({
  minSize: intAtLeast(0).default(0),
  maxGroupPreparedCapacity: intAtLeast(0).optional(),
  poolState: oneOf(['Stopped', 'Running']).default('Stopped'),
  instanceReusePolicy: strictObject({ reuseOnScaleIn: bool().default(false) }).default({}),
}).superRefine((w, ctx) => {
  if (typeof w.maxGroupPreparedCapacity === 'number' && typeof w.minSize === 'number' && w.maxGroupPreparedCapacity < w.minSize) {
    ctx.addIssue({ code: 'custom', path: ['maxGroupPreparedCapacity'], message: `must be at least minSize (${w.minSize}) (got ${w.maxGroupPreparedCapacity})` });
  }
});

const asgName = checked('must be 1 to 255 characters without control characters', (v) =>
  typeof v === 'string' && v.length >= 1 && v.length <= 255 && !/[\x00-\x1f\x7f]/.test(v) ? v : undefined);

export const autoScalingGroupSchema = strictObject({
  name: asgName,
  launchTemplate: strictObject({ name: launchTemplateName, version: versionRef.default('$Default') }),
  minSize: intAtLeast(0),
  maxSize: intAtLeast(0),
  desiredCapacity: intAtLeast(0).optional(),
  availabilityZones: list(str({ max: 255 }), { min: 1, noun: 'zones' }),
  targetGroups: list(elbName(), { noun: 'target group names' }).default([]),
  healthCheckType: oneOf(['EC2', 'ELB']).default('EC2'),
  healthCheckGracePeriod: intAtLeast(0).default(300),
  defaultCooldown: intAtLeast(0).default(300),
  terminationPolicies: list(oneOf(TERMINATION_POLICIES), { min: 1, noun: 'termination policies', one: 'termination policy' }).default(['Default']),
  newInstancesProtectedFromScaleIn: bool().default(false),
  scalingPolicies: list(scalingPolicySchema, { noun: 'scaling policies' }).default([]),
  scheduledActions: list(scheduledActionSchema, { noun: 'scheduled actions' }).default([]),
  /** Seconds a new instance's metrics are left out of scaling (AWS DefaultInstanceWarmup); absent: policies fall back to defaultCooldown. */
  defaultInstanceWarmup: intIn(0, 3600).optional(),
  lifecycleHooks: list(lifecycleHook, { noun: 'lifecycle hooks' }).default([]),
  /** shoal extension: SIGTERM-to-SIGKILL grace when an instance is terminated. */
  instanceStopTimeoutSeconds: intIn(0, 3600).default(30),
  warmPool: warmPool.optional(),
}).superRefine((asg, ctx) => {
  const { minSize: min, maxSize: max, desiredCapacity: desired } = asg;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < 0) return;
  if (min > max) {
    ctx.addIssue({ code: 'custom', path: ['minSize'], message: `must not be greater than maxSize (minSize ${min}, maxSize ${max})` });
  } else if (desired !== undefined && Number.isInteger(desired) && (desired < min || desired > max)) {
    ctx.addIssue({ code: 'custom', path: ['desiredCapacity'], message: `must be from minSize to maxSize: ${min} to ${max} (got ${desired})` });
  }
});

export type LaunchTemplateInput = z.output<typeof launchTemplateSchema>;
export type AutoScalingGroupInput = z.output<typeof autoScalingGroupSchema>;
