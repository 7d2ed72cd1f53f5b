/** The listener half of a data-plane snapshot, from the load balancers' spec: every listener, whatever its protocol (the data plane says which it cannot serve). */
import type { Listener, LoadBalancer } from '../model/load-balancer.js';
import type { ListenerSnapshot, TlsSnapshot } from '../dataplane/snapshot.js';

/** `tls` gives an HTTPS listener's certificates as PEM (tls/material.ts). */
export function buildListeners(loadBalancers: readonly LoadBalancer[], tls?: (l: Listener, lb: LoadBalancer) => TlsSnapshot | undefined): ListenerSnapshot[] {
  const out: ListenerSnapshot[] = [];
  for (const lb of loadBalancers) {
    for (const l of lb.listeners) {
      const t = tls?.(l, lb);
      out.push({
        loadBalancer: lb.name,
        bindAddress: lb.bindAddress,
        port: l.port,
        protocol: l.protocol,
        rules: [...l.rules].sort((a, b) => a.priority - b.priority),
        defaultActions: l.defaultActions,
        attributes: lb.attributes,
        ...(t !== undefined ? { tls: t } : {}),
      });
    }
  }
  return out;
}
