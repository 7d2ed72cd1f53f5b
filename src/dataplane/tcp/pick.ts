/**
 * Which target a new network flow (TCP connection, UDP client) goes to:
 * source_ip stickiness hashes the client's address over every candidate;
 * else with cross-zone load balancing off the zones take turns (zones.ts),
 * and with it on the group's balancer picks over all candidates.
 */
import type { GroupRuntime } from '../proxy/target-sets.js';
import type { UpstreamTarget } from '../proxy/upstream.js';
import { pickBySource } from './source-hash.js';

export function pickFlowTarget(group: GroupRuntime, o: { clientAddress: string; crossZone: boolean; avoid?: UpstreamTarget }): UpstreamTarget | undefined {
  if (group.sourceSticky) return pickBySource(group.candidates, o.clientAddress, o.avoid);
  if (!o.crossZone && group.zones.length > 1) return group.zoneSpread.pick(group.zones, o.avoid) as UpstreamTarget | undefined;
  return group.balancer.pick(group.candidates, o.avoid) as UpstreamTarget | undefined;
}
