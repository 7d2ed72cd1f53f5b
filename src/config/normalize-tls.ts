/** HTTPS listener fields from the schema's output to the model: defaults filled, file paths absolute. */
import { isAbsolute, resolve } from 'node:path';
import type { Listener } from '../model/load-balancer.js';
import { isNetworkProtocol, type TargetGroupProtocol } from '../model/target-group.js';
import { DEFAULT_SSL_POLICY } from '../dataplane/tls/policies.js';
import type { LoadBalancerInput } from './schema-load-balancer.js';

type ListenerInput = LoadBalancerInput['listeners'][number];
type TlsFields = Pick<Listener, 'certificates' | 'sslPolicy' | 'alpnPolicy' | 'mutualAuthentication'>;

export function resolvePath(configDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(configDir, p);
}

/** Nothing for HTTP, TCP and UDP listeners (their model stays as it was); every TLS field for HTTPS and TLS ones. */
export function listenerTls(l: ListenerInput, configDir: string): TlsFields {
  if (l.protocol !== 'HTTPS' && l.protocol !== 'TLS') return {};
  const m = l.mutualAuthentication;
  return {
    certificates: (l.certificates ?? []).map((c) => ({
      certificateFile: resolvePath(configDir, c.certificateFile),
      privateKeyFile: resolvePath(configDir, c.privateKeyFile),
    })),
    sslPolicy: l.sslPolicy ?? DEFAULT_SSL_POLICY,
    alpnPolicy: l.alpnPolicy ?? 'None',
    mutualAuthentication: m === undefined || m.mode === 'off'
      ? { mode: 'off' }
      : { mode: m.mode, ...(m.trustStore !== undefined ? { trustStore: resolvePath(configDir, m.trustStore) } : {}) },
  };
}

/** ALB checks HTTPS target groups over HTTPS unless told otherwise; NLB groups check with TCP by default. */
export function healthCheckProtocol(group: TargetGroupProtocol, given?: 'HTTP' | 'HTTPS' | 'TCP'): 'HTTP' | 'HTTPS' | 'TCP' {
  if (given !== undefined) return given;
  if (isNetworkProtocol(group)) return 'TCP';
  return group === 'HTTPS' ? 'HTTPS' : 'HTTP';
}
