import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Action, LoadBalancer } from '../model/load-balancer.js';
import { matchRoutes, type MatchBackend } from './match-routes.js';

const forward = (tg: string): Action => ({ type: 'forward', targetGroups: [{ targetGroup: tg, weight: 1 }] });
const lb: LoadBalancer = {
  name: 'web', type: 'application', bindAddress: '127.0.0.1', attributes: {} as LoadBalancer['attributes'],
  listeners: [{
    port: 80, protocol: 'HTTP', defaultActions: [forward('app')],
    rules: [
      { priority: 20, conditions: [{ field: 'path-pattern', values: ['/api/*'] }], actions: [forward('api')] },
      { priority: 10, conditions: [{ field: 'host-header', values: ['admin.example.com'] }], actions: [forward('admin')] },
      { priority: 30, conditions: [{ field: 'http-header', httpHeaderName: 'x-canary', values: ['yes'] }], actions: [forward('canary')] },
    ],
  }],
};
const b: MatchBackend = { config: { loadBalancers: [lb] } };
const match = (body: unknown) => matchRoutes[0]!.handler(b, ['web'], body) as { Listeners: Array<{ MatchedPriority: number | string; Action: string }> };

describe('POST /_shoal/load-balancers/LB/match', () => {
  const cases: { desc: string; body: unknown; priority: number | string; action: string }[] = [
    { desc: 'nothing matches: the default action', body: { path: '/' }, priority: 'default', action: 'forward to app' },
    { desc: 'a path rule', body: { path: '/api/users?id=1' }, priority: 20, action: 'forward to api' },
    { desc: 'the lowest priority wins when two match', body: { path: '/api/x', host: 'admin.example.com:80' }, priority: 10, action: 'forward to admin' },
    { desc: 'a header rule, the name in any case', body: { headers: { 'X-Canary': 'yes' } }, priority: 30, action: 'forward to canary' },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const r = match(c.body).Listeners[0]!;
      assert.deepEqual([r.MatchedPriority, r.Action], [c.priority, c.action]);
    });
  }

  it('an unknown load balancer, and a field of the wrong type', () => {
    assert.throws(() => matchRoutes[0]!.handler(b, ['nope'], {}), { code: 'LoadBalancerNotFound' });
    assert.throws(() => match({ path: 3 }), { code: 'ValidationError' });
  });
});
