const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * A query start rounded down as CloudWatch rounds it: to a multiple of a sub-minute period (5, 10, 20 or 30 s fall on
 * even divisions of a minute), else to the minute for a start less than 15 days ago, to 5 minutes up to 63 days and
 * to the hour beyond. The store counts periods from the start it is given, so datapoints land at this + k·period.
 */
export function roundedStart(start: number, periodSeconds: number, now: number): number {
  const age = now - start;
  const step = periodSeconds < 60 ? periodSeconds * 1000 : age < 15 * DAY ? MINUTE : age < 63 * DAY ? 5 * MINUTE : 60 * MINUTE;
  return start - (((start % step) + step) % step);
}
