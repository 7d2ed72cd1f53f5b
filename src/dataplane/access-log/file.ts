/**
 * A worker's end of one access log file: lines are copied into a chunk
 * (a Buffer of CHUNK_BYTES), a full chunk is written to the file with one
 * asynchronous write (libuv's thread pool: the event loop never waits on
 * the disk), one write in flight at a time; what fills meanwhile waits in
 * line. Every worker appends to the same file (O_APPEND: each write lands
 * whole at the end, so batches of whole lines never interleave).
 *
 * Rotation belongs to the primary (controlplane/access-logs/): the file's
 * size is read (fstat) after the first write to it, then after each MiB
 * this writer writes or sooner when the size could be near maxBytes (the
 * size last read plus twice what was written since), and once it reaches
 * maxBytes the writer says so, once per open file (onFull, with the file's
 * inode); with several workers a file can pass maxBytes by about a MiB per
 * worker before it is rotated. The
 * primary renames the files and tells every worker to reopen(): the next
 * write opens the path again, a new file. Lines written between the rename
 * and the reopen go to the renamed file, as with nginx and logrotate.
 *
 * A slow or full disk must not grow the worker without bound: past
 * maxPendingBytes waiting, chunks are dropped and counted. A failed write
 * is reported (onError, once until a write succeeds again), counted, and
 * the file is opened again for the next chunk.
 *
 * API
 *   const f = new LogFileWriter({ path, maxBytes, onFull, onError })
 *   f.append(line)      copy a line in; never throws, never blocks
 *   buf = f.reserve(n)  room for n bytes in the chunk in progress: write them
 *                       into buf from f.used, then f.commit(end)
 *   f.flush()           the chunk in progress leaves now (the sweep, once a second)
 *   f.reopen()          the path was rotated: later chunks go to a new file
 *   await f.idle()      nothing waits or is being written
 *   await f.close()     everything appended is written, then the file is closed
 *   f.takeCounts()      bytes written and dropped since the last call
 */
import { close as fsClose, fstat, open, write, mkdir } from 'node:fs';
import { dirname } from 'node:path';

export const CHUNK_BYTES = 64 * 1024;
/** The size is read at least this often (bytes written by this writer). */
const STAT_EVERY_BYTES = 1024 * 1024;
/** Written chunks kept for reuse (a new 64 KiB buffer per chunk is external memory the GC has to catch up with). */
const SPARE_CHUNKS = 2;

export interface LogFileWriterOptions {
  path: string;
  /** The size at which the primary should rotate the file. */
  maxBytes: number;
  /** The open file (its inode) reached maxBytes. */
  onFull(ino: number): void;
  onError(message: string): void;
  /** Default 16 MiB. */
  maxPendingBytes?: number;
}

export class LogFileWriter {
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private readonly spare: Buffer[] = [];
  /** Bytes in the chunk in progress. */
  used = 0;
  private readonly waiting: Buffer[] = [];
  private waitingBytes = 0;
  private fd = -1;
  /** The open file reached maxBytes and the primary was told. */
  private reported = false;
  /** The open file's size when last read, and what this writer wrote since (-1: read after the next write). */
  private lastSize = 0;
  private sinceStat = -1;
  private reopenWanted = false;
  private writing = false;
  private failing = false;
  private closed = false;
  private wakeIdle: (() => void)[] = [];
  private written = 0;
  private dropped = 0;

  constructor(private readonly o: LogFileWriterOptions) {}

  get path(): string {
    return this.o.path;
  }

  append(line: string): void {
    if (this.closed) return;
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (this.used + line.length * 3 > CHUNK_BYTES) {
      this.flush();
      if (line.length * 3 > CHUNK_BYTES) {
        this.enqueue(Buffer.from(line, 'utf8'));
        return;
      }
    }
    this.used += this.chunk.write(line, this.used, 'utf8');
  }

  /** Room for `bytes` more in the chunk in progress (a buffer of its own for a line longer than a chunk). */
  reserve(bytes: number): Buffer {
    if (this.used + bytes > this.chunk.length) {
      this.flush();
      if (bytes > CHUNK_BYTES) this.chunk = Buffer.allocUnsafe(bytes);
    }
    return this.chunk;
  }

