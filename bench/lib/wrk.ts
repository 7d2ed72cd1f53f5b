/** Runs wrk and reads its text report (wrk 4.x with --latency). */
import { start } from './procs.js';
import { sleep, systemClock } from '../../src/core/clock.js';

export interface WrkResult {
  requestsPerSec: number;
  /** From "Latency Distribution", in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  transferBytesPerSec: number;
  requests: number;
  /** "Non-2xx or 3xx responses"; 0 when wrk does not print the line. */
  non2xx: number;
  /** connect + read + write + timeout from "Socket errors"; 0 when absent. */
  socketErrors: number;
}

const TIME_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const BYTES: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** "850.00us" | "1.20ms" | "2.00s" | "1.00m" -> milliseconds. */
export function parseTimeMs(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: cannot read time "${text}"`);
  return Number(m[1]) * TIME_MS[m[2]!]!;
}

/** "10.00MB" | "512.00KB" | "800B" -> bytes (wrk uses 1024-based units). */
export function parseBytes(text: string): number {
  const m = /^([\d.]+)(B|KB|MB|GB|TB)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: cannot read size "${text}"`);
  return Number(m[1]) * BYTES[m[2]!]!;
}

function field(out: string, re: RegExp, what: string): string {
  const m = re.exec(out);
  if (!m) throw new Error(`wrk output has no ${what}; output was:\n${out}`);
  return m[1]!;
}

export function parseWrk(out: string): WrkResult {
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  return {
    requestsPerSec: Number(field(out, /^Requests\/sec:\s+([\d.]+)/m, '"Requests/sec"')),
    p50Ms: parseTimeMs(field(out, /^\s*50%\s+(\S+)/m, 'latency 50% (run with --latency)')),
    p99Ms: parseTimeMs(field(out, /^\s*99%\s+(\S+)/m, 'latency 99% (run with --latency)')),
    transferBytesPerSec: parseBytes(field(out, /^Transfer\/sec:\s+(\S+)/m, '"Transfer/sec"')),
    requests: Number(field(out, /^\s*(\d+) requests in /m, 'request count')),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket ? socket.slice(1, 5).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

export interface WrkLoad {
  threads: number;
  connections: number;
  durationSec: number;
  /** Request headers ("Connection: close": a new connection, and over TLS a full handshake, per request). */
  headers?: readonly string[];
}

export function wrkArgs(load: WrkLoad, url: string): string[] {
  const headers = (load.headers ?? []).flatMap((h) => ['-H', h]);
  return [`-t${load.threads}`, `-c${load.connections}`, `-d${load.durationSec}s`, ...headers, '--latency', url];
}

/**
 * One bounded wrk run. wrk stops itself after durationSec; if it does not, it is
 * killed 15 s later and the run fails.
 */
export async function runWrk(wrk: string, load: WrkLoad, url: string): Promise<WrkResult> {
  const proc = start(wrk, wrkArgs(load, url), { name: 'wrk' });
  const limitMs = (load.durationSec + 15) * 1000;
  const timedOut = await Promise.race([
    proc.exited.then(() => false),
    sleep(systemClock, limitMs).then(() => true),
  ]);
  if (timedOut) {
    await proc.stop(1000);
    throw new Error(`wrk did not finish within ${limitMs / 1000}s; output:\n${proc.tail()}`);
  }
  const exit = await proc.exited;
  if (exit.code !== 0) throw new Error(`wrk ${proc.describeExit()}; output:\n${proc.tail()}`);
  return parseWrk(proc.stdout());
}
