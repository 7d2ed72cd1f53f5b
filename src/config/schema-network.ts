/**
 * What sets a network load balancer apart from an application one, checked
 * on each load balancer: which listener protocols each type takes, and that
 * NLB listeners only forward (one target group, no rules: NLB has neither
 * rules nor redirect and fixed-response actions), and which attributes each
 * type has (an application-only one on a network load balancer is an error
 * at its line, never kept and ignored).
 */
import type { z } from 'zod';
import { isL4 } from './schema-target-group.js';

/** attributes an application load balancer has and a network one does not (AWS's LoadBalancerAttribute lists). */
const APPLICATION_ONLY = ['idleTimeoutSeconds', 'desyncMitigationMode', 'headerTimeoutSeconds', 'targetTimeoutSeconds', 'http2Enabled'] as const;

interface LoadBalancerLike {
  type?: unknown;
  listeners?: unknown;
  attributes?: Record<string, unknown>;
}

interface ListenerLike {
  protocol?: unknown;
  rules?: unknown;
  defaultActions?: unknown;
}

export function checkListenerKinds(lb: LoadBalancerLike, ctx: z.RefinementCtx): void {
  const network = lb.type === 'network';
  if (!network && lb.attributes?.crossZoneEnabled === false) {
    ctx.addIssue({ code: 'custom', path: ['attributes', 'crossZoneEnabled'], message: 'is always on for application load balancers (as ALB); it is a network load balancer attribute' });
  }
  if (network) {
    for (const key of APPLICATION_ONLY) {
      if (lb.attributes?.[key] === undefined) continue;
      ctx.addIssue({ code: 'custom', path: ['attributes', key], message: 'is an application load balancer attribute (as in AWS, a network load balancer has no such setting); remove it' });
    }
  }
  if (!Array.isArray(lb.listeners)) return;
  lb.listeners.forEach((l: ListenerLike, i: number) => {
    if (typeof l !== 'object' || l === null) return;
    const at = (...rest: (string | number)[]) => ['listeners', i, ...rest];
    const p = l.protocol;
    if (network && (p === 'HTTP' || p === 'HTTPS')) {
      ctx.addIssue({ code: 'custom', path: at('protocol'), message: `a network load balancer's listeners are TCP, TLS, UDP or TCP_UDP; ${p} listeners belong on a load balancer of type application` });
    } else if (!network && isL4(p)) {
      ctx.addIssue({ code: 'custom', path: at('protocol'), message: `${String(p)} listeners belong on a load balancer of type network; an application load balancer's listeners are HTTP or HTTPS` });
    }
    if (network) checkNetworkListener(l, at, ctx);
  });
}

function checkNetworkListener(l: ListenerLike, at: (...rest: (string | number)[]) => (string | number)[], ctx: z.RefinementCtx): void {
  if (Array.isArray(l.rules) && l.rules.length > 0) {
    ctx.addIssue({ code: 'custom', path: at('rules'), message: 'network load balancer listeners have no rules; remove them (the default action forwards every connection)' });
  }
  if (!Array.isArray(l.defaultActions)) return;
  l.defaultActions.forEach((a: unknown, n: number) => {
    if (typeof a !== 'object' || a === null) return;
    const action = a as { type?: unknown; forwardConfig?: { targetGroups?: unknown } };
    if (action.type !== 'forward') {
      ctx.addIssue({ code: 'custom', path: at('defaultActions', n, 'type'), message: `a network load balancer listener can only forward (got ${JSON.stringify(action.type)}); redirect and fixed-response are for application load balancers` });
      return;
    }
    const groups = action.forwardConfig?.targetGroups;
    if (Array.isArray(groups) && groups.length > 1) {
      ctx.addIssue({ code: 'custom', path: at('defaultActions', n, 'forwardConfig', 'targetGroups'), message: `a network load balancer listener forwards to one target group (got ${groups.length})` });
    }
  });
}
