import type { LogRead } from '../provider.js';

/** Docker's multiplexed log stream (no TTY): frames of [stream, 0, 0, 0, size BE32] + payload. */
export function demux(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts);
}

/** A window of the whole log, as the process provider's readLog answers it. */
export function logWindow(all: Buffer, o: { from?: number; maxBytes: number; complete: boolean }): LogRead {
  const from = Math.min(o.from ?? Math.max(0, all.length - o.maxBytes), all.length);
  const end = Math.min(all.length, from + o.maxBytes);
  return { text: all.subarray(from, end).toString('utf8'), from, end, complete: o.complete && end === all.length };
}
