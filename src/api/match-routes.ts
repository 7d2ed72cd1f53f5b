/**
 * "Which rule would this request match?": the console's load balancer page
 * asks, and the answer comes from the data plane's own router
 * (dataplane/routing), compiled from the running config, so it is what the
 * listener would do, not a second reading of the rules.
 *
 *   POST /_shoal/load-balancers/LB/match {method?, host?, path?, query?, headers?: {name: value}, sourceIp?}
 *   -> {Listeners: [{Port, Protocol, MatchedPriority: N | "default", Action}]}
 */
import { ShoalError, validationError } from '../core/errors.js';
import type { ShoalConfig } from '../model/config.js';
import { actionText } from '../controlplane/status.js';
import { compileRouter, type RequestView } from '../dataplane/routing/router.js';

export interface MatchBackend {
  readonly config: Pick<ShoalConfig, 'loadBalancers'>;
}

type Route = { method: string; pattern: RegExp; handler: (b: MatchBackend, params: string[], body: unknown) => unknown };

const text = (o: Record<string, unknown>, key: string, fallback: string): string => {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || v.length > 4096) throw validationError(`${key} must be a string (at most 4096 characters)`);
  return v;
};

/** The sample request as the router sees it; the path may carry the query after '?'. */
export function sampleRequest(body: unknown, port: number, protocol: string): RequestView {
  const o = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const full = text(o, 'path', '/');
  const q = full.indexOf('?');
  const headers = new Map<string, string>();
  const given = o.headers ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw validationError('headers must be an object of name: value');
  for (const [k, v] of Object.entries(given)) if (typeof v === 'string') headers.set(k.toLowerCase(), v);
  return {
    method: text(o, 'method', 'GET').toUpperCase(),
    path: q < 0 ? full : full.slice(0, q),
    query: q < 0 ? text(o, 'query', '') : full.slice(q + 1),
    host: text(o, 'host', headers.get('host') ?? ''),
    header: (name) => headers.get(name),
    sourceIp: text(o, 'sourceIp', '127.0.0.1'),
    port,
    protocol: protocol === 'HTTPS' ? 'HTTPS' : 'HTTP',
  };
}

export const matchRoutes: Route[] = [
  {
    method: 'POST', pattern: /^\/_shoal\/load-balancers\/([^/]+)\/match$/,
    handler: (b, [name], body) => {
      const lb = b.config.loadBalancers.find((l) => l.name === name);
      if (!lb) throw new ShoalError('LoadBalancerNotFound', `One or more load balancers not found: '${name}'`, 400);
      return {
        Listeners: lb.listeners.map((l) => {
          const router = compileRouter(l);
          const action = router.route(sampleRequest(body, l.port, l.protocol));
          return { Port: l.port, Protocol: l.protocol, MatchedPriority: router.matched === 0 ? 'default' : router.matched, Action: actionText([action]) };
        }),
      };
    },
  },
];
