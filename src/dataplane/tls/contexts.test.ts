import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createSecureContext } from 'node:tls';
import { issue, newCa } from '../../cli/cert/issue.js';
import type { TlsSnapshot } from '../snapshot.js';
import { alpnProtocols, CertificateSet, certificateNames, tlsOptions } from './contexts.js';
import { describeSslPolicies, POLICY_NAMES, tlsPolicy } from './policies.js';

let tls: TlsSnapshot;
const pems: Record<string, string> = {};

before(async () => {
  const ca = await newCa();
  const certs = [];
  for (const names of [['web.localhost'], ['api.localhost', 'API2.localhost'], ['*.apps.localhost'], ['shop.apps.localhost']]) {
    const c = await issue(ca.issuer, { names });
    pems[names[0]!] = c.cert;
    certs.push(c);
  }
  tls = { certificates: certs, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', alpnPolicy: 'None', mutualAuthentication: { mode: 'off' } };
});

describe('CertificateSet.select (SNI)', () => {
  const cases = [
    { name: 'exact name', sni: 'api.localhost', want: 'api.localhost' },
    { name: 'a second alt name, case-insensitively', sni: 'api2.LOCALHOST', want: 'api.localhost' },
    { name: 'wildcard, one label', sni: 'blog.apps.localhost', want: '*.apps.localhost' },
    { name: 'an exact name before a wildcard covering it', sni: 'shop.apps.localhost', want: 'shop.apps.localhost' },
    { name: 'wildcard does not cover two labels: default', sni: 'a.b.apps.localhost', want: 'web.localhost' },
    { name: 'wildcard does not cover its own base: default', sni: 'apps.localhost', want: 'web.localhost' },
    { name: 'unknown name: default', sni: 'nope.example', want: 'web.localhost' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const set = new CertificateSet(tls);
      const expected = new CertificateSet({ ...tls, certificates: [tls.certificates.find((x) => x.cert === pems[c.want])!] }).default;
      // Contexts differ per build; compare the certificate each one presents.
      assert.equal(certOf(set.select(c.sni)), certOf(expected));
    });
  }
});

function certOf(ctx: ReturnType<typeof createSecureContext>): string {
  return (ctx.context as { getCertificate(): Buffer }).getCertificate().toString('hex');
}

describe('certificateNames', () => {
  it('reads the DNS alt names, lowercased', () => {
    assert.deepEqual(certificateNames(pems['api.localhost']!), ['api.localhost', 'api2.localhost']);
  });
});

describe('security policies', () => {
  it('every policy compiles into a context OpenSSL accepts, with its own version bounds', () => {
    for (const name of POLICY_NAMES) {
      const o = tlsOptions({ ...tls, sslPolicy: name });
      assert.doesNotThrow(() => createSecureContext(o), name);
      const p = tlsPolicy(name)!;
      assert.equal(o.minVersion, p.minVersion, name);
      assert.equal(o.maxVersion, p.maxVersion, name);
    }
  });

  it('DescribeSSLPolicies data: unique names, priorities from 1, TLS 1.3 suites only where TLS 1.3 is', () => {
    const all = describeSslPolicies();
    assert.equal(new Set(all.map((p) => p.Name)).size, all.length);
    for (const p of all) {
      const ciphers = p.Ciphers as { Name: string; Priority: number }[];
      assert.deepEqual(ciphers.map((c) => c.Priority), ciphers.map((_, i) => i + 1));
      assert.equal(ciphers.some((c) => c.Name.startsWith('TLS_')), (p.SslProtocols as string[]).includes('TLSv1.3'), String(p.Name));
    }
    const d = all.find((p) => p.Name === 'ELBSecurityPolicy-TLS13-1-2-2021-06')!;
    assert.deepEqual(d.SslProtocols, ['TLSv1.2', 'TLSv1.3']);
  });
});

describe('alpnPolicy (ALPN offered, in the server\'s order of preference)', () => {
  const cases = [
    { policy: 'HTTP1Only', want: ['http/1.1'] },
    { policy: 'HTTP2Only', want: ['h2'] },
    { policy: 'HTTP2Optional', want: ['http/1.1', 'h2'] },
    { policy: 'HTTP2Preferred', want: ['h2', 'http/1.1'] },
    { policy: 'None', want: undefined },
  ] as const;
  for (const c of cases) {
    it(`${c.policy}: ${c.want === undefined ? 'no ALPN' : c.want.join(', ')}`, () => {
      const t = { ...tls, alpnPolicy: c.policy };
      assert.deepEqual(alpnProtocols(t), c.want);
      assert.deepEqual(tlsOptions(t).ALPNProtocols, c.want);
    });
  }
});
