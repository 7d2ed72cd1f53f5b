/**
 * The model in the store: one record per resource (load balancer, target
 * group, launch template, Auto Scaling group, alarm), whoever declared it.
 * A record holds the resource as config data (the file's camelCase form),
 * who owns it (the config file, at a line, or the API), a stable random id
 * (its ARN suffix) and tags. The store's document version is the record's
 * version: writes name the version they read (If-Match), so a stale write is
 * a ConflictException, never a lost update.
 */
import { ShoalError } from '../core/errors.js';

export const KINDS = ['loadBalancers', 'targetGroups', 'launchTemplates', 'autoScalingGroups', 'alarms', 'clusters', 'taskDefinitions', 'services'] as const;
export type Kind = (typeof KINDS)[number];

export const NOUNS: Record<Kind, string> = {
  loadBalancers: 'load balancer',
  targetGroups: 'target group',
  launchTemplates: 'launch template',
  autoScalingGroups: 'Auto Scaling group',
  alarms: 'alarm',
  clusters: 'cluster',
  taskDefinitions: 'task definition',
  services: 'service',
};

export type Owner = { kind: 'file'; file: string; line: number } | { kind: 'api' };

export interface StoredRecord {
  /** The resource as config data (what a config file would say). */
  raw: Record<string, unknown>;
  owner: Owner;
  /** Random hex, stable for the record's life (ARNs and resource ids end in it). */
  id: string;
  createdAt: number;
  tags: Record<string, string>;
  /**
   * What an API keeps about a resource beyond the config model (subnets and
   * security groups a load balancer was created with, listener and rule ids).
   * Not validated, not part of the effective config; file-owned records take it too.
   */
  meta?: Record<string, unknown>;
}

export interface ResourceRecord extends StoredRecord {
  kind: Kind;
  name: string;
  version: number;
}

export function docKind(kind: Kind): string {
  return `resource:${kind}`;
}

/** "defined in shoal.yaml at line 12": where to change a file-owned resource. */
export function ownerText(owner: Owner): string {
  return owner.kind === 'file' ? `${owner.file}:${owner.line}` : 'the API';
}

/** A change to a file-owned resource through the API: say where to make it instead. */
export function fileOwned(kind: Kind, name: string, owner: Owner & { kind: 'file' }): ShoalError {
  return new ShoalError(
    'ResourceOwnedByFile',
    `The ${NOUNS[kind]} '${name}' is declared in the config file at ${owner.file}:${owner.line}; ` +
      'change or delete it there and reload (kill -HUP, or shoal reload). Runtime operations (registering targets, ' +
      'desired capacity, instance refresh, ...) work through the API as usual.',
    400,
  );
}

export function alreadyExists(kind: Kind, name: string, owner: Owner): ShoalError {
  return new ShoalError('AlreadyExists', `A ${NOUNS[kind]} named '${name}' already exists (declared by ${ownerText(owner)}).`, 400);
}

export function notFound(kind: Kind, name: string): ShoalError {
  return new ShoalError('NotFound', `The ${NOUNS[kind]} '${name}' does not exist.`, 400);
}
