/**
 * The request headers an HTTPS listener with mutual TLS adds for its
 * targets, as ALB does:
 *
 * - passthrough: X-Amzn-Mtls-Clientcert, the client's leaf as URL-encoded PEM
 *   (+, = and / left as they are);
 * - verify: the certificate the handshake verified against the trust store,
 *   as X-Amzn-Mtls-Clientcert-Serial-Number (hex), -Issuer and -Subject
 *   (RFC 2253: most specific attribute first, comma separated, special
 *   characters escaped), -Validity (NotBefore=...;NotAfter=..., ISO 8601
 *   seconds, Z) and -Leaf (URL-encoded PEM).
 *
 * Built once per connection; every request on it carries the same lines.
 */
import type { X509Certificate } from 'node:crypto';

export type MutualMode = 'off' | 'passthrough' | 'verify';

export function clientCertHeaderLines(mode: MutualMode, peer: X509Certificate | undefined): string | null {
  if (peer === undefined || mode === 'off') return null;
  if (mode === 'passthrough') return `X-Amzn-Mtls-Clientcert: ${urlPem(peer)}\r\n`;
  return (
    `X-Amzn-Mtls-Clientcert-Serial-Number: ${peer.serialNumber.toUpperCase()}\r\n` +
    `X-Amzn-Mtls-Clientcert-Issuer: ${rfc2253(peer.issuer)}\r\n` +
    `X-Amzn-Mtls-Clientcert-Subject: ${rfc2253(peer.subject)}\r\n` +
    `X-Amzn-Mtls-Clientcert-Validity: NotBefore=${iso(peer.validFrom)};NotAfter=${iso(peer.validTo)}\r\n` +
    `X-Amzn-Mtls-Clientcert-Leaf: ${urlPem(peer)}\r\n`
  );
}

/** The leaf certificate as URL-encoded PEM, with +, = and / left as they are (ALB's format). */
export function urlPem(cert: X509Certificate): string {
  return encodeURIComponent(cert.toString()).replace(/%2B/g, '+').replace(/%3D/g, '=').replace(/%2F/g, '/');
}

/**
 * Node prints a name one attribute per line in certificate order ("C=US\nO=Example\nCN=client");
 * RFC 2253 lists them in reverse order, joined by commas, with , + " \ < > ; escaped.
 * Header values cannot hold CR or LF, so any left in a value become spaces.
 */
export function rfc2253(name: string): string {
  return name
    .split('\n')
    .filter((l) => l !== '')
    .reverse()
    .map((rdn) => {
      const eq = rdn.indexOf('=');
      const value = rdn.slice(eq + 1).replace(/[\r\n]/g, ' ').replace(/[,+"\\<>;]/g, (c) => `\\${c}`).replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
      return `${rdn.slice(0, eq)}=${value}`;
    })
    .join(',');
}

/** "Nov 22 10:00:00 2026 GMT" -> "2026-11-22T10:00:00Z". */
function iso(date: string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
