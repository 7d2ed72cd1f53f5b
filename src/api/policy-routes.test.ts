import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ShoalError } from '../core/errors.js';
import { fileOwned, notFound } from '../resources/records.js';
import { policyRoutes, type PolicyBackend } from './policy-routes.js';

type Raw = Record<string, unknown>;

/** A model whose one group is API-owned (`api`) or declared in a file (`file`). */
function backend(): { b: PolicyBackend; raw: () => Raw } {
  let raw: Raw = { name: 'api', scalingPolicies: [{ name: 'add-one', policyType: 'SimpleScaling' }] };
  const b: PolicyBackend = {
    model: {
      create: async () => ({}) as never,
      update: async (kind, name, change) => {
        if (name === 'file') throw fileOwned(kind, name, { kind: 'file', file: 'shoal.yaml', line: 12 });
        if (name !== 'api') throw notFound(kind, name);
        raw = change(structuredClone(raw));
        return {} as never;
      },
    },
  };
  return { b, raw: () => raw };
}

const route = policyRoutes[0]!;
const call = (b: PolicyBackend, group: string, policy: string, body: unknown) => Promise.resolve().then(() => route.handler(b, [group, policy], body));

describe('POST /_shoal/auto-scaling-groups/G/policies/P/enabled', () => {
  const failures: { desc: string; group: string; policy: string; body: unknown; code: string; message: RegExp }[] = [
    { desc: 'a file-owned group names the file and line', group: 'file', policy: 'add-one', body: { enabled: false }, code: 'ResourceOwnedByFile', message: /shoal\.yaml:12/ },
    { desc: 'an unknown group', group: 'nope', policy: 'add-one', body: { enabled: false }, code: 'ValidationError', message: /AutoScalingGroup nope not found/ },
    { desc: 'an unknown policy', group: 'api', policy: 'nope', body: { enabled: false }, code: 'ValidationError', message: /'nope' does not exist/ },
    { desc: 'enabled is not a boolean', group: 'api', policy: 'add-one', body: { enabled: 'no' }, code: 'ValidationError', message: /"enabled": true\|false/ },
  ];
  for (const c of failures) {
    it(c.desc, async () => {
      await assert.rejects(call(backend().b, c.group, c.policy, c.body), (e: unknown) => e instanceof ShoalError && e.code === c.code && c.message.test(e.message));
    });
  }

  it('flips the policy of an API-owned group, keeping its other fields', async () => {
    const { b, raw } = backend();
    assert.ok(route.pattern.test('/_shoal/auto-scaling-groups/api/policies/add-one/enabled'));
    await call(b, 'api', 'add-one', { enabled: false });
    assert.deepEqual(raw().scalingPolicies, [{ name: 'add-one', policyType: 'SimpleScaling', enabled: false }]);
  });
});
