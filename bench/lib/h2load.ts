/**
 * Runs h2load (Debian's nghttp2-client) and reads its text report. h2load's
 * duration mode (-D) in nghttp2 1.52 stops counting after its first batch,
 * so a run is a request count (-n) sized from a calibration run to last
 * about the wanted duration.
 */
import { start } from './procs.js';
import { sleep, systemClock } from '../../src/core/clock.js';
import { parseTimeMs } from './wrk.js';

export interface H2loadResult {
  requestsPerSec: number;
  seconds: number;
  requests: number;
  succeeded: number;
  /** failed + errored + timeout. */
  failed: number;
  /** 3xx + 4xx + 5xx status codes. */
  non2xx: number;
  /** "time for request" mean and max, milliseconds. */
  meanMs: number;
  maxMs: number;
  /** "Application protocol": h2 when ALPN chose it. */
  protocol: string;
  /** "TLS Protocol" and "Cipher", as h2load printed them. */
  tls: string;
}

function field(out: string, re: RegExp, what: string): RegExpExecArray {
  const m = re.exec(out);
  if (!m) throw new Error(`h2load output has no ${what}; output was:\n${out}`);
  return m;
}

export function parseH2load(out: string): H2loadResult {
  const fin = field(out, /^finished in (\S+), ([\d.]+) req\/s/m, '"finished in"');
  const req = field(out, /^requests: (\d+) total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/m, 'request counts');
  const codes = field(out, /^status codes: \d+ 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/m, 'status codes');
  const time = field(out, /^time for request:\s+(\S+)\s+(\S+)\s+(\S+)/m, '"time for request"');
  return {
    requestsPerSec: Number(fin[2]),
    seconds: parseTimeMs(fin[1]!) / 1000,
    requests: Number(req[1]),
    succeeded: Number(req[2]),
    failed: Number(req[3]) + Number(req[4]) + Number(req[5]),
    non2xx: Number(codes[1]) + Number(codes[2]) + Number(codes[3]),
    meanMs: parseTimeMs(time[3]!),
    maxMs: parseTimeMs(time[2]!),
    protocol: /^Application protocol: (\S+)/m.exec(out)?.[1] ?? 'none',
    tls: [/^TLS Protocol: (\S+)/m.exec(out)?.[1], /^Cipher: (\S+)/m.exec(out)?.[1]].filter(Boolean).join(' '),
  };
}

export interface H2loadLoad {
  /** Connections (-c). */
  clients: number;
  /** Concurrent streams per connection (-m). */
  streams: number;
  /** Requests in all (-n). */
  requests: number;
}

export function h2loadArgs(load: H2loadLoad, url: string): string[] {
  return ['-t1', `-c${load.clients}`, `-m${load.streams}`, `-n${load.requests}`, url];
}

/** One bounded h2load run: killed after limitSec, and the run fails. */
export async function runH2load(h2load: string, load: H2loadLoad, url: string, limitSec: number): Promise<H2loadResult> {
  const proc = start(h2load, h2loadArgs(load, url), { name: 'h2load' });
  const timedOut = await Promise.race([proc.exited.then(() => false), sleep(systemClock, limitSec * 1000).then(() => true)]);
  if (timedOut) {
    await proc.stop(1000);
    throw new Error(`h2load did not finish within ${limitSec}s; output:\n${proc.tail()}`);
  }
  const exit = await proc.exited;
  if (exit.code !== 0) throw new Error(`h2load ${proc.describeExit()}; output:\n${proc.tail()}`);
  return parseH2load(proc.stdout());
}
