/**
 * Read buffers for a socket's `onread`: each read gets the unused tail of a
 * slab, and the bytes it filled are never handed out again, so a chunk can be
 * kept (queued in a write, held as a partial head) for as long as needed. A new
 * slab is allocated when the tail gets short: one allocation per many small
 * reads instead of one per read.
 *
 * Contract: next() then commit() alternate, as net.Socket's onread calls them.
 */
const SLAB_BYTES = 64 * 1024;
const MIN_READ = 16 * 1024;

export class ReadSlab {
  private slab = new ArrayBuffer(0);
  private offset = 0;

  /** Where the next read may write. */
  next(): Buffer {
    if (this.slab.byteLength - this.offset < MIN_READ) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES).buffer;
      this.offset = 0;
    }
    return Buffer.from(this.slab, this.offset);
  }

  /**
   * The read filled the first n bytes of the last next(): returns them and
   * reserves them for good. Views are made from the slab's ArrayBuffer, held
   * here, because reading a view's `.buffer` is a slow call into V8.
   */
  commit(n: number): Buffer {
    const chunk = Buffer.from(this.slab, this.offset, n);
    this.offset += (n + 7) & ~7;
    return chunk;
  }
}
