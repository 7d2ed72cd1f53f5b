/**
 * CloudWatch's error codes (the model's exception shapes: InvalidParameterValue,
 * MissingParameter, InvalidParameterCombination, ResourceNotFound 404,
 * LimitExceeded, InvalidNextToken, InvalidFormat) and its NextToken paging.
 */
import { ShoalError } from '../../../core/errors.js';
import { nextTokens } from '../common/next-token.js';

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

/** NextToken paging (common/next-token.ts); a bad token is InvalidNextToken. */
export const { pageOf, tokenOf, offsetOf } = nextTokens('InvalidNextToken');
