/**
 * Between AWS's PascalCase members and the config's camelCase fields: the
 * config's names are AWS's in camelCase (README), so nested structures such
 * as TargetTrackingConfiguration convert key by key. And the group's and
 * policies' ARNs.
 */
import { createHash } from 'node:crypto';
import { ACCOUNT_ID } from '../common/op.js';

type Json = unknown;

export function camelKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.charAt(0).toLowerCase() + k.slice(1), camelKeys(x)]));
}

export function pascalKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(pascalKeys);
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k.charAt(0).toUpperCase() + k.slice(1), pascalKeys(x)]));
}

/** A UUID-shaped text from hex (a record id, or a hash). */
export function uuidOf(hex: string): string {
  const h = hex.padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** AWS's ARN of a group: the record id as the UUID part. */
export function groupArn(region: string, recordId: string, name: string): string {
  return `arn:aws:autoscaling:${region}:${ACCOUNT_ID}:autoScalingGroup:${uuidOf(recordId)}:autoScalingGroupName/${name}`;
}

/** A policy's ARN: its UUID is derived from the group's record id and the policy name (stable, unique). */
export function policyArn(region: string, groupRecordId: string, group: string, policy: string): string {
  const id = createHash('sha256').update(`${groupRecordId}/policy/${policy}`).digest('hex');
  return `arn:aws:autoscaling:${region}:${ACCOUNT_ID}:scalingPolicy:${uuidOf(id)}:autoScalingGroupName/${group}:policyName/${policy}`;
}

/** Group and policy names from a policy ARN (any region), or undefined. */
export function parsePolicyArn(arn: string): { group: string; policy: string } | undefined {
  const m = /^arn:aws[a-z-]*:autoscaling:[^:]*:\d*:scalingPolicy:[^:]*:autoScalingGroupName\/([^:]+):policyName\/(.+)$/.exec(arn);
  return m ? { group: m[1]!, policy: m[2]! } : undefined;
}

/** A group's name from its ARN, or the text itself when it is not an ARN. */
export function groupNameOf(nameOrArn: string): string {
  const m = /^arn:aws[a-z-]*:autoscaling:[^:]*:\d*:autoScalingGroup:[^:]*:autoScalingGroupName\/(.+)$/.exec(nameOrArn);
  return m ? m[1]! : nameOrArn;
}
