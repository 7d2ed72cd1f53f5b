import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, seededRandom, type Random } from '../../core/random.js';
import type { Condition, Rule } from '../../model/load-balancer.js';
import { compileRouter, type RequestView } from './router.js';
import { compileLinearRouter } from './linear.js';
import { compileRules } from './conditions.js';
import { RequestState } from './request-state.js';
import { RuleIndex, type Candidates } from './rule-index.js';
import { bodyOf, fixed, header, host, method, path, query, request, rule, sourceIp } from './testing.js';

const defaults = [fixed('default')];

test('rules are evaluated by priority, not by the order written', () => {
  const router = compileRouter({ rules: [rule(30, [path('/a*')]), rule(10, [path('/a/*')]), rule(20, [path('*')])], defaultActions: defaults });
  assert.equal(bodyOf(router.route(request({ path: '/a/x' }))), 'r10');
  assert.equal(bodyOf(router.route(request({ path: '/ab' }))), 'r20');
});

test('an unindexable low-priority rule still wins over an indexed later one', () => {
  const router = compileRouter({
    rules: [rule(5, [query({ key: 'v', value: '2' })]), rule(6, [host('api.example.com')]), rule(7, [path('/x')])],
    defaultActions: defaults,
  });
  assert.equal(bodyOf(router.route(request({ query: 'v=2', host: 'api.example.com' }))), 'r5');
  assert.equal(bodyOf(router.route(request({ query: 'v=1', host: 'api.example.com' }))), 'r6');
  assert.equal(bodyOf(router.route(request({ path: '/x' }))), 'r7');
});

test('no match falls to the default action; the first action is returned', () => {
  const router = compileRouter({
    rules: [{ priority: 1, conditions: [path('/a')], actions: [fixed('first'), fixed('second')] }],
    defaultActions: [fixed('default'), fixed('other')],
  });
  assert.equal(bodyOf(router.route(request({ path: '/a' }))), 'first');
  assert.equal(bodyOf(router.route(request({ path: '/b' }))), 'default');
});

const combos: Array<[string, Condition[], Parameters<typeof request>[0], boolean]> = [
  ['host AND path, both match', [host('admin.*'), path('/ops/*')], { host: 'admin.local', path: '/ops/x' }, true],
  ['host AND path, path fails', [host('admin.*'), path('/ops/*')], { host: 'admin.local', path: '/x' }, false],
  ['host AND source-ip (design.md example)', [host('admin.*'), sourceIp('127.0.0.0/8')], { host: 'admin.x.io', sourceIp: '::ffff:127.0.0.9' }, true],
  ['host AND source-ip, ip fails', [host('admin.*'), sourceIp('127.0.0.0/8')], { host: 'admin.x.io', sourceIp: '10.0.0.1' }, false],
  ['two http-header conditions are AND', [header('a', '1'), header('b', '2')], { headers: { a: '1', b: '2' } }, true],
  ['two http-header conditions, one fails', [header('a', '1'), header('b', '2')], { headers: { a: '1', b: '3' } }, false],
  ['method AND query', [method('GET'), query({ key: 'v', value: '2' })], { method: 'GET', query: 'v=2' }, true],
  ['method AND query, method fails', [method('GET'), query({ key: 'v', value: '2' })], { method: 'PUT', query: 'v=2' }, false],
  ['no conditions always matches', [], {}, true],
];

for (const [name, conditions, req, want] of combos) {
  test(`combo: ${name}`, () => {
    const router = compileRouter({ rules: [rule(1, conditions, 'hit')], defaultActions: defaults });
    assert.equal(bodyOf(router.route(request(req))), want ? 'hit' : 'default');
  });
}

test('compile errors are ValidationErrors', () => {
  assert.throws(() => compileRouter({ rules: [], defaultActions: [] }), { code: 'ValidationError' });
  assert.throws(() => compileRouter({ rules: [{ priority: 1, conditions: [], actions: [] }], defaultActions: defaults }), { code: 'ValidationError' });
  assert.throws(() => compileRouter({ rules: [rule(1, [sourceIp('nope')])], defaultActions: defaults }), { code: 'ValidationError' });
});

test('the query string is decoded at most once per request, and only when needed', () => {
  let reads = 0;
  const base = request({ query: 'a=1&b=2' });
  const req: RequestView = Object.defineProperty({ ...base }, 'query', { get: () => (reads++, 'a=1&b=2') });
  const router = compileRouter({
    rules: [rule(1, [query({ key: 'a', value: '9' })]), rule(2, [query({ key: 'b', value: '9' })]), rule(3, [path('/nope')])],
    defaultActions: defaults,
  });
  router.route(req);
  assert.equal(reads, 1);
  reads = 0;
  compileRouter({ rules: [rule(1, [path('/x')])], defaultActions: defaults }).route(req);
  assert.equal(reads, 0);
});

/** How many rules the index offers for a request (with repeats), i.e. at most how many get evaluated. */
function candidateCount(rules: Rule[], req: RequestView): number {
  const index = new RuleIndex(compileRules(rules));
  const st = new RequestState();
  st.reset(req);
  const out: Candidates = { lists: [], n: 0 };
  index.collect(st, out);
  let total = 0;
  for (let i = 0; i < out.n; i++) total += out.lists[i]!.length;
  return total;
}

