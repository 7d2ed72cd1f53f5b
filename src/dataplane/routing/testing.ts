/** Test helpers: a RequestView from a few fields, and terse rule/action builders. Not used in production code. */
import type { Action, Condition, Rule } from '../../model/load-balancer.js';
import type { RequestView } from './router.js';

export interface RequestInit {
  method?: string;
  path?: string;
  query?: string;
  host?: string;
  headers?: Record<string, string>;
  sourceIp?: string;
  port?: number;
  protocol?: 'HTTP' | 'HTTPS';
}

export function request(init: RequestInit = {}): RequestView {
  const headers = new Map(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: init.method ?? 'GET',
    path: init.path ?? '/',
    query: init.query ?? '',
    host: init.host ?? 'example.com',
    header: (name) => headers.get(name),
    sourceIp: init.sourceIp ?? '127.0.0.1',
    port: init.port ?? 80,
    protocol: init.protocol ?? 'HTTP',
  };
}

export function fixed(body: string): Action {
  return { type: 'fixed-response', fixedResponseConfig: { statusCode: '200', contentType: 'text/plain', messageBody: body } };
}

export function rule(priority: number, conditions: Condition[], body = `r${priority}`): Rule {
  return { priority, conditions, actions: [fixed(body)] };
}

export function bodyOf(action: Action): string {
  return action.type === 'fixed-response' ? action.fixedResponseConfig.messageBody : action.type;
}

export const path = (...values: string[]): Condition => ({ field: 'path-pattern', values });
export const host = (...values: string[]): Condition => ({ field: 'host-header', values });
export const method = (...values: string[]): Condition => ({ field: 'http-request-method', values });
export const sourceIp = (...values: string[]): Condition => ({ field: 'source-ip', values });
export const header = (name: string, ...values: string[]): Condition => ({ field: 'http-header', httpHeaderName: name, values });
export const query = (...pairs: Array<{ key?: string; value: string }>): Condition => ({
  field: 'query-string',
  values: [],
  queryStringValues: pairs,
});
