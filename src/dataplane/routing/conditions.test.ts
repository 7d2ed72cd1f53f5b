/** One table per condition type, run through both routers (indexed and linear) so both honour ALB's semantics. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Condition } from '../../model/load-balancer.js';
import { compileRouter } from './router.js';
import { compileLinearRouter } from './linear.js';
import { bodyOf, fixed, header, host, method, path, query, request, type RequestInit, rule, sourceIp } from './testing.js';

type Case = [description: string, condition: Condition, req: RequestInit, matches: boolean];

const tables: Record<string, Case[]> = {
  'path-pattern': [
    ['prefix wildcard', path('/api/*'), { path: '/api/users' }, true],
    ['case-sensitive', path('/api/*'), { path: '/API/users' }, false],
    ['query is not part of the path', path('/a*b'), { path: '/a', query: 'b' }, false],
    ['query ignored by exact path', path('/login'), { path: '/login', query: 'next=/x' }, true],
    ['question mark', path('/img/?.png'), { path: '/img/a.png' }, true],
    ['several values are OR', path('/a', '/b'), { path: '/b' }, true],
    ['none of the values', path('/a', '/b'), { path: '/c' }, false],
    ['suffix', path('*.css'), { path: '/static/site.css' }, true],
  ],
  'host-header': [
    ['exact', host('api.example.com'), { host: 'api.example.com' }, true],
    ['case-insensitive', host('API.example.com'), { host: 'api.EXAMPLE.com' }, true],
    ['port is ignored', host('api.example.com'), { host: 'api.example.com:8080' }, true],
    ['wildcard subdomain', host('*.example.com'), { host: 'a.b.example.com:443' }, true],
    ['wildcard needs the dot', host('*.example.com'), { host: 'example.com' }, false],
    ['prefix wildcard', host('admin.*'), { host: 'admin.internal' }, true],
    ['question mark', host('api?.example.com'), { host: 'api2.example.com' }, true],
    ['absent Host', host('*.example.com'), { host: '' }, false],
    ['bracketed IPv6 host keeps its brackets', host('[::1]'), { host: '[::1]:8080' }, true],
  ],
  'http-header': [
    ['name case-insensitive', header('User-Agent', '*Mobile*'), { headers: { 'user-agent': 'x Mobile y' } }, true],
    ['value case-insensitive', header('x-env', 'Canary'), { headers: { 'x-env': 'CANARY' } }, true],
    ['value wildcard', header('x-env', 'can*'), { headers: { 'x-env': 'canary-2' } }, true],
    ['absent header', header('x-env', '*'), {}, false],
    ['different value', header('x-env', 'prod'), { headers: { 'x-env': 'dev' } }, false],
  ],
  'http-request-method': [
    ['exact', method('DELETE'), { method: 'DELETE' }, true],
    ['case-sensitive', method('DELETE'), { method: 'delete' }, false],
    ['OR of methods', method('GET', 'HEAD'), { method: 'HEAD' }, true],
    ['other method', method('GET', 'HEAD'), { method: 'POST' }, false],
  ],
  'query-string': [
    ['key and value', query({ key: 'version', value: 'v1' }), { query: 'a=1&version=v1' }, true],
    ['value case-insensitive', query({ key: 'version', value: 'v1' }), { query: 'version=V1' }, true],
    ['key case-insensitive', query({ key: 'Version', value: 'v1' }), { query: 'VERSION=v1' }, true],
    ['wrong value', query({ key: 'version', value: 'v1' }), { query: 'version=v2' }, false],
    ['value only, any key', query({ value: '*example*' }), { query: 'a=1&site=www.example.org' }, true],
    ['value only, no match', query({ value: 'x' }), { query: 'a=1' }, false],
    ['URL-decoded', query({ key: 'q', value: 'a b' }), { query: 'q=a%20b' }, true],
    ['decoded key', query({ key: 'my key', value: '1' }), { query: 'my%20key=1' }, true],
    ['malformed escape kept raw', query({ key: 'q', value: '%zz' }), { query: 'q=%zz' }, true],
    ['pairs are OR', query({ key: 'a', value: '9' }, { key: 'b', value: '2' }), { query: 'a=1&b=2' }, true],
    ['key without value', query({ key: 'debug', value: '' }), { query: 'debug' }, true],
    ['escaped star is literal', query({ key: 'x', value: '\\*' }), { query: 'x=*' }, true],
    ['escaped star does not wildcard', query({ key: 'x', value: '\\*' }), { query: 'x=abc' }, false],
    ['no query', query({ value: '*' }), { query: '' }, false],
  ],
  'source-ip': [
    ['v4 CIDR', sourceIp('127.0.0.0/8'), { sourceIp: '127.0.0.1' }, true],
    ['mapped v4 client', sourceIp('127.0.0.0/8'), { sourceIp: '::ffff:127.0.0.1' }, true],
    ['v6 CIDR', sourceIp('::1/128'), { sourceIp: '::1' }, true],
    ['outside', sourceIp('10.0.0.0/8', '::1/128'), { sourceIp: '192.168.0.1' }, false],
    ['X-Forwarded-For is not the source', sourceIp('10.0.0.0/8'), { sourceIp: '127.0.0.1', headers: { 'x-forwarded-for': '10.0.0.1' } }, false],
  ],
};

const compilers = { indexed: compileRouter, linear: compileLinearRouter };

for (const [field, cases] of Object.entries(tables)) {
  for (const [name, compile] of Object.entries(compilers)) {
    test(`${field} (${name})`, async (t) => {
      for (const [description, condition, req, matches] of cases) {
        await t.test(description, () => {
          const router = compile({ rules: [rule(1, [condition], 'hit')], defaultActions: [fixed('default')] });
          assert.equal(bodyOf(router.route(request(req))), matches ? 'hit' : 'default');
        });
      }
    });
  }
}
