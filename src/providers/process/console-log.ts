import { closeSync, openSync, readSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogName, LogRead } from '../provider.js';
import type { InstanceMeta } from './meta.js';

/**
 * An instance's console: the one file its processes write stdout and stderr to
 * (`console.log`, opened O_APPEND and passed as their stdio, so no pipe ties them
 * to the daemon). The boot log and the app log are two windows on that byte
 * stream, split at `meta.bootEnd`:
 *
 *   boot log = stream [0, bootEnd)   — also saved as boot.log when boot ends
 *   app log  = stream [bootEnd, ...)  — empty while the boot script runs
 *
 * Size cap ("copytruncate" with one generation): when console.log grows past
 * half the cap, its tail is copied to console.log.1 and it is truncated, so the
 * two files hold at most the cap. Bytes written between the copy and the truncate are
 * lost (the same window logrotate's copytruncate has). Offsets in the stream
 * keep growing, so readers continue across rotation.
 */

export const CONSOLE = 'console.log';
export const PREVIOUS = 'console.log.1';
export const BOOT_LOG = 'boot.log';

function size(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function readAt(path: string, position: number, length: number): Buffer {
  if (length <= 0) return Buffer.alloc(0);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, position);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Stream offset one past the last byte written so far. */
export function streamEnd(dir: string, meta: InstanceMeta): number {
  return meta.console.base + meta.console.previousLength + size(join(dir, CONSOLE));
}

/**
 * Rotates when console.log exceeds capBytes / 2: its last capBytes / 2 bytes go
 * to console.log.1 and it is truncated. Called on every refresh (at least once a
 * second through sample()), so the files exceed the cap only between refreshes.
 * Mutates meta.console; returns whether it rotated.
 */
export function rotateIfNeeded(dir: string, meta: InstanceMeta, capBytes: number): boolean {
  const live = join(dir, CONSOLE);
  const length = size(live);
  const keep = Math.floor(capBytes / 2);
  if (length <= keep) return false;
  const tail = readAt(live, length - keep, keep);
  writeFileSync(join(dir, PREVIOUS), tail);
  truncateSync(live, 0);
  meta.console.base += meta.console.previousLength + length - tail.length;
  meta.console.previousLength = tail.length;
  return true;
}

/** Reads stream bytes [from, to) from console.log.1 and console.log; older bytes are gone. */
function readStream(dir: string, meta: InstanceMeta, from: number, to: number): { bytes: Buffer; from: number } {
  const { base, previousLength } = meta.console;
  const start = Math.max(from, base);
  const parts: Buffer[] = [];
  const liveStart = base + previousLength;
  if (start < liveStart) {
    parts.push(readAt(join(dir, PREVIOUS), start - base, Math.min(to, liveStart) - start));
  }
  if (to > liveStart) {
    const s = Math.max(start, liveStart);
    parts.push(readAt(join(dir, CONSOLE), s - liveStart, to - s));
  }
  return { bytes: Buffer.concat(parts), from: start };
}

/** Freezes the boot output into boot.log (called once, when boot ends at `bootEnd`). */
export function saveBootLog(dir: string, meta: InstanceMeta, bootEnd: number): void {
  const { bytes, from } = readStream(dir, meta, 0, bootEnd);
  writeFileSync(join(dir, BOOT_LOG), bytes);
  meta.console.bootLogStart = from;
}

/** Drops a trailing incomplete UTF-8 sequence so a reader never splits a character. */
function wholeChars(bytes: Buffer): Buffer {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? bytes.subarray(0, bytes.length - back) : bytes;
  }
  return bytes;
}

export interface ReadWindow {
  from?: number;
  maxBytes: number;
  /** The instance has no process left: the app log will not grow. */
  ended: boolean;
}

export function readLogWindow(dir: string, meta: InstanceMeta, which: LogName, w: ReadWindow): LogRead {
  const end = streamEnd(dir, meta);
  const bootDone = meta.bootEnd !== undefined;
  const lo = which === 'boot' ? 0 : (meta.bootEnd ?? end);
  const hi = which === 'boot' ? (meta.bootEnd ?? end) : end;
  const complete = which === 'boot' ? bootDone : w.ended;
  const fromBootLog = which === 'boot' && bootDone && meta.console.bootLogStart !== undefined;
  // Bytes before `oldest` were rotated away: a reader that fell behind skips ahead.
  const oldest = Math.max(lo, fromBootLog ? meta.console.bootLogStart! : meta.console.base);
  const from = Math.min(hi, Math.max(oldest, w.from ?? hi - w.maxBytes));
  const to = Math.min(hi, from + w.maxBytes);
  const got = fromBootLog
    ? { bytes: readAt(join(dir, BOOT_LOG), from - meta.console.bootLogStart!, to - from), from }
    : readStream(dir, meta, from, to);
  const bytes = wholeChars(got.bytes);
  const next = got.from + bytes.length;
  return { text: bytes.toString('utf8'), from: got.from, end: next, complete: complete && next >= hi };
}
