/**
 * Wall-clock times for access log entries without a clock read per request:
 * epoch milliseconds = the wall time at the last rebase + the monotonic time
 * elapsed since. The worker rebases once a second (its sweep), so a wall
 * clock step shows within a second and entries keep sub-millisecond order.
 */
import type { Clock } from '../../core/clock.js';

export class WallClock {
  private baseWall = 0;
  private baseHr = 0;

  constructor(private readonly clock: Clock, private readonly hrnow: () => number) {
    this.rebase();
  }

  rebase(): void {
    this.baseWall = this.clock.now();
    this.baseHr = this.hrnow();
  }

  /** Epoch milliseconds (fractional) of a monotonic time from hrnow. */
  wall(hr: number): number {
    return this.baseWall + (hr - this.baseHr);
  }
}
