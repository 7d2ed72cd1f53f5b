/**
 * Listener rule routing, as ALB does it: rules by priority (lowest number
 * first), then the listener's default action. Compiled once per config
 * snapshot; route() runs on every request.
 *
 * API (what the proxy calls):
 *
 *   const router = compileRouter({ rules, defaultActions });   // once per snapshot; throws ValidationError on a bad rule
 *   const action = router.route(req);                           // per request: actions[0] of the first matching rule, else defaultActions[0]
 *   if (action.type === 'forward') tg = pickTargetGroup(action, random);   // weighted; weight-0 groups never chosen
 *   if (action.type === 'redirect') { statusCode, location } = renderRedirect(action.redirectConfig, req);
 *
 * Matching (ALB's semantics): values in one condition are OR, conditions in
 * one rule are AND. path-pattern is case-sensitive against the path only;
 * host-header is case-insensitive against the Host without its port;
 * http-header matches the first value of the named header, case-insensitive;
 * http-request-method is exact; query-string matches URL-decoded parameters,
 * case-insensitive, `\*` `\?` escape literals; source-ip is the socket's
 * address (never X-Forwarded-For). `*` and `?` are wildcards where allowed.
 *
 * route() does not allocate, except that a query-string condition decodes the
 * query once per request. It consults a RuleIndex so that only rules whose
 * host, path, indexed header or method could match are evaluated, still in
 * priority order (see rule-index.ts); the naive linear router in linear.ts is
 * the reference it is property-tested and benched against
 * (`node dist/bench/routing.js`).
 * A router is not re-entrant (it reuses per-request scratch); route() is
 * synchronous, so one router per worker is safe.
 */
import type { Action, Rule } from '../../model/load-balancer.js';
import { validationError } from '../../core/errors.js';
import { type CompiledRule, compileRules } from './conditions.js';
import { RequestState } from './request-state.js';
import { type Candidates, RuleIndex } from './rule-index.js';

export { pickTargetGroup } from './pick.js';
export { renderRedirect } from './redirect.js';

/** What the router needs from a request; the proxy adapts its parsed head to this. */
export interface RequestView {
  /** As sent, e.g. 'GET'. */
  method: string;
  /** The path part of the request target, without the query ('/a/b'). */
  path: string;
  /** Raw query string without '?', '' if none. */
  query: string;
  /** Host header value (may include :port), '' if absent. */
  host: string;
  /** First value of a header; the name is given lowercased. */
  header(lowerName: string): string | undefined;
  /** Client IP from the socket ('127.0.0.1', '::1', '::ffff:1.2.3.4' matches IPv4 CIDRs). */
  sourceIp: string;
  /** Listener port. */
  port: number;
  protocol: 'HTTP' | 'HTTPS';
}

export interface Router {
  route(req: RequestView): Action;
  /** The priority of the rule whose action the last route() returned; 0 for the default action (ALB's matched_rule_priority). */
  readonly matched: number;
}

export interface ListenerRules {
  rules: Rule[];
  defaultActions: Action[];
}

export function defaultAction(listener: ListenerRules): Action {
  const action = listener.defaultActions[0];
  if (!action) throw validationError('listener has no default action; add defaultActions');
  return action;
}

const NONE = 0x7fffffff;

class IndexedRouter implements Router {
  private readonly state = new RequestState();
  private readonly cands: Candidates = { lists: [], n: 0 };
  private readonly heads: number[] = [];
  matched = 0;

  constructor(
    private readonly rules: CompiledRule[],
    private readonly index: RuleIndex,
    private readonly fallback: Action,
  ) {}

  route(req: RequestView): Action {
    const st = this.state;
    st.reset(req);
    const c = this.cands;
    c.n = 0;
    this.index.collect(st, c);
    const { lists, n } = c;
    const heads = this.heads;
    for (let i = 0; i < n; i++) heads[i] = 0;
    // k-way merge of the sorted candidate lists, lowest rule index first; `last`
    // skips a rule listed twice (several values, or both tries).
    let last = -1;
    for (;;) {
      let best = NONE;
      for (let i = 0; i < n; i++) {
        const list = lists[i]!;
        let h = heads[i]!;
        while (h < list.length && list[h]! <= last) h++;
        heads[i] = h;
        if (h < list.length && list[h]! < best) best = list[h]!;
      }
      if (best === NONE) {
        this.matched = 0;
        return this.fallback;
      }
      last = best;
      const rule = this.rules[best]!;
      if (rule.matches(st)) {
        this.matched = rule.priority;
        return rule.action;
      }
    }
  }
}

/** Compiles a listener's rules into an indexed router. Throws ValidationError on a rule it cannot compile. */
export function compileRouter(listener: ListenerRules): Router {
  const fallback = defaultAction(listener);
  const rules = compileRules(listener.rules);
  return new IndexedRouter(rules, new RuleIndex(rules), fallback);
}
