/**
 * Availability zones and their subnets, as the AWS API shows them: every zone
 * shoal runs instances in has one subnet, its loopback /24 (127.0.<index+1>.0/24,
 * the process provider's addresses), in one VPC (127.0.0.0/16). Zone names are
 * free-form (the config's availabilityZones); zone-a, zone-b and zone-c exist
 * from the start so a new user's describe-subnets lists something to use.
 * A zone's index is assigned once, on first use, and kept in the store: the
 * same name is the same subnet forever on this state dir.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../store/index.js';

export const ZONE_KIND = 'zone';
export const DEFAULT_ZONES = ['zone-a', 'zone-b', 'zone-c'] as const;
export const VPC_ID = `vpc-${hex17('shoal-vpc')}`;
export const VPC_CIDR = '127.0.0.0/16';

export interface ZoneInfo {
  name: string;
  index: number;
  /** AWS's zone id form, e.g. "shoal-az1". */
  zoneId: string;
  subnetId: string;
  cidr: string;
}

export class Zones {
  constructor(private readonly store: Store) {}

  /** The zone's subnet index, assigned on first use. */
  index(zone: string): number {
    const known = this.store.getDoc<{ index: number }>(ZONE_KIND, zone)?.value;
    if (known) return known.index;
    const index = this.store.listDocs<{ index: number }>(ZONE_KIND).length;
    this.store.putDoc(ZONE_KIND, zone, { index });
    return index;
  }

  /** Every zone: the defaults, those used so far, and `also` (e.g. zones the config names); by index. */
  list(also: readonly string[] = []): ZoneInfo[] {
    for (const z of [...DEFAULT_ZONES, ...also]) this.index(z);
    return this.store.listDocs<{ index: number }>(ZONE_KIND)
      .map((d) => info(d.id, d.value.index))
      .sort((a, b) => a.index - b.index);
  }

  get(zone: string): ZoneInfo {
    return info(zone, this.index(zone));
  }

  /** The zone of a subnet id, or undefined. */
  bySubnet(subnetId: string, also: readonly string[] = []): ZoneInfo | undefined {
    return this.list(also).find((z) => z.subnetId === subnetId);
  }
}

function info(name: string, index: number): ZoneInfo {
  return { name, index, zoneId: `shoal-az${index + 1}`, subnetId: `subnet-${hex17(`zone:${name}`)}`, cidr: `127.0.${index + 1}.0/24` };
}

function hex17(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 17);
}
