/**
 * An HTTPS listener's certificates as SecureContexts, with ALB's selection:
 * a client's SNI name picks the certificate that names it (subject alt
 * names, else the CN), an exact name before a wildcard (`*.example.com`
 * covers one label: a.example.com, not a.b.example.com nor example.com);
 * no SNI, or no match, gets the default (the first) certificate.
 *
 * API
 *   new CertificateSet(tls)        compiles every context once (throws on a bad PEM: the config checked it)
 *   set.default                    the default certificate's context
 *   set.select(servername)         the context to present; called per handshake: a map lookup or two
 *   certificateNames(pem)          the DNS names a certificate covers, lowercased
 *   tlsOptions(tls)                policy, ALPN and mutual TLS options shared by every context and the server
 */
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { TlsSnapshot } from '../snapshot.js';
import { DEFAULT_SSL_POLICY, tlsPolicy } from './policies.js';

export class CertificateSet {
  readonly default: SecureContext;
  private readonly exact = new Map<string, SecureContext>();
  /** "example.com" -> the context for *.example.com */
  private readonly wildcard = new Map<string, SecureContext>();

  constructor(tls: TlsSnapshot) {
    const shared = contextOptions(tls);
    let first: SecureContext | undefined;
    for (const c of tls.certificates) {
      const ctx = createSecureContext({ ...shared, cert: c.cert, key: c.key });
      first ??= ctx;
      for (const name of certificateNames(c.cert)) {
        // The first certificate naming a host wins, as the list's order is the user's preference.
        if (name.startsWith('*.')) {
          if (!this.wildcard.has(name.slice(2))) this.wildcard.set(name.slice(2), ctx);
        } else if (!this.exact.has(name)) this.exact.set(name, ctx);
      }
    }
    if (first === undefined) throw new Error('an HTTPS listener needs at least one certificate');
    this.default = first;
  }

  select(servername: string): SecureContext {
    const name = servername.toLowerCase();
    const hit = this.exact.get(name);
    if (hit !== undefined) return hit;
    const dot = name.indexOf('.');
    return (dot > 0 && this.wildcard.get(name.slice(dot + 1))) || this.default;
  }
}

/** DNS names from the subject alt names; the CN when there are none (old certificates). */
export function certificateNames(pem: string): string[] {
  const cert = new X509Certificate(pem);
  const san = cert.subjectAltName;
  if (san !== undefined && san !== '') {
    return san.split(', ').filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4).toLowerCase());
  }
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject);
  return cn ? [cn[1]!.toLowerCase()] : [];
}

/** The security policy (protocols, ciphers in AWS's order, server preference) and the trust store. */
function contextOptions(tls: TlsSnapshot): SecureContextOptions {
  const p = tlsPolicy(tls.sslPolicy) ?? tlsPolicy(DEFAULT_SSL_POLICY)!;
  const ciphers = [p.ciphersuites, p.ciphers].filter((c) => c !== '').join(':');
  const m = tls.mutualAuthentication;
  return {
    minVersion: p.minVersion,
    maxVersion: p.maxVersion,
    ciphers,
    honorCipherOrder: true,
    ...(m.mode === 'verify' && m.trustStore !== undefined ? { ca: m.trustStore } : {}),
  };
}

/**
 * ALPN protocols offered, by ALB's alpnPolicy names, in the server's order of
 * preference (OpenSSL picks the first of ours the client also offers):
 * HTTP1Only http/1.1; HTTP2Only h2 (a client without it is refused at the
 * handshake); HTTP2Optional http/1.1 before h2; HTTP2Preferred h2 before
 * http/1.1; None: no ALPN at all (the connection speaks HTTP/1.1).
 */
export function alpnProtocols(tls: TlsSnapshot): string[] | undefined {
  return ALPN[tls.alpnPolicy];
}

const ALPN: Record<TlsSnapshot['alpnPolicy'], string[] | undefined> = {
  HTTP1Only: ['http/1.1'],
  HTTP2Only: ['h2'],
  HTTP2Optional: ['http/1.1', 'h2'],
  HTTP2Preferred: ['h2', 'http/1.1'],
  None: undefined,
};

/** Options for tls.createServer / server.setSecureContext: the default certificate, policy and client certificates. */
export function tlsOptions(tls: TlsSnapshot): SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean; ALPNProtocols?: string[] } {
  const first = tls.certificates[0]!;
  const mode = tls.mutualAuthentication.mode;
  const alpn = alpnProtocols(tls);
  return {
    ...contextOptions(tls),
    cert: first.cert,
    key: first.key,
    requestCert: mode !== 'off',
    // verify: the handshake fails without a client certificate from the trust store; passthrough takes any (ALB).
    rejectUnauthorized: mode === 'verify',
    ...(alpn !== undefined ? { ALPNProtocols: alpn } : {}),
  };
}
