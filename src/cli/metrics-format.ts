/** Text output of `shoal metrics`: durations, a sparkline, the datapoint table. */
import { formatTable } from './table.js';

const BARS = '▁▂▃▄▅▆▇█';

/** "90s", "15m", "2h", "1d" (or a plain number of seconds) in milliseconds. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/.exec(s.trim());
  if (!m) throw new Error(`expected a duration like 90s, 15m, 2h or 1d, got ${s}`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** A time: a duration ago ("15m"), epoch milliseconds, or an ISO 8601 time. */
export function parseWhen(s: string, now: number): number {
  if (/^\d+(?:\.\d+)?[smhd]$/.test(s)) return now - parseDuration(s);
  if (/^\d{12,}$/.test(s)) return Number(s);
  const t = Date.parse(s);
  if (!Number.isFinite(t)) throw new Error(`expected a duration ago (15m) or a time (ISO 8601), got ${s}`);
  return t;
}

/**
 * One character per period from `start` to `end` (the last `width` of them):
 * the value scaled between the lowest and highest shown, a space where a
 * period has no datapoint.
 */
export function sparkline(points: readonly { timestamp: number; value: number }[], o: { start: number; end: number; periodMs: number; width?: number }): string {
  const first = o.start - (o.start % o.periodMs);
  const slots = Math.max(0, Math.ceil((o.end - first) / o.periodMs));
  const shown = Math.min(slots, o.width ?? 100);
  const from = first + (slots - shown) * o.periodMs;
  const byTime = new Map(points.map((p) => [p.timestamp, p.value]));
  const values = points.filter((p) => p.timestamp >= from).map((p) => p.value);
  if (values.length === 0) return '';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  let out = '';
  for (let i = 0; i < shown; i++) {
    const v = byTime.get(from + i * o.periodMs);
    if (v === undefined) out += ' ';
    else out += BARS[hi === lo ? (v === 0 ? 0 : BARS.length - 1) : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))];
  }
  return out.trimEnd();
}

export function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

export function datapointTable(points: readonly { Timestamp: string; Value: number; SampleCount: number; Unit?: string }[]): string {
  return formatTable(
    ['TIME', 'VALUE', 'SAMPLES'],
    points.map((p) => [p.Timestamp.replace('.000Z', 'Z'), formatValue(p.Value) + (p.Unit && p.Unit !== 'None' ? ` ${p.Unit}` : ''), String(p.SampleCount)]),
  );
}
