/**
 * What CreateListener and ModifyListener check before the model sees the
 * listener, in AWS's codes and words: a listener protocol must fit the load
 * balancer's type (ValidationError), HTTPS and TLS need a certificate and
 * the others take none (ValidationError), and a forward must reach target
 * groups of a protocol the listener carries (IncompatibleProtocols). The
 * config file's rules (schema-network.ts, references-network.ts) say the
 * same in its own words; these run first so API clients see AWS's.
 */
import { LISTENER_CARRIES as CARRIES, type LoadBalancerType } from '../../../model/load-balancer.js';
import { awsError } from '../common/op.js';

type Raw = Record<string, unknown>;

const BY_TYPE: Record<LoadBalancerType, readonly string[]> = {
  application: ['HTTP', 'HTTPS'],
  network: ['TCP', 'TLS', 'UDP', 'TCP_UDP'],
};


/** The protocol a listener gets when the request names none: TCP on a network load balancer, HTTP on an application one. */
export function defaultListenerProtocol(type: LoadBalancerType): string {
  return type === 'network' ? 'TCP' : 'HTTP';
}

export interface ListenerCheck {
  type: LoadBalancerType;
  protocol: string;
  hasCertificates: boolean;
  /** The target groups the listener's actions forward to: ARN and protocol. */
  forwards: ReadonlyArray<{ arn: string; protocol: string }>;
}

export function checkListener(c: ListenerCheck): void {
  const allowed = BY_TYPE[c.type];
  if (!allowed.includes(c.protocol)) {
    throw awsError('ValidationError', `Listener protocol '${c.protocol}' must be one of '${allowed.join(', ')}'`);
  }
  const secure = c.protocol === 'HTTPS' || c.protocol === 'TLS';
  if (secure && !c.hasCertificates) throw awsError('ValidationError', `A certificate must be specified for ${c.protocol} listeners`);
  if (!secure && c.hasCertificates) throw awsError('ValidationError', `A certificate cannot be specified for ${c.protocol} listeners`);
  const carries = CARRIES[c.protocol]!;
  const bad = c.forwards.find((g) => !carries.includes(g.protocol));
  if (bad) {
    // AWS's words (IncompatibleProtocolsException); what would fit is in docs/load-balancing.md.
    throw awsError('IncompatibleProtocols', `The listener and its associated target group '${bad.arn}' have incompatible protocols`);
  }
}

/** Target group names in raw (config-form) actions, as actionsIn makes them. */
export function forwardedNames(actions: readonly Raw[]): string[] {
  return actions.flatMap((a) => {
    if (a.type !== 'forward') return [];
    if (typeof a.targetGroup === 'string') return [a.targetGroup];
    const fc = a.forwardConfig as { targetGroups?: Array<{ targetGroup: string }> } | undefined;
    return (fc?.targetGroups ?? []).map((g) => g.targetGroup);
  });
}
