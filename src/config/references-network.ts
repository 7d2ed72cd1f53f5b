/**
 * A listener forwards only to target groups whose protocol it can carry, as
 * elbv2 requires: TCP -> TCP or TCP_UDP, TLS -> TCP or TLS, UDP -> UDP or
 * TCP_UDP, TCP_UDP -> TCP_UDP; HTTP and HTTPS -> HTTP or HTTPS. Runs on the
 * raw data (references.ts): every read is defensive.
 */
import { LISTENER_CARRIES as CARRIES } from '../model/load-balancer.js';
import type { IssuePath, RawIssue } from './issues.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);


export function checkListenerGroupProtocols(data: Obj, issues: RawIssue[]): void {
  const protocols = new Map<string, string>();
  for (const tg of items(data.targetGroups)) {
    if (isObj(tg) && typeof tg.name === 'string' && !protocols.has(tg.name)) protocols.set(tg.name, typeof tg.protocol === 'string' ? tg.protocol : 'HTTP');
  }
  items(data.loadBalancers).forEach((lb, l) => {
    if (!isObj(lb)) return;
    const fallback = lb.type === 'network' ? 'TCP' : 'HTTP';
    items(lb.listeners).forEach((listener, n) => {
      if (!isObj(listener)) return;
      const protocol = listener.protocol === undefined ? fallback : listener.protocol;
      const carries = typeof protocol === 'string' ? CARRIES[protocol] : undefined;
      if (carries === undefined) return; // the schema reports it
      const path: IssuePath = ['loadBalancers', l, 'listeners', n];
      const check = (name: unknown, at: IssuePath) => {
        const got = typeof name === 'string' ? protocols.get(name) : undefined;
        if (got === undefined || carries.includes(got)) return; // undefined: references.ts reports a missing group
        issues.push({ path: at, message: `a ${protocol} listener forwards to ${carries.join(' or ')} target groups; target group "${String(name)}" is ${got}` });
      };
      items(listener.defaultActions).forEach((a, i) => {
        if (!isObj(a) || a.type !== 'forward') return;
        check(a.targetGroup, [...path, 'defaultActions', i, 'targetGroup']);
        const weighted = isObj(a.forwardConfig) ? a.forwardConfig.targetGroups : undefined;
        items(weighted).forEach((g, k) => {
          if (isObj(g)) check(g.targetGroup, [...path, 'defaultActions', i, 'forwardConfig', 'targetGroups', k, 'targetGroup']);
        });
      });
      items(listener.rules).forEach((r, ri) => {
        if (!isObj(r)) return;
        items(r.actions).forEach((a, i) => {
          if (isObj(a) && a.type === 'forward') check(a.targetGroup, [...path, 'rules', ri, 'actions', i, 'targetGroup']);
        });
      });
    });
  });
}
