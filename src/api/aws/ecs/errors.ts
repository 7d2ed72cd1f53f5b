/**
 * ECS's error codes (the model's exception shapes: ClientException,
 * InvalidParameterException, ClusterNotFoundException, ServiceNotFoundException,
 * ServiceNotActiveException, ClusterContainsServicesException, ...), the model
 * service's errors in ECS's words, and ECS's nextToken / maxResults paging.
 */
import { ShoalError } from '../../../core/errors.js';
import { awsError } from '../common/op.js';
import { nextTokens } from '../common/next-token.js';

export const invalidParameter = (message: string): ShoalError => awsError('InvalidParameterException', message);
export const clientError = (message: string): ShoalError => awsError('ClientException', message);
export const clusterNotFound = (cluster: string): ShoalError =>
  awsError('ClusterNotFoundException', `Cluster not found: ${cluster}. ListClusters shows the clusters; CreateCluster makes one.`);
export const serviceNotFound = (service: string): ShoalError =>
  awsError('ServiceNotFoundException', `Service not found: ${service}. ListServices shows the cluster's services.`);
export const serviceNotActive = (service: string): ShoalError => awsError('ServiceNotActiveException', `Service not active: ${service}.`);

/**
 * Runs a model write. AlreadyExists becomes `duplicate`; a config validation
 * error (its message names the field and the rule) is InvalidParameterException,
 * as ECS answers a parameter it will not take; ResourceOwnedByFile and
 * ConflictException pass as they are.
 */
export async function modelErrors<T>(write: () => Promise<T> | T, duplicate?: (message: string) => ShoalError): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (!(err instanceof ShoalError)) throw err;
    if (err.code === 'AlreadyExists') throw duplicate ? duplicate(err.message) : invalidParameter(err.message);
    if (err.code === 'ValidationError') throw invalidParameter(err.message);
    if (err.code === 'NotFound') throw clientError(err.message);
    throw err;
  }
}

const tokens = nextTokens('InvalidParameterException');

/** ECS's list paging: maxResults 1 to 100 (default 100), nextToken opaque. */
export function pageOf<T>(items: readonly T[], op: string, input: { nextToken?: string; maxResults?: number }): { items: T[]; nextToken?: string } {
  const size = input.maxResults ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 100) throw invalidParameter('maxResults must be an integer from 1 to 100.');
  const p = tokens.pageOf(items, op, input.nextToken, size);
  return p.next === undefined ? { items: p.items } : { items: p.items, nextToken: p.next };
}
