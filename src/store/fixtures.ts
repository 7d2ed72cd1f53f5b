/** Small specs for store tests (and the SIGKILL fixture, which must not import node:test). */
import type { LoadBalancer } from '../model/load-balancer.js';
import { NO_STICKINESS, type TargetGroup } from '../model/target-group.js';

export function lb(name: string, targetGroup = 'app'): LoadBalancer {
  return {
    name,
    type: 'application',
    bindAddress: '127.0.0.1',
    listeners: [{ port: 8080, protocol: 'HTTP', rules: [],
      defaultActions: [{ type: 'forward', targetGroups: [{ targetGroup, weight: 1 }] }] }],
    attributes: { idleTimeoutSeconds: 60, desyncMitigationMode: 'defensive', headerTimeoutSeconds: 10, targetTimeoutSeconds: 60 },
  };
}

export function tg(name: string, port = 4000): TargetGroup {
  return {
    name,
    protocol: 'HTTP',
    port,
    healthCheck: { enabled: true, protocol: 'HTTP', path: '/health', port: 'traffic-port', intervalSeconds: 5,
      timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2, matcher: '200' },
    attributes: { deregistrationDelaySeconds: 30, algorithm: 'round_robin', slowStartSeconds: 0, anomalyMitigation: false, stickiness: { ...NO_STICKINESS } },
    targets: [{ id: '127.0.0.1', port: 9001 }],
  };
}
