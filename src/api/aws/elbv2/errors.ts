/** The model service's errors in elbv2's words. */
import { ShoalError } from '../../../core/errors.js';
import { awsError } from '../common/op.js';

/**
 * Runs a model write; AlreadyExists becomes the service's duplicate code,
 * a config validation error stays a ValidationError with its message (which
 * names the resource and the field), and ResourceOwnedByFile passes as it is.
 */
export async function modelErrors<T>(write: () => Promise<T> | T, duplicateCode = 'DuplicateName'): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof ShoalError && err.code === 'AlreadyExists') throw awsError(duplicateCode, err.message);
    if (err instanceof ShoalError && err.code === 'NotFound') throw awsError('ValidationError', err.message);
    throw err;
  }
}
