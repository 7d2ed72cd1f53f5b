/**
 * Listener rule routing with 1,000 rules: the indexed router (router.ts)
 * against the naive linear one (linear.ts), side by side in one run, reported
 * as ops/s and the ratio indexed/naive (style.md rule 10).
 *
 *   npx tsc -p . && node dist/bench/routing.js
 *
 * Rules, in priority order, cycle through realistic shapes:
 *   path-pattern /svc{i}/*, host-header svc{i}.example.com,
 *   http-header x-tenant: t{i} (unindexable: evaluated by both routers on
 *   every request), http-request-method DELETE + path-pattern /admin{i}/*.
 */
import type { Rule } from '../src/model/load-balancer.js';
import { compileRouter, type RequestView, type Router } from '../src/dataplane/routing/router.js';
import { compileLinearRouter } from '../src/dataplane/routing/linear.js';

const RULES = 1000;

function fixed(body: string) {
  return { type: 'fixed-response' as const, fixedResponseConfig: { statusCode: '200', contentType: 'text/plain', messageBody: body } };
}

function buildRules(): Rule[] {
  const rules: Rule[] = [];
  for (let i = 0; i < RULES; i++) {
    const priority = i + 1;
    const actions = [fixed(`r${priority}`)];
    switch (i % 10) {
      case 9:
        rules.push({ priority, actions, conditions: [{ field: 'http-header', httpHeaderName: 'X-Tenant', values: [`t${i}`] }] });
        break;
      case 8:
        rules.push({ priority, actions, conditions: [{ field: 'http-request-method', values: ['DELETE'] }, { field: 'path-pattern', values: [`/admin${i}/*`] }] });
        break;
      default:
        rules.push(i % 2 === 0
          ? { priority, actions, conditions: [{ field: 'path-pattern', values: [`/svc${i}/*`] }] }
          : { priority, actions, conditions: [{ field: 'host-header', values: [`svc${i}.example.com`] }] });
    }
  }
  return rules;
}

function req(host: string, path: string, method = 'GET'): RequestView {
  const headers: Record<string, string> = { 'user-agent': 'bench', accept: '*/*' };
  return { method, path, query: 'page=2', host, header: (n) => headers[n], sourceIp: '127.0.0.1', port: 8080, protocol: 'HTTP' };
}

const cases: Array<[string, RequestView, string]> = [
  ['matched-early (priority 1, path)', req('www.example.com:8080', '/svc0/users/42'), 'r1'],
  ['matched-late (priority 998, host)', req('svc997.example.com:8080', '/index.html'), 'r998'],
  ['default (no rule matches)', req('www.example.com:8080', '/index.html'), 'fixed-response'],
];

let sink = 0;

/** ops/s over ~durationMs of real time (benchmarks may read real time; tests may not). */
function measure(router: Router, r: RequestView, durationMs: number): number {
  const batch = 1000;
  let ops = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(durationMs) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++) sink += router.route(r).type.length;
    ops += batch;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(1)}k`;
}

function main(): void {
  const listener = { rules: buildRules(), defaultActions: [fixed('default')] };
  const indexed = compileRouter(listener);
  const naive = compileLinearRouter(listener);
  const label = (a: ReturnType<Router['route']>) => (a.type === 'fixed-response' ? a.fixedResponseConfig.messageBody : a.type);
  for (const [name, r, want] of cases) {
    const a = label(indexed.route(r));
    const b = label(naive.route(r));
    if (a !== b || (want !== 'fixed-response' && a !== want)) throw new Error(`${name}: indexed=${a} naive=${b} want=${want}`);
    measure(indexed, r, 200); // warm up both before timing
    measure(naive, r, 200);
  }
  console.log(`routing: ${RULES} rules, node ${process.version}`);
  console.log(['case'.padEnd(36), 'indexed ops/s'.padStart(14), 'naive ops/s'.padStart(14), 'indexed/naive'.padStart(14)].join(''));
  for (const [name, r] of cases) {
    const i = measure(indexed, r, 1000);
    const n = measure(naive, r, 1000);
    console.log([name.padEnd(36), fmt(i).padStart(14), fmt(n).padStart(14), `${(i / n).toFixed(2)}x`.padStart(14)].join(''));
  }
  if (sink === 42) console.log('');
}

main();
