/**
 * The naive router: every rule in priority order until one matches. Same
 * compiled conditions as the indexed router, no index — the reference the
 * indexed router is property-tested against and benched side by side with.
 */
import type { Action } from '../../model/load-balancer.js';
import { compileRules } from './conditions.js';
import { RequestState } from './request-state.js';
import { defaultAction, type ListenerRules, type RequestView, type Router } from './router.js';

export function compileLinearRouter(listener: ListenerRules): Router {
  const fallback: Action = defaultAction(listener);
  const rules = compileRules(listener.rules);
  const st = new RequestState();
  let matched = 0;
  return {
    get matched() {
      return matched;
    },
    route(req: RequestView): Action {
      st.reset(req);
      for (let i = 0; i < rules.length; i++) {
        if (rules[i]!.matches(st)) {
          matched = rules[i]!.priority;
          return rules[i]!.action;
        }
      }
      matched = 0;
      return fallback;
    },
  };
}
