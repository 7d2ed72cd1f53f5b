/**
 * What a shoal container carries in its labels, so a restarted daemon adopts
 * it (issue 12): the instance, its group, its launch template version, and
 * everything an observation needs. `shoal.scope` keeps two daemons (or two
 * tests) on one engine apart.
 */
import type { LaunchSpec } from '../provider.js';
import type { Address } from '../addresses.js';

export const L = {
  scope: 'shoal.scope',
  instanceId: 'shoal.instance-id',
  group: 'shoal.group',
  templateVersion: 'shoal.launch-template-version',
  zone: 'shoal.zone',
  instanceType: 'shoal.instance-type',
  privateIp: 'shoal.private-ip',
  host: 'shoal.host',
  port: 'shoal.port',
  launchedAt: 'shoal.launched-at',
  tags: 'shoal.tags',
} as const;

export interface Labelled {
  instanceId: string;
  availabilityZone: string;
  instanceType: string;
  templateVersion: string;
  tags: Record<string, string>;
  privateIp: string;
  host: string;
  port: number;
  launchedAt: number;
}

export function toLabels(scope: string, spec: LaunchSpec, a: Address, launchedAt: number): Record<string, string> {
  return {
    [L.scope]: scope,
    [L.instanceId]: spec.instanceId,
    [L.group]: spec.tags['aws:autoscaling:groupName'] ?? '',
    [L.templateVersion]: spec.templateVersion,
    [L.zone]: spec.availabilityZone,
    [L.instanceType]: spec.instanceType,
    [L.privateIp]: a.privateIp,
    [L.host]: a.host,
    [L.port]: String(a.port),
    [L.launchedAt]: String(launchedAt),
    [L.tags]: JSON.stringify(spec.tags),
  };
}

/** Undefined for containers whose labels are not shoal's (or are damaged). */
export function fromLabels(labels: Record<string, string>): Labelled | undefined {
  const id = labels[L.instanceId];
  if (!id) return undefined;
  try {
    return {
      instanceId: id,
      availabilityZone: labels[L.zone] ?? '',
      instanceType: labels[L.instanceType] ?? '',
      templateVersion: labels[L.templateVersion] ?? '',
      tags: JSON.parse(labels[L.tags] ?? '{}') as Record<string, string>,
      privateIp: labels[L.privateIp] ?? '',
      host: labels[L.host] ?? '',
      port: Number(labels[L.port]),
      launchedAt: Number(labels[L.launchedAt]),
    };
  } catch {
    return undefined;
  }
}
