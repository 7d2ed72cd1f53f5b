/**
 * What an AWS operation is to the services (elbv2/, autoscaling/, ec2/,
 * cloudwatch/): a function from the operation's input, keyed by the AWS
 * model's member names (PascalCase: { Names: ['a'], PageSize: 10 }), to its
 * output in the same form. The protocol layer (query/, ec2-query/, json/,
 * cbor/) turns the wire into these objects and back; operations never see a
 * wire format. Errors are ShoalErrors with AWS's codes (TargetGroupNotFound,
 * ValidationError, ...) and HTTP statuses.
 */
import { ShoalError } from '../../../core/errors.js';

export interface OpContext {
  requestId: string;
  /** The region the client signed for; ARNs are rendered in it. */
  region: string;
  accessKeyId: string;
}

export type Input = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Output = Record<string, unknown>;
export type Operation = (input: Input, ctx: OpContext) => Output | Promise<Output>;
export type Operations = Record<string, Operation>;

/** The account every ARN names: shoal has one. */
export const ACCOUNT_ID = '000000000000';

export function awsError(code: string, message: string, status = 400): ShoalError {
  return new ShoalError(code, message, status);
}

export function validation(message: string): ShoalError {
  return new ShoalError('ValidationError', message, 400);
}

/** A required member, or a ValidationError in AWS's words. */
export function required<T>(input: Input, member: string): T {
  const v = input[member];
  if (v === undefined || v === null) throw validation(`1 validation error detected: Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`);
  return v as T;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** [{Key, Value}] -> a map; duplicate keys are the caller's error code. */
export function tagMap(tags: Array<{ Key: string; Value?: string }> | undefined, duplicateCode = 'DuplicateTagKeys'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) {
    if (t.Key in out) throw awsError(duplicateCode, `Tag key '${t.Key}' is given more than once.`);
    out[t.Key] = t.Value ?? '';
  }
  return out;
}

export function tagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Marker pagination as elbv2 and autoscaling do it: the marker is the index
 * of the next item, opaque to the client (base64). PageSize / MaxRecords bound a page.
 */
export function page<T>(items: readonly T[], marker: string | undefined, size: number | undefined, max = 400): { items: T[]; next?: string } {
  const limit = size ?? max;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw validation(`Page size must be an integer from 1 to ${max}.`);
  let start = 0;
  if (marker !== undefined) {
    start = Number(Buffer.from(marker, 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw validation(`The marker '${marker}' is not valid.`);
  }
  const slice = items.slice(start, start + limit);
  const end = start + slice.length;
  return end < items.length ? { items: slice, next: Buffer.from(String(end)).toString('base64') } : { items: slice };
}
