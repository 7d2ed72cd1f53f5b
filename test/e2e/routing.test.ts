/**
 * Listener rules end to end: several load balancers with several listeners in
 * one daemon, every condition type, and every action type, over real sockets.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startBackend, type Backend } from '../support/backends.js';
import { startDaemon, type TestDaemon } from '../support/daemon.js';
import { rawExchange } from '../support/raw-http.js';

let app: Backend;
let api: Backend;
let canary: Backend;
let shoal: TestDaemon;
let web1: number;
let web2: number;
let admin: number;

before(async () => {
  app = await startBackend('app');
  api = await startBackend('api');
  canary = await startBackend('canary');
  [web1, web2, admin] = [await freePort(), await freePort(), await freePort()];
  const group = (name: string, b: Backend): string => `
  - name: ${name}
    port: ${b.port}
    healthCheck: { path: /, intervalSeconds: 30 }
    targets: [{ id: 127.0.0.1 }]`;
  shoal = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: web
    listeners:
      - port: ${web1}
        defaultActions: [{ type: forward, targetGroup: app }]
        rules:
          - priority: 10
            conditions: [{ field: path-pattern, values: ["/api/*"] }]
            actions: [{ type: forward, targetGroup: api }]
          - priority: 20
            conditions: [{ field: host-header, values: ["admin.*"] }, { field: source-ip, values: ["127.0.0.0/8"] }]
            actions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "200", messageBody: "admin" } }]
          - priority: 30
            conditions: [{ field: path-pattern, values: ["/old/*"] }]
            actions: [{ type: redirect, redirectConfig: { path: "/new/#{path}", statusCode: HTTP_301 } }]
          - priority: 40
            conditions: [{ field: http-request-method, values: [DELETE] }]
            actions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "403", contentType: text/plain, messageBody: "no" } }]
          - priority: 50
            conditions: [{ field: http-header, httpHeaderName: X-Canary, values: ["y*"] }]
            actions: [{ type: forward, targetGroup: canary }]
          - priority: 60
            conditions: [{ field: query-string, queryStringValues: [{ key: version, value: "2" }] }]
            actions: [{ type: forward, targetGroup: canary }]
          - priority: 70
            conditions: [{ field: source-ip, values: ["10.0.0.0/8"] }]
            actions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "500", messageBody: "never" } }]
          - priority: 80
            conditions: [{ field: path-pattern, values: ["/split"] }]
            actions: [{ type: forward, forwardConfig: { targetGroups: [{ targetGroup: app, weight: 1 }, { targetGroup: canary, weight: 1 }] } }]
      - port: ${web2}
        defaultActions: [{ type: redirect, redirectConfig: { protocol: HTTPS, port: "443", statusCode: HTTP_302 } }]
  - name: admin
    listeners:
      - port: ${admin}
        defaultActions: [{ type: forward, targetGroup: api }]
targetGroups:${group('app', app)}${group('api', api)}${group('canary', canary)}
`);
});

after(async () => {
  await shoal.stop();
  await Promise.all([app.close(), api.close(), canary.close()]);
});

const req = (port: number, line: string, headers = 'Host: www.example.com\r\n') =>
  rawExchange(port, `${line} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`);

const cases: { description: string; port: () => number; line: string; headers?: string; status: number; body?: RegExp; location?: string }[] = [
  { description: 'no rule matches: the default action', port: () => web1, line: 'GET /', status: 200, body: /^app GET \// },
  { description: 'path-pattern with a wildcard', port: () => web1, line: 'GET /api/v1/users?x=1', status: 200, body: /^api GET \/api\/v1\/users\?x=1/ },
  { description: 'path-pattern is case-sensitive', port: () => web1, line: 'GET /API/v1', status: 200, body: /^app / },
  { description: 'host-header with a wildcard AND source-ip', port: () => web1, line: 'GET /', headers: 'Host: admin.example.com:8080\r\n', status: 200, body: /^admin$/ },
  { description: 'redirect with #{path}', port: () => web1, line: 'GET /old/page?q=1', status: 301, location: 'http://www.example.com:PORT/new/old/page?q=1' },
  { description: 'http-request-method', port: () => web1, line: 'DELETE /thing', status: 403, body: /^no$/ },
  { description: 'http-header with a wildcard, case-insensitive', port: () => web1, line: 'GET /x', headers: 'Host: a\r\nx-canary: YES\r\n', status: 200, body: /^canary / },
  { description: 'query-string key/value', port: () => web1, line: 'GET /x?a=1&version=2', status: 200, body: /^canary / },
  { description: 'a source-ip condition that does not match the client', port: () => web1, line: 'GET /ten', status: 200, body: /^app / },
  { description: 'second listener of the same load balancer: HTTPS redirect', port: () => web2, line: 'GET /p?q', status: 302, location: 'https://www.example.com/p?q' },
  { description: 'second load balancer', port: () => admin, line: 'GET /anything', status: 200, body: /^api / },
];

for (const c of cases) {
  test(`routing: ${c.description}`, async () => {
    const r = await req(c.port(), c.line, c.headers);
    assert.equal(r.status, c.status, r.raw);
    if (c.body) assert.match(r.body, c.body);
    if (c.location) assert.equal(r.headers.location, c.location.replace('PORT', String(web1)));
  });
}

test('routing: weighted forward sends traffic to both groups', async () => {
  const seen = new Set<string>();
  for (let i = 0; i < 40 && seen.size < 2; i++) seen.add((await req(web1, 'GET /split')).body.split(' ')[0]!);
  assert.deepEqual([...seen].sort(), ['app', 'canary']);
});
