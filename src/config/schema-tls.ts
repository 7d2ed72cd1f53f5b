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

/** HTTPS needs a certificate; the TLS fields mean nothing on an HTTP listener. */
export function listenerTlsRules(l: ListenerLike, ctx: z.RefinementCtx): void {
  if (l.protocol === 'HTTPS') {
    if (l.certificates === undefined) {
      ctx.addIssue({ code: 'custom', path: ['protocol'], message: 'an HTTPS listener needs certificates: [{ certificateFile: web.pem, privateKeyFile: web.key }] (shoal cert makes development ones)' });
    }
    return;
  }
  if (l.protocol !== 'HTTP') return;
  for (const field of ['certificates', 'sslPolicy', 'alpnPolicy', 'mutualAuthentication'] as const) {
    if (l[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `is only for HTTPS listeners (this one is HTTP); set protocol: HTTPS or remove ${field}` });
  }
}
