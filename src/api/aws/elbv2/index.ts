/**
 * Elastic Load Balancing v2 (API 2015-12-01) operations over shoal's model:
 * load balancers, listeners and rules, target groups and their attributes,
 * registrations and health, tags, SSL policies. See docs/aws-api.md.
 */
import { awsError, type Operations } from '../common/op.js';
import type { Elbv2Deps } from './deps.js';
import { listenerOps } from './listeners.js';
import { loadBalancerOps } from './load-balancers.js';
import { ruleOps } from './rules.js';
import { tagOps } from './tags.js';
import { targetGroupOps } from './target-groups.js';
import { targetOps } from './targets.js';

export type { Elbv2Deps } from './deps.js';

export function operations(d: Elbv2Deps): Operations {
  return {
    ...loadBalancerOps(d),
    ...listenerOps(d),
    ...ruleOps(d),
    ...targetGroupOps(d),
    ...targetOps(d),
    ...tagOps(d),
    DescribeSSLPolicies(input) {
      const all = d.sslPolicies?.() ?? [];
      const names = input.Names as string[] | undefined;
      const found = names === undefined ? all : names.map((n) => all.find((p) => p.Name === n) ?? (() => { throw awsError('SSLPolicyNotFound', `One or more SSL policies not found: '${n}'`); })());
      return { SslPolicies: found };
    },
  };
}
