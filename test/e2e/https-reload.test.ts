/**
 * Certificate renewal on a running HTTPS listener (issue 10): after a SIGHUP
 * reload or a change to the files themselves, new handshakes get the new
 * certificate while an open keep-alive connection keeps working; an invalid
 * new certificate is refused with file:line and the old one keeps serving.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:https';
import { freePort, startBackend, type Backend } from '../support/backends.js';
import { startDaemon, waitForHealth, type TestDaemon } from '../support/daemon.js';
import { testCa, type TestCa } from '../support/certs.js';
import { handshake } from '../support/tls-client.js';

async function servedFingerprint(port: number, ca: string): Promise<string> {
  const s = await handshake(port, { servername: 'web.localhost', ca });
  const fp = s.getPeerX509Certificate()!.fingerprint256;
  s.destroy();
  return fp;
}

function fingerprintOf(pem: string): Promise<string> {
  return import('node:crypto').then(({ X509Certificate }) => new X509Certificate(pem).fingerprint256);
}

/** One GET on the agent; says whether it went over a reused (kept-alive) connection. */
function get(port: number, agent: Agent, ca: string): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', servername: 'web.localhost', ca, agent, headers: { host: 'web.localhost' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(pred: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('certificate reload', () => {
  let dir = '';
  let ca: TestCa;
  let backend: Backend;
  let d: TestDaemon;
  let port = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-https-reload-'));
    ca = await testCa();
    await ca.write(dir, 'web', ['web.localhost']);
    backend = await startBackend('b1');
    port = await freePort();
    d = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: web
    listeners:
      - port: ${port}
        protocol: HTTPS
        certificates: [{ certificateFile: web.pem, privateKeyFile: web.key }]
        defaultActions: [{ type: forward, targetGroup: app }]
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

  it('a reload serves the renewed certificate to new handshakes; an open keep-alive connection keeps working', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.equal((await get(port, agent, ca.cert)).status, 200);
      const renewed = await ca.write(dir, 'web', ['web.localhost']);
      const r = await d.daemon.reload();
      assert.deepEqual(r, { ok: true });
      assert.equal(await servedFingerprint(port, ca.cert), await fingerprintOf(renewed.cert));
      const again = await get(port, agent, ca.cert);
      assert.deepEqual(again, { status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });

  it('an expired renewal is refused with file:line and the old certificate keeps serving', async () => {
    const serving = await servedFingerprint(port, ca.cert);
    const now = Date.now();
    await ca.write(dir, 'web', ['web.localhost'], { notBefore: new Date(now - 10 * 86_400_000), notAfter: new Date(now - 86_400_000) });
    const r = await d.daemon.reload();
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /shoal\.yaml:8:\d+: loadBalancers\[0\]\.listeners\[0\]\.certificates\[0\]\.certificateFile: .*web\.pem expired on /);
    assert.equal(await servedFingerprint(port, ca.cert), serving);
  });

  it('a certificate file written in place is picked up without a reload', async () => {
    const renewed = await ca.write(dir, 'web', ['web.localhost']);
    const want = await fingerprintOf(renewed.cert);
    await until(async () => (await servedFingerprint(port, ca.cert)) === want);
  });

  it('a key that does not match, written in place, leaves the old pair serving', async () => {
    const serving = await servedFingerprint(port, ca.cert);
    const other = await ca.write(dir, 'other', ['web.localhost']);
    writeFileSync(join(dir, 'web.key'), other.key);
    await new Promise((r) => setTimeout(r, 1200)); // past the watch's quiet time
    assert.equal(await servedFingerprint(port, ca.cert), serving);
  });
});