test('index: with 1,000 rules a request is offered only the rules that could match', () => {
  const rules: Rule[] = [];
  for (let i = 0; i < 500; i++) rules.push(rule(i + 1, [path(`/svc${i}/*`)]));
  for (let i = 0; i < 500; i++) rules.push(rule(501 + i, [host(`svc${i}.example.com`)]));
  assert.equal(candidateCount(rules, request({ path: '/svc42/x', host: 'other.org' })), 1);
  assert.equal(candidateCount(rules, request({ path: '/', host: 'svc7.example.com:8080' })), 1);
  assert.equal(candidateCount(rules, request({ path: '/nothing', host: 'nothing.org' })), 0);
});

test('index: header and method rules are indexed too', () => {
  const rules: Rule[] = [];
  for (let i = 0; i < 300; i++) rules.push(rule(i + 1, [header('X-Tenant', `t${i}`)]));
  for (let i = 0; i < 3; i++) rules.push(rule(301 + i, [method(['PUT', 'PATCH', 'DELETE'][i]!)]));
  assert.equal(candidateCount(rules, request({ headers: { 'x-tenant': 'T42' }, method: 'GET' })), 1);
  assert.equal(candidateCount(rules, request({ method: 'PATCH' })), 1);
});

test('index: a rule with host and path is filed under the more selective one', () => {
  const rules: Rule[] = [];
  for (let i = 0; i < 100; i++) rules.push(rule(i + 1, [host('api.example.com'), path(`/v${i}/*`)]));
  assert.equal(candidateCount(rules, request({ host: 'api.example.com', path: '/v5/x' })), 1);
});

// ---- property: the indexed router agrees with the naive linear one ----

const HOSTS = ['a.example.com', 'b.example.com', 'example.com', 'admin.internal', 'A.Example.COM', 'x.org'];
const PATHS = ['/', '/api', '/api/v1', '/api/v1/users', '/static/app.js', '/static/a.css', '/v2/x', '/API/v1'];
const HOST_PATTERNS = ['a.example.com', '*.example.com', 'example.com', 'admin.*', '*', '?.example.com', '*.example.*', 'x.org'];
const PATH_PATTERNS = ['/', '/api', '/api/*', '/api/v?/*', '*.js', '*.css', '/static/*', '*', '/v2/*', '*/v1*', '/API/*'];

function pickOf<T>(rnd: Random, xs: readonly T[]): T {
  return xs[randomInt(rnd, xs.length)]!;
}

function someOf(rnd: Random, xs: readonly string[]): string[] {
  return Array.from({ length: 1 + randomInt(rnd, 2) }, () => pickOf(rnd, xs));
}

function randomCondition(rnd: Random): Condition {
  switch (randomInt(rnd, 8)) {
    case 0:
    case 1:
      return host(...someOf(rnd, HOST_PATTERNS));
    case 2:
    case 3:
      return path(...someOf(rnd, PATH_PATTERNS));
    case 4:
      return method(...someOf(rnd, ['GET', 'POST']));
    case 5:
      return header('x-env', ...someOf(rnd, ['prod', 'can*', '*']));
    case 6:
      return query({ key: pickOf(rnd, ['v', 'debug']), value: pickOf(rnd, ['1', '*']) });
    default:
      return sourceIp(...someOf(rnd, ['127.0.0.0/8', '10.0.0.0/8', '::1/128']));
  }
}

function randomRequest(rnd: Random): RequestView {
  return request({
    host: pickOf(rnd, HOSTS) + pickOf(rnd, ['', ':8080']),
    path: pickOf(rnd, PATHS),
    method: pickOf(rnd, ['GET', 'POST', 'PUT']),
    headers: rnd.next() < 0.5 ? { 'x-env': pickOf(rnd, ['prod', 'canary']) } : {},
    query: pickOf(rnd, ['', 'v=1', 'debug=1&v=2']),
    sourceIp: pickOf(rnd, ['127.0.0.1', '10.1.1.1', '::1', '::ffff:10.0.0.5']),
  });
}

test('property: indexed router returns the same action as the linear reference', () => {
  const rnd = seededRandom(20240601);
  for (let set = 0; set < 200; set++) {
    const n = 1 + randomInt(rnd, 40);
    const priorities = new Set<number>();
    while (priorities.size < n) priorities.add(1 + randomInt(rnd, 50000));
    const rules = [...priorities].map((p) => rule(p, Array.from({ length: 1 + randomInt(rnd, 3) }, () => randomCondition(rnd))));
    const listener = { rules, defaultActions: defaults };
    const indexed = compileRouter(listener);
    const linear = compileLinearRouter(listener);
    for (let r = 0; r < 100; r++) {
      const req = randomRequest(rnd);
      assert.equal(bodyOf(indexed.route(req)), bodyOf(linear.route(req)), `set ${set}: ${JSON.stringify({ ...req, rules })}`);
    }
  }
});
