import type { Clock } from '../../core/clock.js';

/** Signals a whole process group; a group that is already gone is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Resolves true once isEmpty() holds, false after timeoutMs; checks every 50 ms on the clock. */
export function waitForEmptyGroup(clock: Clock, isEmpty: () => boolean, timeoutMs: number): Promise<boolean> {
  if (isEmpty()) return Promise.resolve(true);
  const deadline = clock.now() + timeoutMs;
  return new Promise((resolve) => {
    const timer = clock.every(50, () => {
      const empty = isEmpty();
      if (empty || clock.now() >= deadline) {
        timer.cancel();
        resolve(empty);
      }
    });
  });
}
