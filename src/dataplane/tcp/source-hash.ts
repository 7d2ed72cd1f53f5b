/**
 * source_ip stickiness (NLB's "IP hash"): the same client address goes to
 * the same target while that target is a candidate. Rendezvous hashing
 * (highest score of hash(client, target) wins), so when a target leaves
 * only its own clients move, and they spread over the rest; a target that
 * joins takes a fair share and nothing else moves. Per new connection;
 * no state.
 */
import type { Upstream } from '../balancer/balancer.js';
import type { Zone } from './zones.js';

export function pickBySource<T extends Upstream>(candidates: readonly T[], clientAddress: string, avoid?: Upstream): T | undefined {
  return rendezvous(candidates, (c) => c.key, fnv1a(clientAddress, 0x811c9dc5), avoid?.key);
}

/**
 * Cross-zone off: the zone a client address sticks to (as the one LB node a
 * client's DNS answer names on AWS), by the same hashing over zone names, so
 * clients spread evenly over zones and a zone that leaves moves only its own.
 */
export function pickZoneBySource<T extends Upstream>(zones: readonly Zone<T>[], clientAddress: string): Zone<T> | undefined {
  return rendezvous(zones, (z) => z.name, fnv1a(clientAddress, 0x01000193));
}

function rendezvous<T>(items: readonly T[], keyOf: (item: T) => string, seed: number, skip?: string): T | undefined {
  let best: T | undefined;
  let bestScore = -1;
  for (const item of items) {
    const key = keyOf(item);
    if (key === skip) continue;
    const score = mix(fnv1a(key, seed));
    if (score > bestScore) {
      best = item;
      bestScore = score;
    }
  }
  return best;
}

function fnv1a(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A final avalanche (murmur3's fmix32): FNV alone scores similar keys alike. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
