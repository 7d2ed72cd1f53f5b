/**
 * Rounds: each proxy runs once per round, proxies interleaved, so a burst of
 * noise from the neighbours hits one round of everyone rather than all rounds
 * of one proxy. The report shows the median over rounds.
 */
import type { WrkResult } from './wrk.js';

export interface RoundMeasurement {
  proxy: string;
  scenario: string;
  round: number;
  result?: WrkResult;
  error?: string;
  /** Something a client would have noticed before the load ran (see checkPath in run.ts). */
  warning?: string;
}

export interface Aggregate {
  proxy: string;
  scenario: string;
  /** Field-wise median over the rounds that succeeded; error counts are summed. */
  result?: WrkResult;
  rounds: number;
  failedRounds: number;
  /** (max - min) / median of req/s over the rounds: how noisy this row was. */
  spread: number;
  /** The first error seen, if every round failed or some did. */
  error?: string;
  /** Warnings of all rounds, with their round number. */
  warnings: string[];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function combine(rs: readonly WrkResult[]): WrkResult {
  const med = (f: (r: WrkResult) => number): number => median(rs.map(f));
  const sum = (f: (r: WrkResult) => number): number => rs.reduce((a, r) => a + f(r), 0);
  return {
    requestsPerSec: med((r) => r.requestsPerSec),
    p50Ms: med((r) => r.p50Ms),
    p99Ms: med((r) => r.p99Ms),
    transferBytesPerSec: med((r) => r.transferBytesPerSec),
    requests: sum((r) => r.requests),
    non2xx: sum((r) => r.non2xx),
    socketErrors: sum((r) => r.socketErrors),
  };
}

/** One Aggregate per (proxy, scenario), in first-seen order. */
export function aggregate(ms: readonly RoundMeasurement[]): Aggregate[] {
  const groups = new Map<string, RoundMeasurement[]>();
  for (const m of ms) {
    const key = `${m.proxy}\u0000${m.scenario}`;
    const g = groups.get(key);
    if (g) g.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.values()].map((g) => {
    const ok = g.flatMap((m) => (m.result ? [m.result] : []));
    const rps = ok.map((r) => r.requestsPerSec);
    const failed = g.filter((m) => !m.result);
    return {
      proxy: g[0]!.proxy,
      scenario: g[0]!.scenario,
      result: ok.length ? combine(ok) : undefined,
      rounds: g.length,
      failedRounds: failed.length,
      spread: ok.length > 1 ? (Math.max(...rps) - Math.min(...rps)) / median(rps) : 0,
      error: failed[0]?.error,
      warnings: g.flatMap((m) => (m.warning ? [`round ${m.round}: ${m.warning}`] : [])),
    };
  });
}
