import type { Clock, Timer } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';

/**
 * While any instance boots, one timer checks every pollMs (20 ms) whether a boot
 * script exec'd its app or died (one small /proc read per booting instance), so
 * the boot/app log split lands close to the hand-over; a full refresh (which
 * also notices apps that listen) runs every tenth tick. The split is where shoal
 * noticed the boot end: a line an app prints in its first milliseconds may end
 * up in the boot log.
 */
export interface BootWatchOptions {
  clock: Clock;
  pollMs: number;
  log: Logger;
  isBooting(instanceId: string): boolean;
  handedOver(instanceId: string): boolean;
  /** Re-reads /proc and moves every instance forward (ends boots). */
  refresh(): void;
}

export class BootWatch {
  private readonly booting = new Set<string>();
  private timer: Timer | undefined;
  private tick = 0;

  constructor(private readonly opts: BootWatchOptions) {}

  add(instanceId: string): void {
    this.booting.add(instanceId);
    this.timer ??= this.opts.clock.every(this.opts.pollMs, () => this.check());
  }

  forget(instanceId: string): void {
    this.booting.delete(instanceId);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.booting.clear();
  }

  private check(): void {
    try {
      const handedOver = [...this.booting].some((id) => this.opts.handedOver(id));
      if (handedOver || ++this.tick % 10 === 0) this.opts.refresh();
    } catch (err) {
      this.opts.log.error({ err: errorMessage(err) }, 'boot check failed; will retry');
    }
    for (const id of this.booting) {
      if (!this.opts.isBooting(id)) this.booting.delete(id);
    }
    if (this.booting.size === 0) {
      this.timer?.cancel();
      this.timer = undefined;
    }
  }
}
