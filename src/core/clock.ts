/**
 * Time, injected. Nothing outside this module (and random.ts) may call Date.now,
 * setTimeout or setInterval (style.md rule 3): controllers, health checkers and
 * timeouts take a Clock so tests drive them with a ManualClock instead of sleeping.
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs fn once after ms. */
  after(ms: number, fn: () => void): Timer;
  /** Runs fn every ms until cancelled. */
  every(ms: number, fn: () => void): Timer;
}

/** The real clock. Timers are unref'd so they never keep a process alive by themselves. */
export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return { cancel: () => clearInterval(t) };
  },
};

/**
 * Monotonic milliseconds with sub-millisecond resolution, for measuring short
 * durations on the data plane's hot path (target response times).
 */
export const monotonicNow = (): number => performance.now();

/**
 * Holds the event loop open until released. systemClock's timers are unref'd,
 * so a short-lived command (the CLI) that waits only on them would otherwise
 * exit before they fire.
 */
export function holdProcess(): () => void {
  const t = setInterval(() => {}, 60_000);
  return () => clearInterval(t);
}

/** Promise that resolves after ms on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.after(ms, resolve));
}

interface Scheduled {
  at: number;
  seq: number;
  fn: () => void;
  period: number | null;
  cancelled: boolean;
}

/** A clock that only moves when told to. Timers fire in time order during advance(). */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private queue: Scheduled[] = [];

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): Timer {
    return this.schedule(ms, fn, null);
  }

  every(ms: number, fn: () => void): Timer {
    return this.schedule(ms, fn, Math.max(1, ms));
  }

  /** Moves time forward by ms, firing every timer due on the way, in order. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const next = this.nextDue(end);
      if (!next) break;
      this.current = next.at;
      if (next.period !== null) {
        next.at += next.period;
      } else {
        next.cancelled = true;
      }
      next.fn();
    }
    this.current = end;
    this.queue = this.queue.filter((s) => !s.cancelled);
  }

  /** Number of timers still scheduled (for tests that check cleanup). */
  pending(): number {
    return this.queue.filter((s) => !s.cancelled).length;
  }

  private schedule(ms: number, fn: () => void, period: number | null): Timer {
    const s: Scheduled = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, period, cancelled: false };
    this.queue.push(s);
    return { cancel: () => { s.cancelled = true; } };
  }

  private nextDue(end: number): Scheduled | undefined {
    let best: Scheduled | undefined;
    for (const s of this.queue) {
      if (s.cancelled || s.at > end) continue;
      if (!best || s.at < best.at || (s.at === best.at && s.seq < best.seq)) best = s;
    }
    return best;
  }
}
