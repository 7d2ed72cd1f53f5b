/**
 * Development certificates: a local CA and certificates it signs, made with
 * @peculiar/x509 over Node's webcrypto (ECDSA P-256, SHA-256). No ASN.1 is
 * written here and nothing touches the network.
 *
 * API
 *   newCa({ name?, notBefore?, notAfter? })              -> { cert, key, issuer } (self-signed, CA:true)
 *   issue(issuer, { names, notBefore?, notAfter?, client? }) -> { cert, key } signed by the CA
 *     names: DNS names, wildcards (*.example.test) and IP addresses; the first is also the CN
 *   loadIssuer(certPem, keyPem)                          -> Issuer (a CA read back from its files)
 */
import 'reflect-metadata';
import { isIP } from 'node:net';
import { createPrivateKey, KeyObject, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { systemClock } from '../../core/clock.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface Issued {
  /** PEM certificate. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
}

export interface Issuer {
  cert: x509.X509Certificate;
  privateKey: CryptoKey;
}

export interface Validity {
  notBefore?: Date;
  notAfter?: Date;
  /** Epoch ms the default validity counts from (default: the system clock). */
  now?: number;
}

export interface IssueOptions extends Validity {
  names: string[];
  /** Also (or only) usable as a TLS client certificate (mutual TLS tests). */
  client?: boolean;
}

function serial(): string {
  // Positive: the top bit clear, as RFC 5280 wants.
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function keyPem(k: CryptoKey): string {
  return KeyObject.from(k).export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** A DN value may not carry , + = etc. unescaped: keep names to the safe characters. */
function cn(name: string): string {
  return `CN=${name.replace(/[^A-Za-z0-9 .*:_-]/g, '_')}`;
}

export async function newCa(o: Validity & { name?: string } = {}): Promise<Issued & { issuer: Issuer }> {
  const keys = await keyPair();
  const now = o.now ?? systemClock.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `${cn(o.name ?? 'shoal development CA')}, O=shoal development CA`,
    notBefore: o.notBefore ?? new Date(now - DAY),
    notAfter: o.notAfter ?? new Date(now + 10 * 365 * DAY),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: keyPem(keys.privateKey), issuer: { cert, privateKey: keys.privateKey } };
}

export async function loadIssuer(certPem: string, keyPem: string): Promise<Issuer> {
  const der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  const privateKey = (await webcrypto.subtle.importKey('pkcs8', der, ALG, false, ['sign'])) as CryptoKey;
  return { cert: new x509.X509Certificate(certPem), privateKey };
}

export async function issue(ca: Issuer, o: IssueOptions): Promise<Issued> {
  if (o.names.length === 0) throw new Error('a certificate needs at least one name');
  const caCert = ca.cert;
  const keys = await keyPair();
  const now = o.now ?? systemClock.now();
  const usages = o.client ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth] : [x509.ExtendedKeyUsage.serverAuth];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `${cn(o.names[0]!)}, O=shoal development certificate`,
    issuer: caCert.subject,
    notBefore: o.notBefore ?? new Date(now - DAY),
    // Under 398 days, which browsers require of server certificates.
    notAfter: o.notAfter ?? new Date(now + 397 * DAY),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension(usages),
      new x509.SubjectAlternativeNameExtension(o.names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { cert: cert.toString('pem'), key: keyPem(keys.privateKey) };
}
