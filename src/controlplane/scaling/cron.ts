/**
 * Unix cron (the `recurrence` of scheduled actions): five fields, minute hour
 * day-of-month month day-of-week, with *, lists, ranges, steps and names
 * (JAN, MON; 0 and 7 are Sunday). When both day fields are restricted a day
 * matches either (Vixie cron). Evaluated in an IANA time zone with Intl, no
 * dependency. Daylight saving: a wall time that does not exist (the hour
 * skipped in spring) runs at the same offset from midnight after the jump
 * (02:30 -> 03:30); a wall time that happens twice (autumn) runs once, at the
 * first.
 */

export interface Cron {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  dayRestricted: boolean;
  weekdayRestricted: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function field(text: string, min: number, max: number, names: string[] = [], nameBase = 0): Set<number> {
  const value = (s: string): number => {
    const i = names.indexOf(s.toUpperCase());
    const n = i >= 0 ? i + nameBase : /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`"${s}" is not a value from ${min} to ${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range!.includes('-')) [lo, hi] = range!.split('-').map(value) as [number, number];
    else [lo, hi] = [value(range!), stepText === undefined ? value(range!) : max];
    if (lo > hi) throw new Error(`range "${range}" runs backwards`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a five-field expression; throws an Error saying what is wrong. */
export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`a cron expression has 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  const [mi, h, dom, mon, dow] = parts as [string, string, string, string, string];
  const weekdays = field(dow, 0, 7, DAYS);
  if (weekdays.delete(7)) weekdays.add(0);
  return {
    minutes: field(mi, 0, 59), hours: field(h, 0, 23), days: field(dom, 1, 31), months: field(mon, 1, 12, MONTHS, 1), weekdays,
    dayRestricted: dom !== '*' && !dom.startsWith('*/'), weekdayRestricted: dow !== '*' && !dow.startsWith('*/'),
  };
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError for an unknown zone. */
export function wallFormat(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(zone, f);
  }
  return f;
}

/** The wall clock of `zone` at instant t, as if it were UTC (ms). */
function wall(t: number, zone: string): number {
  const p: Record<string, number> = {};
  for (const part of wallFormat(zone).formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The instant a wall time happens in `zone` (see the header for DST gaps and repeats). */
export function instantOf(wallMs: number, zone: string): number {
  const DAY = 86_400_000;
  const before = wall(wallMs - DAY, zone) - (wallMs - DAY);
  const after = wall(wallMs + DAY, zone) - (wallMs + DAY);
  const valid = [...new Set([before, after])].map((o) => wallMs - o).filter((t) => wall(t, zone) === wallMs);
  return valid.length > 0 ? Math.min(...valid) : wallMs - before;
}

function dayMatches(c: Cron, d: Date): boolean {
  const dom = c.days.has(d.getUTCDate());
  const dow = c.weekdays.has(d.getUTCDay());
  if (c.dayRestricted && c.weekdayRestricted) return dom || dow;
  if (c.dayRestricted) return dom;
  if (c.weekdayRestricted) return dow;
  return true;
}

/** The first time strictly after `after` (ms) that the expression fires in `zone`; undefined within ~5 years. */
export function nextFire(c: Cron, after: number, zone = 'UTC'): number | undefined {
  const start = wall(after, zone);
  const day0 = Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth(), new Date(start).getUTCDate());
  const hours = [...c.hours].sort((a, b) => a - b);
  const minutes = [...c.minutes].sort((a, b) => a - b);
  for (let i = 0; i < 366 * 5; i++) {
    const day = day0 + i * 86_400_000;
    const d = new Date(day);
    if (!c.months.has(d.getUTCMonth() + 1) || !dayMatches(c, d)) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const t = instantOf(day + h * 3_600_000 + m * 60_000, zone);
        if (t > after) return t;
      }
    }
  }
  return undefined;
}
