/** The listener half of a data-plane snapshot, from the load balancers' spec: every listener, whatever its protocol (the data plane says which it cannot serve). */
import type { LoadBalancer } from '../model/load-balancer.js';
import type { ListenerSnapshot } from '../dataplane/snapshot.js';

export function buildListeners(loadBalancers: readonly LoadBalancer[]): ListenerSnapshot[] {
  const out: ListenerSnapshot[] = [];
  for (const lb of loadBalancers) {
    for (const l of lb.listeners) {
      out.push({
        loadBalancer: lb.name,
        bindAddress: lb.bindAddress,
        port: l.port,
        protocol: l.protocol,
        rules: [...l.rules].sort((a, b) => a.priority - b.priority),
        defaultActions: l.defaultActions,
        attributes: lb.attributes,
      });
    }
  }
  return out;
}
