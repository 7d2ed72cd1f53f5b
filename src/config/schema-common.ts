/**
 * Building blocks for the config schemas. Every leaf carries its own message
 * saying what is allowed ("must be an integer from 1 to 4000"); issues.ts adds
 * where it is and what was found.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { suggest } from './suggest.js';

/** Marks a custom issue so issues.ts appends "(got ...)" with the offending value. */
export const GOT = { got: true } as const;
/** Marks an issue as being about a key (unknown field): position is the key, not its value. */
export const AT_KEY = { atKey: true } as const;

/**
 * A map with exactly these fields. Unknown fields are one issue each, at the key,
 * with a did-you-mean. (Zod's .strict() reports them all at the parent, without
 * the list of known names, so we catch them ourselves.)
 */
export function strictObject<T extends z.ZodRawShape>(shape: T): z.ZodObject<T> {
  const known = Object.keys(shape);
  const unknownField = z.unknown().superRefine((_, ctx) => {
    const key = String(ctx.path[ctx.path.length - 1]);
    ctx.addIssue({ code: 'custom', message: unknownFieldMessage(key, known), params: AT_KEY });
  });
  const obj = z.object(shape, { errorMap: () => ({ message: 'must be a map of fields' }) }).catchall(unknownField);
  // The catchall only adds issues; typing it as a plain object keeps the inferred types exact.
  return obj as unknown as z.ZodObject<T>;
}

export function unknownFieldMessage(key: string, known: readonly string[]): string {
  const hint = suggest(key, known);
  const allowed = `allowed fields: ${known.join(', ')}`;
  return hint ? `unknown field "${key}" (did you mean "${hint}"?); ${allowed}` : `unknown field "${key}"; ${allowed}`;
}

/** A list of items with an allowed length; `noun` names the items in messages (`one` when a single one is meant). */
export function list<T extends z.ZodTypeAny>(item: T, opts: { min?: number; max?: number; noun?: string; one?: string } = {}) {
  const noun = opts.noun ?? 'items';
  const count = (n: number) => `${n} ${n === 1 ? opts.one ?? noun.replace(/s$/, '') : noun}`;
  let s = z.array(item, { errorMap: () => ({ message: `must be a list of ${noun}` }) });
  if (opts.min !== undefined && opts.max !== undefined) {
    const m = opts.min === opts.max ? `must have exactly ${count(opts.min)}` : `must have ${opts.min} to ${count(opts.max)}`;
    s = s.min(opts.min, m).max(opts.max, m);
  } else if (opts.min !== undefined) {
    s = s.min(opts.min, `must have at least ${count(opts.min)}`);
  } else if (opts.max !== undefined) {
    s = s.max(opts.max, `must have at most ${count(opts.max)}`);
  }
  return s;
}

// Leaves are checked() rather than z.number()/z.enum(): a failed zod type check
// aborts every enclosing object's refinements, so one typo would hide the
// cross-field issues (min > max) elsewhere in the same object.

export function intIn(min: number, max: number) {
  return checked(`must be an integer from ${min} to ${max}`, (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined);
}

export function intAtLeast(min: number) {
  return checked(`must be an integer ≥ ${min}`, (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min ? v : undefined));
}

export function bool() {
  return checked('must be true or false', (v) => (typeof v === 'boolean' ? v : undefined));
}

/** One of a fixed set of strings; issues.ts adds a did-you-mean from `options`. */
export function oneOf<const T extends string>(values: readonly [T, ...T[]]) {
  const allowed: readonly string[] = values;
  return checked(`must be one of ${values.join(', ')}`, (v) => (typeof v === 'string' && allowed.includes(v) ? (v as T) : undefined), values);
}

export function str(opts: { min?: number; max?: number; what?: string } = {}) {
  const min = opts.min ?? 1;
  const max = opts.max ?? Infinity;
  const what = opts.what ?? 'text';
  const m = opts.max !== undefined ? `must be ${what} of ${min} to ${opts.max} characters` : `must be ${what} of at least ${min} character${min === 1 ? '' : 's'}`;
  return checked(m, (v) => (typeof v === 'string' && v.length >= min && v.length <= max ? v : undefined));
}

/**
 * A value checked by a function: `parse` returns the normalized value, or
 * undefined when the input is not allowed (then `message` is the issue).
 * On failure the output is zod's NEVER placeholder, and refinements of
 * enclosing objects still run: they must check types before using fields.
 */
export function checked<T>(message: string, parse: (v: unknown) => T | undefined, options?: readonly string[]) {
  return z.unknown().transform((v, ctx): T => {
    const out = parse(v);
    if (out === undefined) {
      ctx.addIssue({ code: 'custom', message, params: { ...GOT, options } });
      return z.NEVER;
    }
    return out;
  });
}

/**
 * A string field that YAML users often write unquoted as a number
 * (statusCode: 403, matcher: 200, port: 443): integers are taken as their decimal text.
 */
export function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return undefined;
}

/** Scalar map values (environment, tags): numbers and booleans become their text, as in docker-compose. */
export function asScalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** LoadBalancer and TargetGroup names, as elbv2 allows them. */
export const NAME_RULE = 'must be 1 to 32 characters: letters, digits and hyphens, not starting or ending with a hyphen';
export function elbNameText(v: unknown): string | undefined {
  return typeof v === 'string' && /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(v) ? v : undefined;
}
export function elbName() {
  return checked(NAME_RULE, elbNameText);
}

export function ipAddress(v: unknown): string | undefined {
  return typeof v === 'string' && isIP(v) !== 0 ? v : undefined;
}

/** "10.0.0.0/8", "::1/128": an IPv4 or IPv6 network in CIDR notation. */
export function cidr(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^([^/]+)\/(\d{1,3})$/.exec(v);
  if (!m) return undefined;
  const family = isIP(m[1]!);
  const bits = Number(m[2]);
  if (family === 4 && bits <= 32) return v;
  if (family === 6 && bits <= 128) return v;
  return undefined;
}

export { suggest };
