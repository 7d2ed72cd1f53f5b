/**
 * AWS's ELB security policies (ALB guide, "Security policies for your
 * Application Load Balancer"): which TLS versions and ciphers each name
 * allows, in OpenSSL's names (which AWS's tables also use), in AWS's order.
 * An HTTPS listener's `sslPolicy` picks one; DescribeSSLPolicies shows them.
 *
 * API
 *   tlsPolicy(name) -> TlsPolicy | undefined   the protocols and ciphers, ready for node:tls
 *   POLICY_NAMES                                every name the config accepts
 *   DEFAULT_SSL_POLICY                          ELBSecurityPolicy-TLS13-1-2-2021-06
 *   describeSslPolicies()                       AWS's SslPolicy shape, for the API
 *
 * Node (OpenSSL 3) cannot negotiate TLS 1.0/1.1 at its default security
 * level; policies that allow them let them only when the client and OpenSSL
 * agree (SECLEVEL=0 is not forced: shoal does not weaken OpenSSL for legacy
 * clients). TLS 1.3 ciphers are OpenSSL's defaults, the same three AWS lists.
 */
import type { SecureVersion } from 'node:tls';

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface TlsPolicy {
  name: string;
  protocols: readonly TlsVersion[];
  minVersion: SecureVersion;
  maxVersion: SecureVersion;
  /** TLS 1.2 and older ciphers, OpenSSL names joined by ':' ('' for TLS 1.3 only). */
  ciphers: string;
  /** TLS 1.3 suites joined by ':' ('' when TLS 1.3 is not allowed). */
  ciphersuites: string;
}

export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

const TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
/** ECDHE with AES-GCM only (the "Res" policies). */
const ECDHE_GCM = ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'];
/** ECDHE, TLS 1.2 suites (GCM and SHA-2 CBC). */
const ECDHE_12 = [
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES128-SHA256', 'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA384',
];
/** ECDHE including the SHA-1 CBC suites (the forward-secrecy "FS" policies). */
const ECDHE_ALL = [
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES128-SHA256', 'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA', 'ECDHE-ECDSA-AES256-SHA',
];
/** RSA key exchange, TLS 1.2 suites. */
const RSA_12 = ['AES128-GCM-SHA256', 'AES128-SHA256', 'AES256-GCM-SHA384', 'AES256-SHA256'];
/** RSA key exchange including SHA-1 CBC. */
const RSA_ALL = ['AES128-GCM-SHA256', 'AES128-SHA256', 'AES128-SHA', 'AES256-GCM-SHA384', 'AES256-SHA256', 'AES256-SHA'];
/** TLS 1.3 policies' extended TLS 1.2 lists, in AWS's order. */
const EXT1 = [...ECDHE_12, ...RSA_12];
const EXT2 = [
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES128-SHA256', 'ECDHE-RSA-AES128-SHA256',
  'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA384', 'ECDHE-ECDSA-AES256-SHA', 'ECDHE-RSA-AES256-SHA',
  ...RSA_ALL,
];

const V10: TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2'];
const V11: TlsVersion[] = ['TLSv1.1', 'TLSv1.2'];
const V12: TlsVersion[] = ['TLSv1.2'];
const V12_13: TlsVersion[] = ['TLSv1.2', 'TLSv1.3'];

/** [name, protocols, TLS 1.2-and-older ciphers]; TLS 1.3 ciphers follow from the protocols. */
const TABLE: ReadonlyArray<readonly [string, TlsVersion[], string[]]> = [
  ['ELBSecurityPolicy-TLS13-1-2-2021-06', V12_13, ECDHE_12],
  ['ELBSecurityPolicy-TLS13-1-2-Res-2021-06', V12_13, ECDHE_GCM],
  ['ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06', V12_13, EXT1],
  ['ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06', V12_13, EXT2],
  ['ELBSecurityPolicy-TLS13-1-1-2021-06', ['TLSv1.1', 'TLSv1.2', 'TLSv1.3'], EXT2],
  ['ELBSecurityPolicy-TLS13-1-0-2021-06', ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'], EXT2],
  ['ELBSecurityPolicy-TLS13-1-3-2021-06', ['TLSv1.3'], []],
  ['ELBSecurityPolicy-2016-08', V10, [...ECDHE_ALL, ...RSA_ALL]],
  ['ELBSecurityPolicy-TLS-1-0-2015-04', V10, [...ECDHE_ALL, ...RSA_ALL, 'DES-CBC3-SHA']],
  ['ELBSecurityPolicy-TLS-1-1-2017-01', V11, [...ECDHE_ALL, ...RSA_ALL]],
  ['ELBSecurityPolicy-TLS-1-2-2017-01', V12, [...ECDHE_12, ...RSA_12]],
  ['ELBSecurityPolicy-TLS-1-2-Ext-2018-06', V12, [...ECDHE_ALL, ...RSA_ALL]],
  ['ELBSecurityPolicy-FS-2018-06', V10, ECDHE_ALL],
  ['ELBSecurityPolicy-FS-1-1-2019-08', V11, ECDHE_ALL],
  ['ELBSecurityPolicy-FS-1-2-2019-08', V12, ECDHE_ALL],
  ['ELBSecurityPolicy-FS-1-2-Res-2019-08', V12, ECDHE_12],
  ['ELBSecurityPolicy-FS-1-2-Res-2020-10', V12, ECDHE_GCM],
];

const POLICIES = new Map<string, TlsPolicy>(TABLE.map(([name, protocols, ciphers]) => [name, compile(name, protocols, ciphers)]));

export const POLICY_NAMES = TABLE.map((row) => row[0]) as [string, ...string[]];

export function tlsPolicy(name: string): TlsPolicy | undefined {
  return POLICIES.get(name);
}

function compile(name: string, protocols: TlsVersion[], ciphers: string[]): TlsPolicy {
  return {
    name,
    protocols,
    minVersion: protocols[0]!,
    maxVersion: protocols[protocols.length - 1]!,
    ciphers: ciphers.join(':'),
    ciphersuites: protocols.includes('TLSv1.3') ? TLS13.join(':') : '',
  };
}

/** DescribeSSLPolicies' SslPolicies: Name, SslProtocols, Ciphers [{Name, Priority}], SupportedLoadBalancerTypes. */
export function describeSslPolicies(): Array<Record<string, unknown>> {
  return TABLE.map(([name, protocols, ciphers]) => {
    const all = [...(protocols.includes('TLSv1.3') ? TLS13 : []), ...ciphers];
    return {
      Name: name,
      SslProtocols: [...protocols],
      Ciphers: all.map((c, i) => ({ Name: c, Priority: i + 1 })),
      SupportedLoadBalancerTypes: ['application', 'network'],
    };
  });
}
