/**
 * HTTPS target groups and mutual TLS (issue 10), over real sockets: TLS to
 * targets without verifying their certificates, HTTPS health checks, and a
 * listener that verifies client certificates against a trust store or
 * passes them to targets in X-Amzn-Mtls-Clientcert (URL-encoded PEM, as ALB).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawExchange } from '../support/raw-http.js';
import { freePort, startBackend, type Backend } from '../support/backends.js';
import { startDaemon, waitForHealth, stateOf, type TestDaemon } from '../support/daemon.js';
import { testCa, type TestCa } from '../support/certs.js';
import { httpsGet } from '../support/tls-client.js';
import { h2Connect, h2Request } from '../support/h2-client.js';

interface TlsBackend {
  port: number;
  seen: { url: string; encrypted: boolean; headers: Record<string, string | string[] | undefined> }[];
  server: Server;
}

/** An HTTPS target with a certificate nobody trusts (self-made CA), answering "tls <url>". */
async function tlsBackend(ca: TestCa, dir: string): Promise<TlsBackend> {
  const c = await ca.write(dir, 'target', ['127.0.0.1']);
  const b = { seen: [] } as unknown as TlsBackend;
  b.server = createServer({ cert: c.cert, key: c.key }, (req, res) => {
    b.seen.push({ url: req.url!, encrypted: 'encrypted' in req.socket, headers: req.headers });
    res.end(`tls ${req.url}`);
  });
  await new Promise<void>((resolve) => b.server.listen(0, '127.0.0.1', () => resolve()));
  b.port = (b.server.address() as AddressInfo).port;
  return b;
}

