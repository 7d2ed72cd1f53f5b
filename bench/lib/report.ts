/**
 * Turns measurements into the bench's tables. The headline is the ratio to
 * the reference proxy (nginx; HAProxy in TCP mode for the tcp suite) measured
 * in the same run: absolute numbers move with the machine and its neighbours,
 * ratios much less.
 */
import type { Aggregate, RoundMeasurement } from './stats.js';
import type { WrkResult } from './wrk.js';

export const REFERENCE = 'nginx';
/** The issue's targets for shoal, relative to nginx in the same run. */
export const TARGETS = { minThroughputRatio: 0.6, maxP99Ratio: 1.5 };

export interface Target {
  minThroughputRatio: number;
  /** Unset: the scenario sets no p99 goal. */
  maxP99Ratio?: number;
}

export interface Scenario {
  name: string;
  /** Request path; backends serve it. */
  path: string;
  bodyBytes: number;
  durationSec: number;
  warmupSec: number;
  /** HTTPS to the proxy (the https suite). */
  tls?: boolean;
  /** Extra request headers for wrk. */
  headers?: readonly string[];
  /** This scenario's goals; default TARGETS. */
  target?: Target;
  /** The proxy every ratio is read against; default REFERENCE (nginx). */
  reference?: string;
}

const referenceOf = (s: Scenario): string => s.reference ?? REFERENCE;

export interface Ratios {
  throughput: number;
  p99: number;
  throughputMet: boolean;
  p99Met: boolean;
}

