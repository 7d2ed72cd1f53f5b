/**
 * ALB success-code matchers: "200", "200,202", "200-299", "200-299,302".
 * HTTP health checks accept codes 200..499 on ALB groups and 200..599 on NLB
 * ones (elbv2 Matcher.HttpCode); the config checks which range applies.
 */
import { validationError } from '../../core/errors.js';

export type Matcher = (statusCode: number) => boolean;

const MIN = 200;
const MAX = 599;

/**
 * Parses a matcher into a predicate backed by a lookup table: one array read
 * per check. Throws ValidationError (with the offending part) on bad input.
 */
export function parseMatcher(spec: string): Matcher {
  const table = new Uint8Array(MAX + 1);
  const parts = spec.split(',');
  for (const raw of parts) {
    const part = raw.trim();
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    if (!m) throw validationError(`Health check matcher '${spec}': '${part}' is not a code (200) or a range (200-299)`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < MIN || hi > MAX) {
      throw validationError(`Health check matcher '${spec}': codes must be between ${MIN} and ${MAX}, got '${part}'`);
    }
    if (hi < lo) throw validationError(`Health check matcher '${spec}': range '${part}' ends before it starts`);
    for (let c = lo; c <= hi; c++) table[c] = 1;
  }
  return (code) => code >= MIN && code <= MAX && table[code] === 1;
}
