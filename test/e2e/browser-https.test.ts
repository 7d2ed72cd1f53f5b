/**
 * The HTTPS tutorial in a real browser: headless Chromium (Debian's, driven
 * by playwright-core) opens http://web.localhost:PORT/, follows the 301 to the
 * HTTPS listener, and shows the target's page with no certificate warning
 * once `shoal cert`'s development CA is trusted in the profile's NSS
 * database (the certutil line `shoal cert` prints). A profile that does not
 * trust the CA gets Chromium's certificate error, so the test can fail.
 * On a listener whose alpnPolicy offers h2, Chromium speaks HTTP/2 to shoal
 * (the page's navigation entry says nextHopProtocol h2), and the page's
 * subresources load over the same connection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { makeCerts } from '../../src/cli/cert.js';
import { freePort, startBackend, type Backend } from '../support/backends.js';
import { startDaemon, waitForHealth, type TestDaemon } from '../support/daemon.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A browser whose HOME (and so NSS database) is `home`. */
function launch(home: string): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, env: { ...process.env, HOME: home } as Record<string, string> });
}

describe('HTTPS in headless Chromium (.ci/run installs Debian\'s chromium and libnss3-tools)', () => {
  let dir = '';
  let backend: Backend;
  let d: TestDaemon;
  let httpPort = 0;
  let httpsPort = 0;
  let h2Port = 0;
  let caPem = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-browser-'));
    const certs = await makeCerts({ names: ['web.localhost'], caDir: join(dir, 'ca'), out: dir });
    caPem = join(dir, 'ca', 'ca.pem');
    assert.match(certs.text, /certutil -d sql:\$HOME\/\.pki\/nssdb -A -t C,, -n "shoal development CA" -i /, 'shoal cert says how to trust it in Chromium');
    backend = await startBackend('browser-target');
    [httpPort, httpsPort, h2Port] = [await freePort(), await freePort(), await freePort()];
    d = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: web
    listeners:
      - port: ${httpPort}
        protocol: HTTP
        defaultActions: [{ type: redirect, redirectConfig: { protocol: HTTPS, port: "${httpsPort}", statusCode: HTTP_301 } }]
      - port: ${httpsPort}
        protocol: HTTPS
        certificates: [{ certificateFile: ${certs.files[0]!.cert}, privateKeyFile: ${certs.files[0]!.key} }]
        defaultActions: [{ type: forward, targetGroup: app }]
      - port: ${h2Port}
        protocol: HTTPS
        alpnPolicy: HTTP2Preferred
        certificates: [{ certificateFile: ${certs.files[0]!.cert}, privateKeyFile: ${certs.files[0]!.key} }]
        defaultActions: [{ type: forward, targetGroup: app }]
        rules:
          - priority: 1
            conditions: [{ field: path-pattern, values: ["/page"] }]
            actions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "200", contentType: text/html, messageBody: "<html><body><img src=/a.png><img src=/b.png><p>h2 page</p></body></html>" } }]
targetGroups:
  - name: app
    port: ${backend.port}
    healthCheck: { path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2 }
    targets: [{ id: 127.0.0.1 }]
`);
    await waitForHealth(d.daemon, 'app', (l) => l[0]?.targetHealth.state === 'healthy');
  });

  after(async () => {
    await d?.stop();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A HOME whose NSS database trusts shoal cert's CA (the certutil lines `shoal cert` prints). */
  function trustingHome(): string {
    const home = join(dir, 'trusting');
    if (existsSync(home)) return home;
    mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true });
    execFileSync('certutil', ['-d', `sql:${home}/.pki/nssdb`, '-N', '--empty-password']);
    execFileSync('certutil', ['-d', `sql:${home}/.pki/nssdb`, '-A', '-t', 'C,,', '-n', 'shoal development CA', '-i', caPem]);
    return home;
  }

  it('follows the redirect to HTTPS and shows the page without a warning once the CA is trusted', async () => {
    const browser = await launch(trustingHome());
    try {
      const page = await browser.newPage();
      const res = await page.goto(`http://web.localhost:${httpPort}/hello`);
      assert.ok(res, 'a response');
      assert.equal(res.status(), 200);
      assert.equal(page.url(), `https://web.localhost:${httpsPort}/hello`, 'the 301 took the browser to the HTTPS listener');
      assert.match(await page.content(), /browser-target/, 'the target answered');
      const chain = res.request().redirectedFrom();
      assert.equal((await chain?.response())?.status(), 301);
      const security = await res.securityDetails();
      assert.equal(security?.subjectName, 'web.localhost');
      assert.match(security?.issuer ?? '', /shoal development CA/);
      assert.match(security?.protocol ?? '', /TLS 1\.3/);
      const received = backend.received.filter((r) => r.url === '/hello').at(-1)!;
      assert.equal(received.headers['x-forwarded-proto'], 'https');
      assert.equal(received.headers['x-forwarded-port'], String(httpsPort));
    } finally {
      await browser.close();
    }
  });

  it('speaks HTTP/2 to a listener whose alpnPolicy offers h2: the page and its images, forwarded to the target', async () => {
    const browser = await launch(trustingHome());
    try {
      const page = await browser.newPage();
      const before = backend.received.length;
      const res = await page.goto(`https://web.localhost:${h2Port}/page`);
      assert.equal(res?.status(), 200);
      assert.match(await page.content(), /h2 page/);
      const protocols = await page.evaluate(() => performance.getEntries().map((e) => [e.name, (e as PerformanceResourceTiming).nextHopProtocol]));
      assert.equal(protocols[0]![1], 'h2', `navigation: ${JSON.stringify(protocols)}`);
      await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete));
      const images = await page.evaluate(() => performance.getEntriesByType('resource')
        .filter((e) => e.name.endsWith('.png')).map((e) => (e as PerformanceResourceTiming).nextHopProtocol));
      assert.deepEqual(images, ['h2', 'h2'], 'both images over h2');
      // (Chromium may also ask for /favicon.ico.)
      const seen = backend.received.slice(before).map((r) => r.url).filter((u) => u.endsWith('.png')).sort();
      assert.deepEqual(seen, ['/a.png', '/b.png'], 'the images were forwarded to the HTTP/1.1 target');
      // An image's request (the page itself is a fixed response): a health check of the target may have landed first.
      const req = backend.received.slice(before).find((r) => r.url.endsWith('.png'))!;
      assert.equal(req.headers['x-forwarded-proto'], 'https');
      assert.equal(req.headers.host, `web.localhost:${h2Port}`);
    } finally {
      await browser.close();
    }
  });

  it('a profile that does not trust the CA gets the certificate error', async () => {
    const home = join(dir, 'untrusting');
    mkdirSync(home, { recursive: true });
    const browser = await launch(home);
    try {
      const page = await browser.newPage();
      await assert.rejects(page.goto(`https://web.localhost:${httpsPort}/`), /ERR_CERT_AUTHORITY_INVALID/);
    } finally {
      await browser.close();
    }
  });
});
