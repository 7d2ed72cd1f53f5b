/**
 * Listener rule conditions, with ALB's limits (Application Load Balancer guide,
 * "Condition types for listener rules" and "Quotas"):
 * - up to 3 match evaluations (values) per condition, up to 5 per rule;
 * - up to 5 wildcards (* or ?) per rule;
 * - at most one each of host-header, http-request-method, path-pattern, source-ip per rule.
 */
import { z } from 'zod';
import { checked, cidr, list, str, strictObject } from './schema-common.js';

export const CONDITION_FIELDS = ['path-pattern', 'host-header', 'http-header', 'http-request-method', 'query-string', 'source-ip'] as const;
export const MAX_VALUES_PER_CONDITION = 3;
export const MAX_VALUES_PER_RULE = 5;
export const MAX_WILDCARDS_PER_RULE = 5;
/** Condition fields a rule may use once; http-header and query-string may repeat. */
export const SINGLE_USE_FIELDS: readonly string[] = ['host-header', 'http-request-method', 'path-pattern', 'source-ip'];

/** Rules only match visible ASCII (no control characters, no non-ASCII). */
const VISIBLE_ASCII = /^[\x20-\x7e]+$/;

function pattern(rule: string, test: (s: string) => boolean) {
  return checked(rule, (v) => (typeof v === 'string' && test(v) ? v : undefined));
}

function values<T extends z.ZodTypeAny>(item: T) {
  return list(item, { min: 1, max: MAX_VALUES_PER_CONDITION, noun: 'values' });
}

const pathPattern = pattern('must be a path pattern of 1 to 128 visible ASCII characters (wildcards * and ?)', (s) =>
  s.length <= 128 && VISIBLE_ASCII.test(s));
const hostPattern = pattern('must be a host name pattern of 1 to 128 characters: letters, digits, "-", ".", and wildcards * and ?', (s) =>
  s.length <= 128 && /^[A-Za-z0-9.*?-]+$/.test(s));
const headerName = pattern('must be an HTTP header name of 1 to 40 characters (letters, digits and !#$%&\'*+.^_`|~-)', (s) =>
  s.length <= 40 && /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(s));
const headerValue = pattern('must be 1 to 128 visible ASCII characters (wildcards * and ?)', (s) => s.length <= 128 && VISIBLE_ASCII.test(s));
const method = pattern('must be an HTTP method of 1 to 40 characters: uppercase letters, "-" and "_" (e.g. GET)', (s) =>
  s.length <= 40 && /^[A-Z_-]+$/.test(s));
const sourceIp = checked('must be an IPv4 or IPv6 network in CIDR notation (e.g. 10.0.0.0/8, ::1/128)', cidr);
const queryText = str({ max: 128, what: 'text' });

export const conditionSchema = z.discriminatedUnion('field', [
  strictObject({ field: z.literal('path-pattern'), values: values(pathPattern) }),
  strictObject({ field: z.literal('host-header'), values: values(hostPattern) }),
  strictObject({ field: z.literal('http-header'), httpHeaderName: headerName, values: values(headerValue) }),
  strictObject({ field: z.literal('http-request-method'), values: values(method) }),
  strictObject({
    field: z.literal('query-string'),
    queryStringValues: list(strictObject({ key: queryText.optional(), value: queryText }), {
      min: 1, max: MAX_VALUES_PER_CONDITION, noun: 'key/value pairs',
    }),
  }),
  strictObject({ field: z.literal('source-ip'), values: values(sourceIp) }),
], {
  errorMap: (issue) => ({
    message: issue.code === 'invalid_union_discriminator' ? `must be one of ${CONDITION_FIELDS.join(', ')}` : 'must be a map of fields',
  }),
});

export type ConditionInput = z.output<typeof conditionSchema>;

/** The strings a condition compares: what ALB counts as match evaluations. */
export function conditionStrings(c: ConditionInput): string[] {
  const strings: unknown[] = c.field === 'query-string' ? c.queryStringValues.flatMap((kv) => [kv.key ?? '', kv.value]) : c.values;
  // Values that failed their own check are zod placeholders, not strings (see checked()).
  return strings.filter((s): s is string => typeof s === 'string');
}

/** Per-rule limits across all of a rule's conditions. */
export function checkRuleConditions(conditions: ConditionInput[], ctx: z.RefinementCtx): void {
  const firstUse = new Map<string, number>();
  let evaluations = 0;
  let wildcards = 0;
  conditions.forEach((c, i) => {
    const strings = conditionStrings(c);
    evaluations += c.field === 'query-string' ? c.queryStringValues.length : c.values.length;
    if (c.field !== 'source-ip' && c.field !== 'http-request-method') {
      for (const s of strings) wildcards += (s.match(/[*?]/g) ?? []).length;
    }
    const first = firstUse.get(c.field);
    if (SINGLE_USE_FIELDS.includes(c.field) && first !== undefined) {
      ctx.addIssue({
        code: 'custom', path: ['conditions', i, 'field'],
        message: `a rule may have only one ${c.field} condition (conditions[${first}] is one); put the values in one condition (they are ORed)`,
      });
    }
    if (first === undefined) firstUse.set(c.field, i);
  });
  if (evaluations > MAX_VALUES_PER_RULE) {
    ctx.addIssue({ code: 'custom', path: ['conditions'], message: `must have at most ${MAX_VALUES_PER_RULE} values across all conditions of a rule (got ${evaluations})` });
  }
  if (wildcards > MAX_WILDCARDS_PER_RULE) {
    ctx.addIssue({ code: 'custom', path: ['conditions'], message: `must have at most ${MAX_WILDCARDS_PER_RULE} wildcards (* or ?) across all conditions of a rule (got ${wildcards})` });
  }
}
