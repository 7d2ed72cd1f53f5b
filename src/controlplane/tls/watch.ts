/**
 * Watches certificate files for renewals (certbot, `shoal cert`, a deploy
 * copying new files) and calls `changed` once a burst of writes has settled.
 * Watches each file's directory, not the file: renewals often replace the
 * file (rename over it), which a watch on the old inode would miss. The
 * debounce runs on the injected clock, so tests drive it with a ManualClock.
 *
 * API
 *   new CertificateWatch({ clock, changed, debounceMs? })
 *   watch.watch(files)   set the watched files (absolute paths); cheap when unchanged
 *   watch.poke(file)     what an fs event calls (tests call it directly)
 *   watch.close()
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Clock, Timer } from '../../core/clock.js';

export interface CertificateWatchOptions {
  clock: Clock;
  changed: () => void;
  /** Quiet time after the last event before `changed` runs; default 500 ms (a cert and its key are written one after the other). */
  debounceMs?: number;
}

export class CertificateWatch {
  private files = new Set<string>();
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: Timer | null = null;

  constructor(private readonly o: CertificateWatchOptions) {}

  watch(files: readonly string[]): void {
    this.files = new Set(files);
    const dirs = new Set(files.map((f) => dirname(f)));
    for (const [dir, w] of this.watchers) {
      if (!dirs.has(dir)) {
        w.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of dirs) if (!this.watchers.has(dir)) this.watchDir(dir);
  }

  private watchDir(dir: string): void {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        if (name !== null) this.poke(join(dir, basename(String(name))));
      });
      w.on('error', () => {
        w.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, w);
    } catch {
      // A directory that does not exist (yet): the config check reports the file; nothing to watch.
    }
  }

  poke(file: string): void {
    if (!this.files.has(file)) return;
    this.timer?.cancel();
    this.timer = this.o.clock.after(this.o.debounceMs ?? 500, () => {
      this.timer = null;
      this.o.changed();
    });
  }

  close(): void {
    this.timer?.cancel();
    this.timer = null;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
