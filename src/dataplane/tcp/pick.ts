/**
 * Which target a new network flow (TCP connection, UDP client) goes to.
 * Cross-zone load balancing off: the zones take turns (zones.ts), or with
 * source_ip stickiness the client's address picks a zone and then a target
 * in it. On: the group's balancer (or the address's hash) over all
 * candidates.
 */
import type { GroupRuntime } from '../proxy/target-sets.js';
import type { UpstreamTarget } from '../proxy/upstream.js';
import { pickBySource, pickZoneBySource } from './source-hash.js';

export function pickFlowTarget(group: GroupRuntime, o: { clientAddress: string; crossZone: boolean; avoid?: UpstreamTarget }): UpstreamTarget | undefined {
  const zonal = !o.crossZone && group.zones.length > 1;
  if (group.sourceSticky) {
    const zone = zonal ? pickZoneBySource(group.zones, o.clientAddress) : undefined;
    // The zone's only target just refused: another zone's, as a client would retry another node.
    return (zone && pickBySource(zone.members, o.clientAddress, o.avoid)) ?? pickBySource(group.candidates, o.clientAddress, o.avoid);
  }
  if (zonal) return group.zoneSpread.pick(group.zones, o.avoid) as UpstreamTarget | undefined;
  return group.balancer.pick(group.candidates, o.avoid) as UpstreamTarget | undefined;
}
