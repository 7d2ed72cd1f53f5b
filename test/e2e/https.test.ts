/**
 * HTTPS listeners over real sockets (issue 10): SNI picks the certificate,
 * the security policy bounds the TLS versions, and the tutorial's pattern
 * (HTTP redirects 301 to HTTPS, which forwards to plain HTTP targets with
 * X-Forwarded-Proto: https) works end to end.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get as httpGet } from 'node:http';
import { freePort, startBackend, type Backend } from '../support/backends.js';
import { startDaemon, waitForHealth, type TestDaemon } from '../support/daemon.js';
import { testCa, type TestCa } from '../support/certs.js';
import { cnOf, handshake, httpsGet } from '../support/tls-client.js';

describe('HTTPS listeners', () => {
  let dir = '';
  let ca: TestCa;
  let backend: Backend;
  let d: TestDaemon;
  let httpPort = 0;
  let httpsPort = 0;
  let strictPort = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-https-'));
    ca = await testCa();
    await ca.write(dir, 'web', ['web.localhost']);
    await ca.write(dir, 'api', ['api.localhost']);
    await ca.write(dir, 'wild', ['*.apps.localhost']);
    backend = await startBackend('b1');
    [httpPort, httpsPort, strictPort] = [await freePort(), await freePort(), await freePort()];
    d = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: web
    listeners:
      - port: ${httpPort}
        defaultActions: [{ type: redirect, redirectConfig: { protocol: HTTPS, port: "${httpsPort}", statusCode: HTTP_301 } }]
      - port: ${httpsPort}
        protocol: HTTPS
        certificates:
          - { certificateFile: web.pem, privateKeyFile: web.key }
          - { certificateFile: api.pem, privateKeyFile: api.key }
          - { certificateFile: wild.pem, privateKeyFile: wild.key }
        defaultActions: [{ type: forward, targetGroup: app }]
      - port: ${strictPort}
        protocol: HTTPS
        sslPolicy: ELBSecurityPolicy-TLS13-1-3-2021-06
        certificates: [{ certificateFile: web.pem, privateKeyFile: web.key }]
        defaultActions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "200", messageBody: strict } }]
targetGroups:
  - name: app
    port: ${backend.port}
    healthCheck: { intervalSeconds: 5, timeoutSeconds: 2 }
    targets: [{ id: 127.0.0.1 }]
`, { dir });
    await waitForHealth(d.daemon, 'app', (l) => l.every((t) => t.targetHealth.state === 'healthy'));
  });

  after(async () => {
    await d?.stop();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sni = [
    { name: 'the default certificate without SNI', servername: undefined, cn: 'web.localhost', verified: false },
    { name: 'the certificate naming the SNI host', servername: 'api.localhost', cn: 'api.localhost', verified: true },
    { name: 'a wildcard certificate for one label under it', servername: 'shop.apps.localhost', cn: '*.apps.localhost', verified: true },
    { name: 'the default for a name no certificate has', servername: 'other.localhost', cn: 'web.localhost', verified: false },
    { name: 'the default for two labels under a wildcard', servername: 'a.b.apps.localhost', cn: 'web.localhost', verified: false },
    { name: 'SNI names in any case', servername: 'API.localhost', cn: 'api.localhost', verified: true },
  ];
  for (const c of sni) {
    it(`presents ${c.name}`, async () => {
      const s = await handshake(httpsPort, { ...(c.servername ? { servername: c.servername } : {}), ca: ca.cert, rejectUnauthorized: false });
      try {
        assert.equal(cnOf(s), c.cn);
        // Chained to the CA and naming the host the client asked for (Node's identity check).
        if (c.verified) assert.equal(s.authorized, true, String(s.authorizationError));
      } finally {
        s.destroy();
      }
    });
  }

  it('negotiates TLS 1.3 by default and TLS 1.2 when the client tops out there', async () => {
    const s13 = await handshake(httpsPort, { servername: 'web.localhost', ca: ca.cert });
    assert.equal(s13.getProtocol(), 'TLSv1.3');
    s13.destroy();
    const s12 = await handshake(httpsPort, { servername: 'web.localhost', ca: ca.cert, maxVersion: 'TLSv1.2' });
    assert.equal(s12.getProtocol(), 'TLSv1.2');
    assert.match(s12.getCipher().name, /^ECDHE-/);
    s12.destroy();
  });

  it('refuses TLS 1.1 under the default policy', async () => {
    // The client allows TLS 1.0/1.1 at security level 0, so the refusal is the listener's.
    await assert.rejects(handshake(httpsPort, { servername: 'web.localhost', rejectUnauthorized: false, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }));
  });

  it('ELBSecurityPolicy-TLS13-1-3-2021-06 refuses TLS 1.2 and serves TLS 1.3', async () => {
    await assert.rejects(handshake(strictPort, { servername: 'web.localhost', ca: ca.cert, maxVersion: 'TLSv1.2' }));
    const r = await httpsGet(strictPort, '/', { servername: 'web.localhost', ca: ca.cert });
    assert.equal(r.body, 'strict');
  });

  it('redirects HTTP to HTTPS (301), which forwards to the plain HTTP target with X-Forwarded-Proto https', async () => {
    const location = await new Promise<string>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port: httpPort, path: '/shop/cart?item=7', headers: { host: `web.localhost:${httpPort}` } }, (res) => {
        res.resume();
        assert.equal(res.statusCode, 301);
        resolve(res.headers.location!);
      }).on('error', reject);
    });
    assert.equal(location, `https://web.localhost:${httpsPort}/shop/cart?item=7`);
    const u = new URL(location);
    const before = backend.received.length;
    const r = await httpsGet(Number(u.port), u.pathname + u.search, { servername: u.hostname, ca: ca.cert });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'b1 GET /shop/cart?item=7 0\n');
    const seen = backend.received.slice(before).find((x) => x.url === '/shop/cart?item=7')!;
    assert.equal(seen.headers['x-forwarded-proto'], 'https');
    assert.equal(seen.headers['x-forwarded-port'], String(httpsPort));
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
  });

  it('replaces a client\'s own X-Forwarded-Proto', async () => {
    const before = backend.received.length;
    await httpsGet(httpsPort, '/spoof', { servername: 'web.localhost', ca: ca.cert, headers: { 'x-forwarded-proto': 'http', 'x-amzn-mtls-clientcert': 'forged' } });
    const seen = backend.received.slice(before).find((x) => x.url === '/spoof')!;
    assert.equal(seen.headers['x-forwarded-proto'], 'https');
    assert.equal(seen.headers['x-amzn-mtls-clientcert'], undefined);
  });
});
