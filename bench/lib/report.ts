/**
 * Turns measurements into the bench's tables. The headline is the ratio to
 * nginx measured in the same run: absolute numbers move with the machine and
 * its neighbours, ratios much less.
 */
import type { Aggregate } from './stats.js';
import type { WrkResult } from './wrk.js';

export const REFERENCE = 'nginx';
/** The targets for shoal, relative to nginx in the same run. */
export const TARGETS = { minThroughputRatio: 0.6, maxP99Ratio: 1.5 };

export interface Scenario {
  name: string;
  /** Request path; backends serve it. */
  path: string;
  bodyBytes: number;
  durationSec: number;
  warmupSec: number;
}

export interface Ratios {
  throughput: number;
  p99: number;
  throughputMet: boolean;
  p99Met: boolean;
}

export function ratios(m: WrkResult, ref: WrkResult): Ratios {
  const throughput = m.requestsPerSec / ref.requestsPerSec;
  const p99 = m.p99Ms / ref.p99Ms;
  return {
    throughput,
    p99,
    throughputMet: throughput >= TARGETS.minThroughputRatio,
    p99Met: p99 <= TARGETS.maxP99Ratio,
  };
}

const fixed = (n: number, digits: number): string => n.toFixed(digits);
const times = (n: number): string => `${n.toFixed(2)}×`;
const metText = (ok: boolean): string => (ok ? 'met' : 'NOT met');

function errorsText(a: Aggregate, r: WrkResult): string {
  const parts: string[] = [];
  if (a.failedRounds > 0) parts.push(`${a.failedRounds}/${a.rounds} rounds failed`);
  if (a.warnings.length > 0) parts.push(`${a.warnings.length} warning(s)`);
  if (r.non2xx > 0) parts.push(`${r.non2xx} non-2xx`);
  if (r.socketErrors > 0) parts.push(`${r.socketErrors} socket`);
  return parts.length ? parts.join(', ') : '0';
}

const HEADER = ['proxy', 'req/s', '± spread', 'p50 ms', 'p99 ms', 'MB/s', 'req/s ÷ nginx', 'p99 ÷ nginx', 'errors', 'targets'];

function row(m: Aggregate, ref: WrkResult | undefined): string[] {
  if (!m.result) return [m.proxy, 'failed', '', '', '', '', '', '', '', firstLine(m.error)];
  const r = m.result;
  const cells = [
    m.proxy,
    fixed(r.requestsPerSec, 0),
    m.rounds > 1 ? `${Math.round(m.spread * 100)}%` : '',
    fixed(r.p50Ms, 2),
    fixed(r.p99Ms, 2),
    fixed(r.transferBytesPerSec / 1024 / 1024, 1),
  ];
  if (!ref) return [...cells, 'n/a', 'n/a', errorsText(m, r), 'no nginx result'];
  const q = ratios(r, ref);
  const targets = m.proxy === REFERENCE ? 'reference' : `req/s ${metText(q.throughputMet)}, p99 ${metText(q.p99Met)}`;
  return [...cells, times(q.throughput), times(q.p99), errorsText(m, r), targets];
}

/** The summary line of an error, short enough for a table cell. */
function firstLine(text: string | undefined, max = 100): string {
  const line = (text ?? 'unknown error').split('\n')[0]!.replace(/\|/g, '\\|');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A markdown table, padded so it also reads as plain text on a terminal. */
export function markdownTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]): string => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

export function scenarioTable(scenario: Scenario, ms: readonly Aggregate[]): string {
  const mine = ms.filter((m) => m.scenario === scenario.name);
  const ref = mine.find((m) => m.proxy === REFERENCE)?.result;
  const table = markdownTable([HEADER, ...mine.map((m) => row(m, ref))]);
  const notes = mine.flatMap((m) => m.warnings.map((w) => `- warning, ${m.proxy} ${w}`));
  return notes.length ? `${table}\n\n${notes.join('\n')}` : table;
}

/** One line per proxy and scenario: the ratios to nginx and whether the targets hold. */
export function headlines(scenarios: readonly Scenario[], ms: readonly Aggregate[]): string[] {
  const lines: string[] = [];
  for (const s of scenarios) {
    const ref = ms.find((m) => m.scenario === s.name && m.proxy === REFERENCE)?.result;
    for (const m of ms) {
      if (m.scenario !== s.name || m.proxy === REFERENCE) continue;
      if (!m.result) {
        lines.push(`${m.proxy} / ${s.name}: failed: ${firstLine(m.error, 400)}`);
        continue;
      }
      if (!ref) {
        lines.push(`${m.proxy} / ${s.name}: no ratio (nginx did not run or failed)`);
        continue;
      }
      const q = ratios(m.result, ref);
      lines.push(
        `${m.proxy} / ${s.name}: throughput ${times(q.throughput)} nginx ` +
          `(target ≥ ${TARGETS.minThroughputRatio}×: ${metText(q.throughputMet)}), ` +
          `p99 ${times(q.p99)} nginx (target ≤ ${TARGETS.maxP99Ratio}×: ${metText(q.p99Met)})`,
      );
    }
  }
  return lines;
}

export interface RunShape {
  connections: number;
  rounds: number;
}

export function describeScenario(s: Scenario, shape: RunShape): string {
  const body = s.bodyBytes >= 1024 ? `${s.bodyBytes / 1024} KiB` : `${s.bodyBytes} B`;
  const rounds = shape.rounds > 1 ? `, median of ${shape.rounds} rounds` : '';
  return `${s.name}: GET ${s.path} (${body} body), ${shape.connections} connections, ${s.durationSec}s after ${s.warmupSec}s warm-up${rounds}`;
}

/** The full report: per scenario a table, then the headline ratios. */
export function renderReport(scenarios: readonly Scenario[], ms: readonly Aggregate[], shape: RunShape): string {
  const parts: string[] = [];
  for (const s of scenarios) {
    parts.push(`#### ${describeScenario(s, shape)}`, '', scenarioTable(s, ms), '');
  }
  const heads = headlines(scenarios, ms);
  if (heads.length) parts.push('#### Ratios to nginx (the headline)', '', ...heads.map((h) => `- ${h}`), '');
  return parts.join('\n');
}
