/**
 * NextToken paging for the services that page with one (CloudWatch, ECS):
 * the token is the offset of the next item and the operation it belongs to,
 * opaque to the client. A token of another operation, or garbage, is the
 * service's own error (CloudWatch InvalidNextToken, ECS InvalidParameterException).
 */
import { ShoalError } from '../../../core/errors.js';

export interface NextTokens {
  pageOf<T>(items: readonly T[], op: string, token: unknown, size: number): { items: T[]; next?: string };
  tokenOf(op: string, offset: number): string;
  offsetOf(op: string, token: unknown, max: number): number;
}

export function nextTokens(invalidCode: string): NextTokens {
  const tokenOf = (op: string, offset: number): string => Buffer.from(`${op}:${offset}`).toString('base64url');
  const offsetOf = (op: string, token: unknown, max: number): number => {
    const text = typeof token === 'string' ? Buffer.from(token, 'base64url').toString('utf8') : '';
    const m = /^([A-Za-z]+):(\d{1,9})$/.exec(text);
    const n = m && m[1] === op ? Number(m[2]) : NaN;
    if (!Number.isInteger(n) || n > max) throw new ShoalError(invalidCode, `The NextToken '${String(token).slice(0, 64)}' is not valid for ${op}; start again without it.`, 400);
    return n;
  };
  return {
    tokenOf,
    offsetOf,
    pageOf<T>(items: readonly T[], op: string, token: unknown, size: number) {
      const start = token === undefined ? 0 : offsetOf(op, token, items.length);
      const slice = items.slice(start, start + size);
      const end = start + slice.length;
      return end < items.length ? { items: slice, next: tokenOf(op, end) } : { items: slice };
    },
  };
}
