/**
 * From the AWS inputs' references to the model's names: launch templates by
 * name or lt- id, zones by name, zone id or subnet id, target groups by ARN
 * (the elbv2 ARN form: targetgroup/NAME/<first 16 hex of the record id>).
 */
import type { ResourceRecord } from '../../../resources/records.js';
import { parseArn, shortId, tgArn } from '../elbv2/arns.js';
import { validation, type Input } from '../common/op.js';
import type { AutoScalingDeps } from './deps.js';

export function ltIdOf(rec: ResourceRecord): string {
  return 'lt-' + rec.id;
}

/** LaunchTemplateSpecification -> { name, version } of the config. */
export function launchTemplateRef(d: AutoScalingDeps, lt: Input): { name: string; version: string | number } {
  const { LaunchTemplateId: id, LaunchTemplateName: name, Version: version } = lt;
  if (id !== undefined && name !== undefined) throw validation('Valid requests must contain either LaunchTemplateId or LaunchTemplateName, not both.');
  let rec: ResourceRecord | undefined;
  if (id !== undefined) {
    rec = d.model.list('launchTemplates').find((r) => ltIdOf(r) === id);
    if (!rec) throw validation(`You must use a valid fully-formed launch template. The specified launch template, with template ID ${id}, does not exist.`);
  } else if (name !== undefined) {
    rec = d.model.get('launchTemplates', name);
    if (!rec) throw validation(`You must use a valid fully-formed launch template. The specified launch template, with template name ${name}, does not exist.`);
  } else {
    throw validation('Valid requests must contain either LaunchTemplateId or LaunchTemplateName.');
  }
  return { name: rec.name, version: versionRef(version) };
}

function versionRef(v: unknown): string | number {
  if (v === undefined || v === null || v === '') return '$Default';
  if (v === '$Latest' || v === '$Default') return v;
  if (typeof v === 'string' && /^[1-9]\d*$/.test(v)) return Number(v);
  throw validation(`You must use a valid fully-formed launch template. The version '${String(v)}' is not valid: use $Latest, $Default or a version number.`);
}

/** Zones from AvailabilityZones (names or shoal-azN ids) and VPCZoneIdentifier (subnet ids). */
export function zonesOf(d: AutoScalingDeps, input: Input): { zones: string[]; subnets?: string[] } | undefined {
  const azs = [...(input.AvailabilityZones as string[] | undefined ?? []), ...zoneIds(d, input.AvailabilityZoneIds as string[] | undefined)];
  const vpc = typeof input.VPCZoneIdentifier === 'string' ? input.VPCZoneIdentifier.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (vpc.length === 0) return azs.length > 0 ? { zones: [...new Set(azs)] } : undefined;
  const zones = vpc.map((id) => {
    const z = d.zones.bySubnet(id);
    if (!z) throw validation(`The subnet ID '${id}' does not exist`);
    return z.name;
  });
  const extra = azs.filter((z) => !zones.includes(z));
  if (extra.length > 0) throw validation(`The availability zones of the specified subnets and the Auto Scaling group do not match (${extra.join(', ')} has no subnet in VPCZoneIdentifier).`);
  return { zones: [...new Set(zones)], subnets: vpc };
}

function zoneIds(d: AutoScalingDeps, ids: string[] | undefined): string[] {
  if (!ids || ids.length === 0) return [];
  const all = d.zones.list();
  return ids.map((id) => {
    const z = all.find((x) => x.zoneId === id);
    if (!z) throw validation(`The availability zone ID '${id}' does not exist. Zones: ${all.map((x) => `${x.zoneId} (${x.name})`).join(', ')}`);
    return z.name;
  });
}

/** TargetGroupARNs -> target group names; an ARN naming no target group (or another one's id) is AWS's error. */
export function targetGroupNames(d: AutoScalingDeps, arns: readonly string[]): string[] {
  return arns.map((arn) => {
    const p = parseArn(arn);
    const rec = p?.kind === 'targetgroup' ? d.model.get('targetGroups', p.name) : undefined;
    if (!rec || p?.kind !== 'targetgroup' || shortId(rec.id) !== p.id) {
      throw validation(`Provided Target Groups may not be valid. Please ensure they exist and try again. (${arn})`);
    }
    return rec.name;
  });
}

export function targetGroupArn(d: AutoScalingDeps, region: string, name: string): string {
  const rec = d.model.get('targetGroups', name);
  return tgArn(region, name, rec ? shortId(rec.id) : '0000000000000000');
}

/** A zone's subnet ids for VPCZoneIdentifier. */
export function subnetsOf(d: AutoScalingDeps, zones: readonly string[]): string[] {
  return zones.map((z) => d.zones.get(z).subnetId);
}
