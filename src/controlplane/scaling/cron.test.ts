import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instantOf, nextFire, parseCron } from './cron.js';

const utc = (s: string) => Date.parse(s);
const iso = (t: number | undefined) => (t === undefined ? 'none' : new Date(t).toISOString().replace('.000Z', 'Z'));

describe('cron: next fire time', () => {
  const cases: { name: string; expr: string; after: string; zone?: string; want: string }[] = [
    { name: 'every minute', expr: '* * * * *', after: '2026-03-01T10:00:30Z', want: '2026-03-01T10:01:00Z' },
    { name: 'strictly after', expr: '0 9 * * *', after: '2026-03-01T09:00:00Z', want: '2026-03-02T09:00:00Z' },
    { name: 'steps and ranges', expr: '*/15 8-9 * * *', after: '2026-03-01T09:46:00Z', want: '2026-03-02T08:00:00Z' },
    { name: 'weekday names: next Monday', expr: '0 8 * * MON', after: '2026-03-04T00:00:00Z', want: '2026-03-09T08:00:00Z' },
    { name: '7 is Sunday', expr: '0 0 * * 7', after: '2026-03-02T00:00:00Z', want: '2026-03-08T00:00:00Z' },
    { name: 'weekdays range', expr: '30 18 * * 1-5', after: '2026-03-06T19:00:00Z', want: '2026-03-09T18:30:00Z' },
    { name: 'day-of-month OR day-of-week when both are given', expr: '0 0 13 * FRI', after: '2026-03-01T00:00:00Z', want: '2026-03-06T00:00:00Z' },
    { name: 'month names and Feb 29', expr: '0 12 29 FEB *', after: '2026-03-01T00:00:00Z', want: '2028-02-29T12:00:00Z' },
    { name: 'in a zone: 9:00 in Tokyo is 00:00Z', expr: '0 9 * * *', after: '2026-03-01T01:00:00Z', zone: 'Asia/Tokyo', want: '2026-03-02T00:00:00Z' },
    { name: 'New York winter (UTC-5)', expr: '0 9 * * *', after: '2026-03-06T00:00:00Z', zone: 'America/New_York', want: '2026-03-06T14:00:00Z' },
    { name: 'New York after the spring change (UTC-4)', expr: '0 9 * * *', after: '2026-03-08T12:00:00Z', zone: 'America/New_York', want: '2026-03-08T13:00:00Z' },
    { name: 'a skipped wall time runs after the jump (02:30 -> 03:30 EDT)', expr: '30 2 * * *', after: '2026-03-08T05:00:00Z', zone: 'America/New_York', want: '2026-03-08T07:30:00Z' },
    { name: 'a repeated wall time runs once, at the first (01:30 EDT)', expr: '30 1 * * *', after: '2026-11-01T04:00:00Z', zone: 'America/New_York', want: '2026-11-01T05:30:00Z' },
    { name: '... and not again an hour later', expr: '30 1 * * *', after: '2026-11-01T05:30:00Z', zone: 'America/New_York', want: '2026-11-02T06:30:00Z' },
    { name: 'Europe/Berlin summer time', expr: '0 8 * * *', after: '2026-07-01T00:00:00Z', zone: 'Europe/Berlin', want: '2026-07-01T06:00:00Z' },
  ];
  for (const c of cases) it(c.name, () => assert.equal(iso(nextFire(parseCron(c.expr), utc(c.after), c.zone)), c.want));

  it('never-matching dates end the search', () => assert.equal(nextFire(parseCron('0 0 31 FEB *'), utc('2026-01-01T00:00:00Z')), undefined));
});

describe('cron: parsing', () => {
  const bad: [string, RegExp][] = [
    ['* * * *', /5 fields/], ['60 * * * *', /"60" is not a value from 0 to 59/], ['* 24 * * *', /from 0 to 23/],
    ['* * 0 * *', /from 1 to 31/], ['* * * FOO *', /"FOO"/], ['*/0 * * * *', /bad step/], ['5-1 * * * *', /backwards/],
  ];
  for (const [expr, msg] of bad) it(`rejects "${expr}"`, () => assert.throws(() => parseCron(expr), msg));

  it('wall time to instant in a zone', () => {
    assert.equal(iso(instantOf(Date.UTC(2026, 0, 15, 12, 0), 'Europe/London')), '2026-01-15T12:00:00Z');
    assert.equal(iso(instantOf(Date.UTC(2026, 6, 15, 12, 0), 'Europe/London')), '2026-07-15T11:00:00Z');
  });
});
