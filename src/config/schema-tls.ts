/**
 * HTTPS listener fields (ALB's Certificates, SslPolicy, AlpnPolicy and
 * MutualAuthentication, with certificate files in place of ACM ARNs). The
 * files themselves are checked by tls-files.ts (readable, key matches,
 * not expired), which needs the config file's directory.
 */
import { z } from 'zod';
import { POLICY_NAMES } from '../dataplane/tls/policies.js';
import { list, oneOf, str, strictObject } from './schema-common.js';

const path = () => str({ max: 4096, what: 'a file path' });

export const certificateSchema = strictObject({
  certificateFile: path(),
  privateKeyFile: path(),
});

export const mutualAuthenticationSchema = strictObject({
  mode: oneOf(['off', 'verify', 'passthrough']).default('off'),
  trustStore: path().optional(),
}).superRefine((m, ctx) => {
  if (m.mode === 'verify' && m.trustStore === undefined) {
    ctx.addIssue({ code: 'custom', path: ['trustStore'], message: 'is required with mode verify: a PEM file of the CA certificates client certificates must chain to' });
  }
});

/** The TLS fields of a listener; all optional here, listenerTlsRules says which protocol needs which. */
export const listenerTlsFields = {
  certificates: list(certificateSchema, { min: 1, max: 25, noun: 'certificates' }).optional(),
  sslPolicy: oneOf(POLICY_NAMES).optional(),
  alpnPolicy: oneOf(['HTTP1Only', 'HTTP2Only', 'HTTP2Optional', 'HTTP2Preferred', 'None']).optional(),
  mutualAuthentication: mutualAuthenticationSchema.optional(),
};

interface ListenerLike {
  protocol?: unknown;
  certificates?: unknown;
  sslPolicy?: unknown;
  alpnPolicy?: unknown;
  mutualAuthentication?: unknown;
}

/** HTTPS and TLS need a certificate; the TLS fields mean nothing on other listeners (mutual TLS is ALB's: HTTPS only). */
export function listenerTlsRules(l: ListenerLike, ctx: z.RefinementCtx): void {
  if (l.protocol === 'HTTPS' || l.protocol === 'TLS') {
    if (l.certificates === undefined) {
      ctx.addIssue({ code: 'custom', path: ['protocol'], message: `an ${l.protocol} listener needs certificates: [{ certificateFile: web.pem, privateKeyFile: web.key }] (shoal cert makes development ones)` });
    }
    if (l.protocol === 'TLS' && l.mutualAuthentication !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['mutualAuthentication'], message: 'is only for HTTPS listeners (mutual TLS is an application load balancer feature); remove it from this TLS listener' });
    }
    return;
  }
  const kind = typeof l.protocol === 'string' ? l.protocol : 'HTTP or TCP (the default)';
  for (const field of ['certificates', 'sslPolicy', 'alpnPolicy', 'mutualAuthentication'] as const) {
    if (l[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `is only for HTTPS and TLS listeners (this one is ${kind}); set protocol: HTTPS (TLS on a network load balancer) or remove ${field}` });
  }
}