  /** The bytes reserve()d were written up to `end`. */
  commit(end: number): void {
    if (this.closed) return;
    this.used = end;
    if (this.chunk.length > CHUNK_BYTES) this.flush();
  }

  flush(): void {
    if (this.used === 0) return;
    const full = this.chunk.subarray(0, this.used);
    this.chunk = this.spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    this.enqueue(full);
  }

  reopen(): void {
    this.reopenWanted = true;
  }

  /** Resolves once no chunk waits or is being written. */
  async idle(): Promise<void> {
    if (this.writing) await new Promise<void>((resolve) => this.wakeIdle.push(resolve));
  }

  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    await this.idle();
    this.release();
  }

  takeCounts(): { writtenBytes: number; droppedBytes: number } {
    const counts = { writtenBytes: this.written, droppedBytes: this.dropped };
    this.written = this.dropped = 0;
    return counts;
  }

  private enqueue(bytes: Buffer): void {
    if (this.waitingBytes + bytes.length > (this.o.maxPendingBytes ?? 16 * 1024 * 1024)) {
      this.dropped += bytes.length;
      return;
    }
    this.waiting.push(bytes);
    this.waitingBytes += bytes.length;
    if (!this.writing) this.next();
  }

  /** Writes the next waiting chunk (opening the file first where needed); when none waits, wakes idle(). */
  private next(): void {
    const bytes = this.waiting.shift();
    if (bytes === undefined) {
      this.writing = false;
      for (const wake of this.wakeIdle.splice(0)) wake();
      return;
    }
    this.waitingBytes -= bytes.length;
    this.writing = true;
    if (this.reopenWanted) {
      this.reopenWanted = false;
      this.release();
    }
    if (this.fd >= 0) return this.writeTo(this.fd, bytes);
    mkdir(dirname(this.o.path), { recursive: true }, () =>
      open(this.o.path, 'a', 0o640, (err, fd) => {
        if (err) return this.failed(bytes, err);
        this.fd = fd;
        this.reported = false;
        this.sinceStat = -1;
        this.writeTo(fd, bytes);
      }),
    );
  }

  private writeTo(fd: number, bytes: Buffer): void {
    write(fd, bytes, 0, bytes.length, null, (err) => {
      this.recycle(bytes);
      if (err) return this.failed(bytes, err);
      this.written += bytes.length;
      this.failing = false;
      if (this.reported || !this.sizeDue(bytes.length)) return this.next();
      fstat(fd, (statErr, st) => {
        if (!statErr && fd === this.fd) {
          this.lastSize = st.size;
          this.sinceStat = 0;
          if (st.size >= this.o.maxBytes) {
            this.reported = true;
            this.o.onFull(st.ino);
          }
        }
        this.next();
      });
    });
  }

  /** Counts a write; whether the file's size should be read now. */
  private sizeDue(wrote: number): boolean {
    if (this.sinceStat < 0) return true;
    this.sinceStat += wrote;
    return this.sinceStat >= STAT_EVERY_BYTES || this.lastSize + this.sinceStat * 2 >= this.o.maxBytes;
  }

  /** A written chunk's buffer goes back for reuse (its bytes are no longer needed). */
  private recycle(bytes: Buffer): void {
    if (bytes.byteOffset === 0 && bytes.buffer.byteLength === CHUNK_BYTES && this.spare.length < SPARE_CHUNKS) {
      this.spare.push(Buffer.from(bytes.buffer, 0, CHUNK_BYTES));
    }
  }

  private failed(bytes: Buffer, err: NodeJS.ErrnoException): void {
    this.dropped += bytes.length;
    if (!this.failing) this.o.onError(`${this.o.path}: ${err.message}`);
    this.failing = true;
    this.release();
    this.next();
  }

  /** Closes the open file (a failed one too); the next chunk opens the path again. */
  private release(): void {
    if (this.fd < 0) return;
    fsClose(this.fd, () => undefined);
    this.fd = -1;
  }
}
