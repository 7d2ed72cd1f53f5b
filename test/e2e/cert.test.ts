/**
 * `shoal cert` (issue 10): the CLI makes a development CA once and
 * certificates for the given names; an HTTPS listener serves them and a Node
 * https client that trusts only that CA verifies the connection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../support/backends.js';
import { startDaemon, type TestDaemon } from '../support/daemon.js';
import { handshake, httpsGet } from '../support/tls-client.js';

const CLI = resolve('dist/src/cli/main.js');

function shoal(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

describe('shoal cert', () => {
  let dir = '';
  let d: TestDaemon | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-cert-'));
  });

  after(async () => {
    await d?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a CA once and a certificate for the names, and says how to trust the CA', () => {
    const first = shoal('cert', 'web.localhost', 'api.localhost', '--ca-dir', join(dir, 'ca'), '--out', dir);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Created a development CA/);
    assert.match(first.stdout, /update-ca-certificates/);
    assert.match(first.stdout, /certutil -d sql:\$HOME\/\.pki\/nssdb -A -t C,,/);
    assert.match(first.stdout, /curl --cacert /);
    const cert = new X509Certificate(readFileSync(join(dir, 'web.localhost.pem')));
    assert.equal(cert.subjectAltName, 'DNS:web.localhost, DNS:api.localhost');
    assert.equal(cert.checkIssued(new X509Certificate(readFileSync(join(dir, 'ca', 'ca.pem')))), true);
    assert.equal(statSync(join(dir, 'web.localhost.key')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'ca', 'ca.key')).mode & 0o777, 0o600);

    const caBefore = readFileSync(join(dir, 'ca', 'ca.pem'), 'utf8');
    const second = shoal('cert', '*.apps.localhost', '--ca-dir', join(dir, 'ca'), '--out', dir);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /Using the development CA/);
    assert.equal(readFileSync(join(dir, 'ca', 'ca.pem'), 'utf8'), caBefore, 'the CA is made once');
    const wild = new X509Certificate(readFileSync(join(dir, '_wildcard.apps.localhost.pem')));
    assert.equal(wild.checkIssued(new X509Certificate(caBefore)), true);
  });

  it('its certificate is served by an HTTPS listener and verified by a client trusting only the CA', async () => {
    const port = await freePort();
    d = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: web
    listeners:
      - port: ${port}
        protocol: HTTPS
        certificates:
          - { certificateFile: web.localhost.pem, privateKeyFile: web.localhost.key }
          - { certificateFile: _wildcard.apps.localhost.pem, privateKeyFile: _wildcard.apps.localhost.key }
        defaultActions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "200", messageBody: hello } }]
`, { dir });
    const ca = readFileSync(join(dir, 'ca', 'ca.pem'), 'utf8');
    for (const host of ['web.localhost', 'api.localhost', 'shop.apps.localhost']) {
      const r = await httpsGet(port, '/', { servername: host, ca });
      assert.equal(r.body, 'hello', host);
      const s = await handshake(port, { servername: host, ca });
      assert.equal(s.authorized, true, host);
      s.destroy();
    }
  });
});
