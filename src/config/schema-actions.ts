/**
 * Listener and rule actions: forward (one target group, or weighted groups),
 * redirect and fixed-response, validated as elbv2 CreateRule does.
 */
import { z } from 'zod';
import { asText, bool, checked, elbName, intIn, list, oneOf, str, strictObject } from './schema-common.js';

export const ACTION_TYPES = ['forward', 'redirect', 'fixed-response'] as const;
export const CONTENT_TYPES = ['text/plain', 'text/css', 'text/html', 'application/javascript', 'application/json'] as const;
export const REDIRECT_DEFAULTS = { protocol: '#{protocol}', host: '#{host}', port: '#{port}', path: '/#{path}', query: '#{query}' } as const;

const weighted = strictObject({ targetGroup: elbName(), weight: intIn(0, 999).default(1) });

const forward = strictObject({
  type: z.literal('forward'),
  targetGroup: elbName().optional(),
  forwardConfig: strictObject({
    targetGroups: list(weighted, { min: 1, max: 5, noun: 'target groups' }),
    targetGroupStickinessConfig: strictObject({ enabled: bool().default(false), durationSeconds: intIn(1, 604800).default(3600) }).optional(),
  }).optional(),
});

const redirectPort = checked('must be an integer from 1 to 65535 or "#{port}"', (v) => {
  const s = asText(v);
  if (s === '#{port}') return s;
  return s !== undefined && /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 65535 ? s : undefined;
});

const redirect = strictObject({
  type: z.literal('redirect'),
  redirectConfig: strictObject({
    protocol: oneOf(['HTTP', 'HTTPS', '#{protocol}']).default(REDIRECT_DEFAULTS.protocol),
    host: str({ max: 128 }).default(REDIRECT_DEFAULTS.host),
    port: redirectPort.default(REDIRECT_DEFAULTS.port),
    path: checked('must start with "/" and be 1 to 128 characters (it may use #{host}, #{path}, #{port})', (v) =>
      typeof v === 'string' && v.startsWith('/') && v.length <= 128 ? v : undefined).default(REDIRECT_DEFAULTS.path),
    query: str({ min: 0, max: 128 }).default(REDIRECT_DEFAULTS.query),
    statusCode: oneOf(['HTTP_301', 'HTTP_302']),
  }),
});

const statusCode = checked('must be a 2XX, 4XX or 5XX HTTP status code, e.g. "404"', (v) => {
  const s = asText(v);
  return s !== undefined && /^[245]\d\d$/.test(s) ? s : undefined;
});

const messageBody = z.string({ errorMap: () => ({ message: 'must be text of at most 1024 bytes' }) }).superRefine((s, ctx) => {
  const bytes = Buffer.byteLength(s, 'utf8');
  if (bytes > 1024) ctx.addIssue({ code: 'custom', message: `must be at most 1024 bytes (got ${bytes} bytes)` });
});

const fixedResponse = strictObject({
  type: z.literal('fixed-response'),
  fixedResponseConfig: strictObject({
    statusCode,
    contentType: oneOf(CONTENT_TYPES).default('text/plain'),
    messageBody: messageBody.default(''),
  }),
});

export const actionSchema = z.discriminatedUnion('type', [forward, redirect, fixedResponse], {
  errorMap: (issue) => ({
    message: issue.code === 'invalid_union_discriminator' ? `must be one of ${ACTION_TYPES.join(', ')}` : 'must be a map of fields',
  }),
}).superRefine((a, ctx) => {
  if (a.type === 'forward') checkForward(a, ctx);
  if (a.type === 'redirect') checkRedirect(a.redirectConfig, ctx);
});

export type ActionInput = z.output<typeof actionSchema>;

function checkForward(a: z.output<typeof forward>, ctx: z.RefinementCtx): void {
  if ((a.targetGroup === undefined) === (a.forwardConfig === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'a forward action needs exactly one of targetGroup (one group) or forwardConfig (weighted groups)' });
    return;
  }
  const groups = a.forwardConfig?.targetGroups ?? [];
  if (groups.length > 0 && groups.every((g) => g.weight === 0)) {
    ctx.addIssue({ code: 'custom', path: ['forwardConfig', 'targetGroups'], message: 'at least one target group must have a weight above 0' });
  }
  const seen = new Map<string, number>();
  groups.forEach((g, i) => {
    const first = seen.get(g.targetGroup);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['forwardConfig', 'targetGroups', i, 'targetGroup'], message: `"${g.targetGroup}" is already targetGroups[${first}]; list each target group once` });
    } else {
      seen.set(g.targetGroup, i);
    }
  });
}

/** ALB: "You must modify at least one of the following components to avoid a redirect loop: protocol, hostname, port, or path." */
function checkRedirect(r: z.output<typeof redirect>['redirectConfig'], ctx: z.RefinementCtx): void {
  const d = REDIRECT_DEFAULTS;
  if (r.protocol === d.protocol && r.host === d.host && r.port === d.port && r.path === d.path) {
    ctx.addIssue({
      code: 'custom', path: ['redirectConfig'],
      message: 'would redirect to the same URL: set at least one of protocol, host, port or path to something other than its default (query alone does not count)',
    });
  }
}
