/**
 * One access log file, owned by the primary: batches from the workers
 * (dataplane/access-log/buffer.ts) are appended asynchronously, one write in
 * flight at a time, and whatever arrives meanwhile goes out together in the
 * next write. Before a write would take the file past maxBytes, the file is
 * rotated: PATH.(N-1) becomes PATH.N, ..., PATH becomes PATH.1, and a new
 * PATH is opened (maxFiles rotated files are kept; 0 keeps none). Batches are
 * whole lines, so a line is never split across files.
 *
 * A slow or full disk must not grow the daemon without bound: past
 * maxPendingBytes waiting, batches are dropped and counted (droppedBytes).
 * A failed write is logged (once until a write succeeds again), counted,
 * and the file goes on with the next batch.
 *
 * API
 *   const f = new AccessLogFile({ path, maxBytes, maxFiles, log })
 *   f.write(text)        queue a batch; never throws, never blocks
 *   await f.flush()      everything queued so far is written
 *   await f.close()      flush, then close; later writes are dropped
 */
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';

export interface AccessLogFileOptions {
  path: string;
  maxBytes: number;
  maxFiles: number;
  log: Logger;
  /** Default 64 MiB. */
  maxPendingBytes?: number;
}

export class AccessLogFile {
  writtenBytes = 0;
  droppedBytes = 0;
  rotations = 0;
  private queue: string[] = [];
  private queued = 0;
  private pumping: Promise<void> | null = null;
  private handle: FileHandle | null = null;
  private size = 0;
  private closed = false;
  private failing = false;

  constructor(private readonly o: AccessLogFileOptions) {}

  get path(): string {
    return this.o.path;
  }

  write(text: string): void {
    if (this.closed || text.length === 0) return;
    if (this.queued + text.length > (this.o.maxPendingBytes ?? 64 * 1024 * 1024)) {
      this.droppedBytes += Buffer.byteLength(text);
      return;
    }
    this.queue.push(text);
    this.queued += text.length;
    this.pumping ??= this.pump().finally(() => (this.pumping = null));
  }

  /** Resolves once everything queued before the call is on disk (written to the file). */
  async flush(): Promise<void> {
    while (this.pumping !== null) await this.pumping;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    const h = this.handle;
    this.handle = null;
    await h?.close();
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const bytes = Buffer.from(this.queue.join(''), 'utf8');
      this.queue = [];
      this.queued = 0;
      try {
        await this.append(bytes);
        this.writtenBytes += bytes.length;
        this.failing = false;
      } catch (err) {
        this.droppedBytes += bytes.length;
        if (!this.failing) this.o.log.error({ file: this.o.path, err: errorMessage(err) }, 'access log write failed; dropping lines until a write succeeds');
        this.failing = true;
        await this.reset();
      }
    }
  }

  private async append(bytes: Buffer): Promise<void> {
    // A file that is already big when opened (after a restart) rotates before its first write too.
    if (this.handle === null) await this.openFile();
    if (this.size > 0 && this.size + bytes.length > this.o.maxBytes) await this.rotate();
    await this.handle!.write(bytes, 0, bytes.length);
    this.size += bytes.length;
  }

  private async openFile(): Promise<void> {
    await mkdir(dirname(this.o.path), { recursive: true });
    const h = await open(this.o.path, 'a', 0o640);
    this.size = (await h.stat()).size;
    this.handle = h;
  }

  private async rotate(): Promise<void> {
    await this.reset();
    const p = this.o.path;
    const n = this.o.maxFiles;
    if (n === 0) await rm(p, { force: true });
    else {
      for (let i = n - 1; i >= 1; i--) await rename(`${p}.${i}`, `${p}.${i + 1}`).catch(ignoreMissing);
      await rename(p, `${p}.1`).catch(ignoreMissing);
    }
    this.rotations++;
    await this.openFile();
  }

  /** Closes the handle (a failed one too); the next write opens the file again. */
  private async reset(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    this.size = 0;
    await h?.close().catch(() => undefined);
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}
