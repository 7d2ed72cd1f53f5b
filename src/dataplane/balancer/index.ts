import type { Algorithm } from '../../model/target-group.js';
import { randomInt, type Random } from '../../core/random.js';
import type { Balancer } from './balancer.js';
import { LeastOutstanding } from './least-outstanding.js';
import { RoundRobin } from './round-robin.js';
import { WeightedRandom } from './weighted-random.js';

export type { Balancer, SlowStartTarget, SlowStartWindow, Upstream } from './balancer.js';
export { RoundRobin } from './round-robin.js';
export { LeastOutstanding } from './least-outstanding.js';
export { WeightedRandom } from './weighted-random.js';

/** Rotation starts at a random offset so data-plane workers do not all begin at target 0. */
const START_RANGE = 1 << 16;

/** One balancer per (worker, target group). `random` seeds rotations' starting offsets and draws weighted_random's picks. */
export function createBalancer(algorithm: Algorithm, random: Random, o: { anomalyMitigation?: boolean } = {}): Balancer {
  const start = randomInt(random, START_RANGE);
  switch (algorithm) {
    case 'round_robin':
      return new RoundRobin(start);
    case 'least_outstanding_requests':
      return new LeastOutstanding(start);
    case 'weighted_random':
      return new WeightedRandom(random, o.anomalyMitigation === true);
    default: {
      const never: never = algorithm;
      throw new Error(`unknown load-balancing algorithm: ${String(never)}`);
    }
  }
}