export function ratios(m: WrkResult, ref: WrkResult, target: Target = TARGETS): Ratios {
  const throughput = m.requestsPerSec / ref.requestsPerSec;
  const p99 = m.p99Ms / ref.p99Ms;
  return {
    throughput,
    p99,
    throughputMet: throughput >= target.minThroughputRatio,
    p99Met: target.maxP99Ratio === undefined || p99 <= target.maxP99Ratio,
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

const header = (reference: string): string[] => ['proxy', 'req/s', '± spread', 'p50 ms', 'p99 ms', 'MB/s', `req/s ÷ ${reference}`, `p99 ÷ ${reference}`, 'errors', 'targets'];

function row(m: Aggregate, ref: WrkResult | undefined, target: Target, reference: string): string[] {
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
  if (!ref) return [...cells, 'n/a', 'n/a', errorsText(m, r), `no ${reference} result`];
  const q = ratios(r, ref, target);
  const p99Goal = target.maxP99Ratio === undefined ? '' : `, p99 ${metText(q.p99Met)}`;
  const targets = m.proxy === reference ? 'reference' : `req/s ${metText(q.throughputMet)}${p99Goal}`;
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
  const reference = referenceOf(scenario);
  const ref = mine.find((m) => m.proxy === reference)?.result;
  const table = markdownTable([header(reference), ...mine.map((m) => row(m, ref, scenario.target ?? TARGETS, reference))]);
  const notes = mine.flatMap((m) => m.warnings.map((w) => `- warning, ${m.proxy} ${w}`));
  return notes.length ? `${table}\n\n${notes.join('\n')}` : table;
}

/** One line per proxy and scenario: the ratios to the reference and whether the targets hold. */
export function headlines(scenarios: readonly Scenario[], ms: readonly Aggregate[]): string[] {
  const lines: string[] = [];
  for (const s of scenarios) {
    const reference = referenceOf(s);
    const ref = ms.find((m) => m.scenario === s.name && m.proxy === reference)?.result;
    for (const m of ms) {
      if (m.scenario !== s.name || m.proxy === reference) continue;
      if (!m.result) {
        lines.push(`${m.proxy} / ${s.name}: failed: ${firstLine(m.error, 400)}`);
        continue;
      }
      if (!ref) {
        lines.push(`${m.proxy} / ${s.name}: no ratio (${reference} did not run or failed)`);
        continue;
      }
      const target = s.target ?? TARGETS;
      const q = ratios(m.result, ref, target);
      const p99Goal = target.maxP99Ratio === undefined ? '' : ` (target ≤ ${target.maxP99Ratio}×: ${metText(q.p99Met)})`;
      lines.push(
        `${m.proxy} / ${s.name}: throughput ${times(q.throughput)} ${reference} ` +
          `(target ≥ ${target.minThroughputRatio}×: ${metText(q.throughputMet)}), ` +
          `p99 ${times(q.p99)} ${reference}${p99Goal}`,
      );
    }
    // The workers suite: what a second worker adds, per proxy.
    for (const two of ms) {
      const base = /^(.+)-2w$/.exec(two.proxy)?.[1];
      if (two.scenario !== s.name || base === undefined || !two.result) continue;
      const one = ms.find((m) => m.scenario === s.name && m.proxy === base)?.result;
      if (one) lines.push(`${base} / ${s.name}: 2 workers ÷ 1 worker: throughput ${times(two.result.requestsPerSec / one.requestsPerSec)}, p99 ${times(two.result.p99Ms / one.p99Ms)}`);
    }
  }
  return lines;
}

/**
 * Every round on its own (the tables show medians): each proxy's ratios to
 * the reference measured in the same round, so a bad round shows instead of
 * hiding behind the median.
 */
export function roundsReport(scenarios: readonly Scenario[], ms: readonly RoundMeasurement[]): string {
  const rounds = [...new Set(ms.map((m) => m.round))].sort((a, b) => a - b);
  if (rounds.length < 2) return '';
  const references = [...new Set(scenarios.map(referenceOf))];
  const parts: string[] = [`#### Every round: req/s and p99 ÷ ${references.join(' / ')} in the same round`, ''];
  const header = ['scenario', 'proxy', ...rounds.map((r) => `round ${r}`)];
  const rows: string[][] = [];
  for (const s of scenarios) {
    const reference = referenceOf(s);
    const proxies = [...new Set(ms.filter((m) => m.scenario === s.name).map((m) => m.proxy))].filter((p) => p !== reference);
    for (const proxy of proxies) {
      const cells = rounds.map((round) => {
        const m = ms.find((x) => x.scenario === s.name && x.proxy === proxy && x.round === round)?.result;
        const ref = ms.find((x) => x.scenario === s.name && x.proxy === reference && x.round === round)?.result;
        return m && ref ? `${times(m.requestsPerSec / ref.requestsPerSec)} / ${times(m.p99Ms / ref.p99Ms)}` : 'failed';
      });
      rows.push([s.name, proxy, ...cells]);
    }
  }
  parts.push(markdownTable([header, ...rows]), '');
  return parts.join('\n');
}

export interface RunShape {
  connections: number;
  rounds: number;
}

export function describeScenario(s: Scenario, shape: RunShape): string {
  const body = s.bodyBytes >= 1024 ? `${s.bodyBytes / 1024} KiB` : `${s.bodyBytes} B`;
  const rounds = shape.rounds > 1 ? `, median of ${shape.rounds} rounds` : '';
  const how = [s.tls ? 'over TLS' : '', ...(s.headers ?? []).map((h) => `"${h}"`)].filter(Boolean).join(', ');
  return `${s.name}: GET ${s.path} (${body} body${how ? `, ${how}` : ''}), ${shape.connections} connections, ${s.durationSec}s after ${s.warmupSec}s warm-up${rounds}`;
}

/** The full report: per scenario a table, then the headline ratios. */
export function renderReport(scenarios: readonly Scenario[], ms: readonly Aggregate[], shape: RunShape): string {
  const parts: string[] = [];
  for (const s of scenarios) {
    parts.push(`#### ${describeScenario(s, shape)}`, '', scenarioTable(s, ms), '');
  }
  const heads = headlines(scenarios, ms);
  const references = [...new Set(scenarios.map(referenceOf))].join(' / ');
  if (heads.length) parts.push(`#### Ratios to ${references} (the headline)`, '', ...heads.map((h) => `- ${h}`), '');
  return parts.join('\n');
}
