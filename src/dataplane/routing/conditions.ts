/**
 * Rules compiled to predicates, once per config. Several values in one
 * condition are OR; several conditions in one rule are AND (ALB). Predicates
 * run on every request: they must not allocate (query decoding, done lazily by
 * RequestState, is the one exception).
 */
import type { Action, Condition, Rule } from '../../model/load-balancer.js';
import { validationError } from '../../core/errors.js';
import { compileCidrs } from './ip.js';
import type { RequestState } from './request-state.js';
import { compileWildcard, type Matcher } from './wildcard.js';

export type Predicate = (st: RequestState) => boolean;

export interface CompiledRule {
  /** Position in priority order: the index and the merge compare these. */
  index: number;
  priority: number;
  /** The rule as written, for the index to read its conditions. */
  rule: Rule;
  action: Action;
  matches: Predicate;
}

const PATH = { caseInsensitive: false, escapes: false };
const FOLDED = { caseInsensitive: true, escapes: false };
const QUERY = { caseInsensitive: true, escapes: true };

function anyOf(ms: Matcher[], s: string, from: number, to: number): boolean {
  for (let i = 0; i < ms.length; i++) if (ms[i]!(s, from, to)) return true;
  return false;
}

function compileQuery(cond: Condition): Predicate {
  const pairs = (cond.queryStringValues ?? []).map((kv) => ({
    key: kv.key === undefined ? null : compileWildcard(kv.key, QUERY),
    value: compileWildcard(kv.value, QUERY),
  }));
  return (st) => {
    const q = st.query();
    for (let p = 0; p < pairs.length; p++) {
      const { key, value } = pairs[p]!;
      for (let i = 0; i < q.count; i++) {
        const k = q.keys[i]!;
        const v = q.values[i]!;
        if ((key === null || key(k, 0, k.length)) && value(v, 0, v.length)) return true;
      }
    }
    return false;
  };
}

export function compileCondition(cond: Condition): Predicate {
  const values = cond.values ?? [];
  switch (cond.field) {
    case 'path-pattern': {
      const ms = values.map((v) => compileWildcard(v, PATH));
      return (st) => anyOf(ms, st.req.path, 0, st.req.path.length);
    }
    case 'host-header': {
      const ms = values.map((v) => compileWildcard(v, FOLDED));
      return (st) => anyOf(ms, st.host, 0, st.hostEnd);
    }
    case 'http-header': {
      if (!cond.httpHeaderName) throw validationError('http-header condition needs httpHeaderName');
      const name = cond.httpHeaderName.toLowerCase();
      const ms = values.map((v) => compileWildcard(v, FOLDED));
      return (st) => {
        const h = st.req.header(name);
        return h !== undefined && anyOf(ms, h, 0, h.length);
      };
    }
    case 'http-request-method': {
      const methods = values.slice();
      return (st) => methods.includes(st.req.method);
    }
    case 'query-string':
      return compileQuery(cond);
    case 'source-ip': {
      const cidrs = compileCidrs(values);
      return (st) => cidrs.contains(st.ip());
    }
    default:
      throw validationError(`unknown condition field '${String((cond as Condition).field)}'`);
  }
}

/** Cheap, selective checks first; the query string last (it is decoded on first use). Order cannot change the result. */
const COST: Record<string, number> = {
  'http-request-method': 0,
  'path-pattern': 1,
  'host-header': 2,
  'http-header': 3,
  'source-ip': 4,
  'query-string': 5,
};

function byCost(conds: Condition[]): Condition[] {
  return conds.slice().sort((a, b) => (COST[a.field] ?? 9) - (COST[b.field] ?? 9));
}

function allOf(ps: Predicate[]): Predicate {
  switch (ps.length) {
    case 0:
      return () => true;
    case 1:
      return ps[0]!;
    case 2: {
      const [a, b] = ps as [Predicate, Predicate];
      return (st) => a(st) && b(st);
    }
    default:
      return (st) => {
        for (let i = 0; i < ps.length; i++) if (!ps[i]!(st)) return false;
        return true;
      };
  }
}

/** Sorts by priority (lowest first; stable for equal ones, which validation forbids) and compiles each rule. */
export function compileRules(rules: Rule[]): CompiledRule[] {
  const sorted = rules.slice().sort((a, b) => a.priority - b.priority);
  return sorted.map((rule, index) => {
    const action = rule.actions[0];
    if (!action) throw validationError(`rule with priority ${rule.priority} has no actions`);
    return { index, priority: rule.priority, rule, action, matches: allOf(byCost(rule.conditions).map(compileCondition)) };
  });
}
