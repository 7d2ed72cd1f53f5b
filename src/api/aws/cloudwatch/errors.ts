/**
 * CloudWatch's error codes (the model's exception shapes: InvalidParameterValue,
 * MissingParameter, InvalidParameterCombination, ResourceNotFound 404,
 * LimitExceeded, InvalidNextToken, InvalidFormat) and its NextToken paging.
 */
import { ShoalError } from '../../../core/errors.js';

export const invalid = (message: string): ShoalError => new ShoalError('InvalidParameterValue', message, 400);
export const missing = (message: string): ShoalError => new ShoalError('MissingParameter', message, 400);
export const combination = (message: string): ShoalError => new ShoalError('InvalidParameterCombination', message, 400);
export const notFound = (message: string): ShoalError => new ShoalError('ResourceNotFound', message, 404);
export const limit = (message: string): ShoalError => new ShoalError('LimitExceeded', message, 400);

/** A member that must be there (the model marks fewer as required than CloudWatch checks). */
export function need<T>(input: Record<string, unknown>, member: string): T {
  const v = input[member];
  if (v === undefined || v === null || v === '') throw missing(`The parameter ${member} is required.`);
  return v as T;
}

/**
 * NextToken: the offset of the next item and the operation it belongs to,
 * opaque to the client. A token of another operation, or garbage, is InvalidNextToken.
 */
export function pageOf<T>(items: readonly T[], op: string, token: unknown, size: number): { items: T[]; next?: string } {
  const start = token === undefined ? 0 : offsetOf(op, token, items.length);
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return end < items.length ? { items: slice, next: tokenOf(op, end) } : { items: slice };
}

export function tokenOf(op: string, offset: number): string {
  return Buffer.from(`${op}:${offset}`).toString('base64url');
}

export function offsetOf(op: string, token: unknown, max: number): number {
  const text = typeof token === 'string' ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const m = /^([A-Za-z]+):(\d{1,9})$/.exec(text);
  const n = m && m[1] === op ? Number(m[2]) : NaN;
  if (!Number.isInteger(n) || n > max) throw new ShoalError('InvalidNextToken', `The NextToken '${String(token).slice(0, 64)}' is not valid for ${op}; start again without it.`, 400);
  return n;
}