describe('HTTPS targets and mutual TLS', () => {
  let dir = '';
  let serverCa: TestCa;
  let clientCa: TestCa;
  let strangerCa: TestCa;
  let target: TlsBackend;
  let plain: Backend;
  let d: TestDaemon;
  let httpPort = 0;
  let verifyPort = 0;
  let passPort = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-https-targets-'));
    [serverCa, clientCa, strangerCa] = [await testCa('server CA'), await testCa('client CA'), await testCa('stranger CA')];
    await serverCa.write(dir, 'web', ['web.localhost']);
    writeFileSync(join(dir, 'clients.pem'), clientCa.cert);
    target = await tlsBackend(strangerCa, dir);
    plain = await startBackend('plain');
    [httpPort, verifyPort, passPort] = [await freePort(), await freePort(), await freePort()];
    const cert = '        certificates: [{ certificateFile: web.pem, privateKeyFile: web.key }]';
    d = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: web
    listeners:
      - port: ${httpPort}
        defaultActions: [{ type: forward, targetGroup: secure }]
        rules: [{ priority: 1, conditions: [{ field: path-pattern, values: ["/mislabeled"] }], actions: [{ type: forward, targetGroup: mislabeled }] }]
      - port: ${verifyPort}
        protocol: HTTPS
${cert}
        mutualAuthentication: { mode: verify, trustStore: clients.pem }
        defaultActions: [{ type: forward, targetGroup: secure }]
      - port: ${passPort}
        protocol: HTTPS
${cert}
        alpnPolicy: HTTP2Preferred
        mutualAuthentication: { mode: passthrough }
        defaultActions: [{ type: forward, targetGroup: secure }]
targetGroups:
  - name: secure
    protocol: HTTPS
    port: ${target.port}
    healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2 }
    targets: [{ id: 127.0.0.1 }]
  - name: mislabeled
    protocol: HTTPS
    port: ${plain.port}
    healthCheck: { intervalSeconds: 5, timeoutSeconds: 2 }
    targets: [{ id: 127.0.0.1 }]
`, { dir });
    await waitForHealth(d.daemon, 'secure', (l) => stateOf(l, target.port) === 'healthy');
  });

  after(async () => {
    await d?.stop();
    target?.server.close();
    target?.server.closeAllConnections();
    await plain?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('health checks an HTTPS target over TLS without verifying its certificate', () => {
    assert.ok(target.seen.some((s) => s.encrypted && s.url === '/' && s.headers['user-agent'] === 'ELB-HealthChecker/2.0'));
  });

  it('a plain HTTP server in an HTTPS target group fails its checks', async () => {
    await waitForHealth(d.daemon, 'mislabeled', (l) => stateOf(l, plain.port) === 'unhealthy');
  });

  it('forwards to an HTTPS target over TLS', async () => {
    for (const path of ['/a', '/b']) {
      const r = await rawExchange(httpPort, `GET ${path} HTTP/1.1\r\nHost: web\r\n\r\n`);
      assert.equal(r.body, `tls ${path}`);
    }
    const seen = target.seen.filter((s) => s.url === '/a' || s.url === '/b');
    assert.deepEqual(seen.map((s) => [s.url, s.encrypted, s.headers['x-forwarded-proto']]), [['/a', true, 'http'], ['/b', true, 'http']]);
  });

  it('verify: a client certificate from the trust store gets through', async () => {
    const c = await clientCa.write(dir, 'alice', ['alice.clients.localhost'], { client: true });
    const forged = { 'X-Amzn-Mtls-Clientcert-Subject': 'CN=admin', 'X-Amzn-Mtls-Clientcert': 'forged' };
    const r = await httpsGet(verifyPort, '/verified', { servername: 'web.localhost', ca: serverCa.cert, cert: c.cert, key: c.key, headers: forged });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'tls /verified');
    // ALB's verify-mode headers describe the verified certificate; the client's own copies never reach the target.
    const h = target.seen.find((s) => s.url === '/verified')!.headers;
    const x509 = new X509Certificate(c.cert);
    assert.equal(h['x-amzn-mtls-clientcert-serial-number'], x509.serialNumber.toUpperCase());
    assert.equal(h['x-amzn-mtls-clientcert-subject'], 'O=shoal development certificate,CN=alice.clients.localhost', 'RFC 2253: the certificate names CN first, so it comes last');
    assert.equal(h['x-amzn-mtls-clientcert-issuer'], x509.issuer.split('\n').reverse().join(','));
    assert.match(h['x-amzn-mtls-clientcert-validity'] as string, /^NotBefore=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ;NotAfter=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(new X509Certificate(decodeURIComponent(h['x-amzn-mtls-clientcert-leaf'] as string)).fingerprint256, x509.fingerprint256);
    assert.equal(h['x-amzn-mtls-clientcert'], undefined, 'passthrough\'s header is not sent in verify mode, nor the forged one');
  });

  it('verify: no client certificate, or one from another CA, is refused in the handshake', async () => {
    await assert.rejects(httpsGet(verifyPort, '/none', { servername: 'web.localhost', ca: serverCa.cert }));
    const m = await strangerCa.write(dir, 'mallory', ['mallory.localhost'], { client: true });
    await assert.rejects(httpsGet(verifyPort, '/stranger', { servername: 'web.localhost', ca: serverCa.cert, cert: m.cert, key: m.key }));
    assert.ok(!target.seen.some((s) => s.url === '/none' || s.url === '/stranger'));
  });

  it('passthrough: any client certificate reaches the target as URL-encoded PEM in X-Amzn-Mtls-Clientcert', async () => {
    const m = await strangerCa.write(dir, 'bob', ['bob.localhost'], { client: true });
    const r = await httpsGet(passPort, '/pass', { servername: 'web.localhost', ca: serverCa.cert, cert: m.cert, key: m.key });
    assert.equal(r.status, 200);
    const header = target.seen.find((s) => s.url === '/pass')!.headers['x-amzn-mtls-clientcert'] as string;
    assert.doesNotMatch(header, /[\n ]/);
    assert.match(header, /^-----BEGIN%20CERTIFICATE-----%0A/);
    const pem = decodeURIComponent(header);
    assert.equal(new X509Certificate(pem).fingerprint256, new X509Certificate(m.cert).fingerprint256);
    const none = await httpsGet(passPort, '/pass-none', { servername: 'web.localhost', ca: serverCa.cert, headers: { 'X-Amzn-Mtls-Clientcert': 'forged', 'X-Amzn-Mtls-Clientcert-Leaf': 'forged' } });
    assert.equal(none.status, 200);
    const noneHeaders = target.seen.find((s) => s.url === '/pass-none')!.headers;
    assert.equal(noneHeaders['x-amzn-mtls-clientcert'], undefined, 'a client cannot forge the header');
    assert.equal(noneHeaders['x-amzn-mtls-clientcert-leaf'], undefined);
  });

  it('passthrough over HTTP/2: every stream of the connection carries the client certificate to the HTTPS target', async () => {
    const m = await strangerCa.write(dir, 'carol', ['carol.localhost'], { client: true });
    const c = await h2Connect(passPort, serverCa.cert, 'web.localhost', m);
    try {
      const [a, b] = await Promise.all([h2Request(c, { ':path': '/h2-pass-a' }), h2Request(c, { ':path': '/h2-pass-b', 'x-amzn-mtls-clientcert': 'forged' })]);
      assert.equal(a.body.toString(), 'tls /h2-pass-a');
      assert.equal(b.body.toString(), 'tls /h2-pass-b');
      for (const url of ['/h2-pass-a', '/h2-pass-b']) {
        const seen = target.seen.find((s) => s.url === url)!;
        assert.equal(seen.encrypted, true);
        assert.equal(new X509Certificate(decodeURIComponent(seen.headers['x-amzn-mtls-clientcert'] as string)).fingerprint256, new X509Certificate(m.cert).fingerprint256);
      }
    } finally {
      c.close();
    }
  });
});
