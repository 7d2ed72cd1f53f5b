/**
 * The API listener refuses strangers (docs/security.md): a page's no-cors
 * simple POST, a DNS-rebinding Host, missing or wrong credentials, a cookie
 * call without the CSRF token, CORS preflights. Each refused call answers
 * 4xx and changes nothing (desired capacity, registrations, activities).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Daemon } from '../../src/daemon/daemon.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';
import { freePort } from '../support/backends.js';
import { rawExchange } from '../support/raw-http.js';
import { api, consoleSession, rawApi, type RawRequest } from '../support/api.js';
import { groupConfig, startAsgDaemon } from './asg-support.js';

test('refused calls change nothing: cross-site simple POSTs, rebinding Hosts, missing/wrong credentials, no CSRF token, preflights', async () => {
  const lbPort = await freePort();
  const s = await startAsgDaemon(groupConfig({ lbPort, appPort: await freePort(), min: 0, max: 2, desired: 0, zones: ['zone-a'] }));
  const address = s.daemon.apiAddress();
  const port = address.split(':')[1]!;
  const token = s.daemon.apiToken;
  const session = await consoleSession(s.daemon);
  const bearer = `Bearer ${token}`;
  const json = 'application/json';
  const writes: [string, string][] = [
    ['/_shoal/auto-scaling-groups/app/desired-capacity', JSON.stringify({ desiredCapacity: 1 })],
    ['/_shoal/target-groups/app/register', JSON.stringify({ targets: [{ id: '127.0.0.1', port: lbPort + 1 }] })],
  ];
  const cases: [string, Omit<RawRequest, 'path' | 'body'>, number, string][] = [
    ['a no-cors simple POST from another site (text/plain, Origin)', { headers: { 'content-type': 'text/plain', origin: 'http://evil.example' } }, 403, 'Forbidden'],
    ['the same, as a form', { headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' } }, 403, 'Forbidden'],
    ['the same from a sandboxed frame (Origin: null)', { headers: { 'content-type': 'text/plain', origin: 'null' } }, 403, 'Forbidden'],
    ['text/plain, no Origin, no credentials', { headers: { 'content-type': 'text/plain' } }, 401, 'MissingAuthenticationToken'],
    ['text/plain with the token', { headers: { 'content-type': 'text/plain', authorization: bearer } }, 415, 'UnsupportedMediaType'],
    ['no Content-Type with the token', { headers: { authorization: bearer } }, 415, 'UnsupportedMediaType'],
    ['text/plain with the session cookie and CSRF token', { headers: { 'content-type': 'text/plain', cookie: session.cookie, 'x-csrf-token': session.csrf } }, 415, 'UnsupportedMediaType'],
    ['a rebinding Host, with the token', { headers: { host: `evil.example:${port}`, 'content-type': json, authorization: bearer } }, 403, 'Forbidden'],
    ['no credentials', { headers: { 'content-type': json } }, 401, 'MissingAuthenticationToken'],
    ['a wrong token', { headers: { 'content-type': json, authorization: `Bearer ${'0'.repeat(64)}` } }, 403, 'InvalidClientTokenId'],
    ['the token with a character missing', { headers: { 'content-type': json, authorization: `Bearer ${token.slice(1)}` } }, 403, 'InvalidClientTokenId'],
    ['Basic credentials', { headers: { 'content-type': json, authorization: 'Basic dGVzdDp0ZXN0' } }, 401, 'MissingAuthenticationToken'],
    ['an unknown session cookie', { headers: { 'content-type': json, cookie: session.cookie.replace(/=./, '=x') } }, 403, 'InvalidClientTokenId'],
    ['the session cookie without the CSRF token', { headers: { 'content-type': json, cookie: session.cookie } }, 403, 'AccessDenied'],
    ['the session cookie with another CSRF token', { headers: { 'content-type': json, cookie: session.cookie, 'x-csrf-token': token } }, 403, 'AccessDenied'],
    ['a CORS preflight', { method: 'OPTIONS', headers: { origin: `http://${address}`, 'access-control-request-method': 'POST' } }, 405, 'MethodNotAllowed'],
  ];
  try {
    for (const [path, body] of writes) {
      for (const [what, r, status, code] of cases) {
        const a = await rawApi(address, { method: 'POST', ...r, path, body });
        assert.deepEqual([a.status, a.json?.code], [status, code], `${what} -> ${path}: ${a.text}`);
        assert.deepEqual(Object.keys(a.headers).filter((h) => h.startsWith('access-control-')), [], `${what}: no CORS headers`);
      }
    }
    for (const [path, body] of writes) {
      const head = `POST ${path} HTTP/1.0\r\nContent-Type: ${json}\r\nAuthorization: ${bearer}\r\nContent-Length: ${body.length}\r\n\r\n`;
      const noHost = await rawExchange(Number(port), head + body);
      assert.equal(noHost.status, 403, `no Host header -> ${path}`);
    }
    assert.equal(s.asg.group('app')!.state.desiredCapacity, 0, 'desired capacity unchanged');
    assert.equal(s.asg.group('app')!.state.instances.length, 0, 'nothing launched');
    assert.deepEqual(s.daemon.control.describeTargetHealth('app'), [], 'nothing registered');

    // Reads need credentials too, and a rebinding page cannot read, not even the console page (its CSRF token).
    const reads: [string, RawRequest, number][] = [
      ['status without credentials', { path: '/_shoal/status' }, 401],
      ['status through a rebinding Host', { path: '/_shoal/status', headers: { host: `evil.example:${port}`, authorization: bearer } }, 403],
      ['the console through a rebinding Host', { path: '/', headers: { host: `evil.example:${port}`, cookie: session.cookie } }, 403],
      ['status on another port of the right host', { path: '/_shoal/status', headers: { host: `127.0.0.1:${Number(port) + 1}`, authorization: bearer } }, 403],
      ['status with the token', { path: '/_shoal/status', headers: { authorization: bearer } }, 200],
      ['status with the token via localhost', { path: '/_shoal/status', headers: { host: `localhost:${port}`, authorization: bearer } }, 200],
      ['status with the token via *.localhost', { path: '/_shoal/status', headers: { host: `web-1.elb.localhost:${port}`, authorization: bearer } }, 200],
      ['status with the cookie', { path: '/_shoal/status', headers: { cookie: session.cookie } }, 200],
    ];
    for (const [what, r, status] of reads) {
      const a = await rawApi(address, r);
      assert.equal(a.status, status, `${what}: ${a.text}`);
      if (status === 403 && r.path.startsWith('/_shoal/')) assert.equal(a.json.code, 'Forbidden', what);
    }

    // The same writes, properly made, work.
    const ok = await api(s.daemon, 'POST', '/_shoal/target-groups/app/register', { targets: [{ id: '127.0.0.1', port: lbPort + 1 }] });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(s.daemon.control.describeTargetHealth('app')!.length, 1);
  } finally {
    await s.destroy();
  }
});

test('the API token file: <stateDir>/api-token, mode 0600, new at each start (the old token stops working)', async () => {
  const s = await startAsgDaemon(groupConfig({ lbPort: await freePort(), appPort: await freePort(), min: 0, max: 1, zones: ['zone-a'] }));
  const file = join(s.dir, 'state', 'api-token');
  try {
    assert.equal(s.daemon.apiTokenPath, file);
    assert.equal(readFileSync(file, 'utf8').trim(), s.daemon.apiToken);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const old = s.daemon.apiToken;
    await s.stop();
    const again = await startAsgDaemon(readFileSync(s.configPath, 'utf8'), s.dir);
    try {
      assert.notEqual(again.daemon.apiToken, old);
      assert.equal(readFileSync(file, 'utf8').trim(), again.daemon.apiToken);
      const stale = await rawApi(again.daemon.apiAddress(), { path: '/_shoal/status', headers: { authorization: `Bearer ${old}` } });
      assert.deepEqual([stale.status, stale.json.code], [403, 'InvalidClientTokenId']);
      assert.match(stale.json.message, /new one .* each time it starts/);
    } finally {
      await again.stop();
    }
  } finally {
    await s.destroy();
  }
});

const CLI = resolve('dist/src/cli/main.js');

/** The CLI in a directory without shoal.yaml and without SHOAL_* in its environment, unless given. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SHOAL_')));
  try {
    const r = await promisify(execFile)(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: tmpdir(), env: { ...clean, ...env } });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

test('the CLI finds the token through the config, says what to do without one, and gets console links', async () => {
  const s = await startAsgDaemon(groupConfig({ lbPort: await freePort(), appPort: await freePort(), min: 0, max: 1, zones: ['zone-a'] }));
  const address = s.daemon.apiAddress();
  try {
    const withFile = await cli(['describe', 'app', '-f', s.configPath]);
    assert.equal(withFile.code, 0, withFile.out);
    assert.match(withFile.out, /app/);
    assert.equal((await cli(['describe', 'app'], { SHOAL_CONFIG: s.configPath })).code, 0, 'SHOAL_CONFIG');
    assert.equal((await cli(['describe', 'app', '--endpoint', address], { SHOAL_TOKEN: s.daemon.apiToken })).code, 0, 'SHOAL_TOKEN');

    const none = await cli(['describe', 'app', '--endpoint', address]);
    assert.equal(none.code, 1);
    assert.match(none.out, /^MissingAuthenticationToken: This call needs credentials/);
    assert.match(none.out, /-f FILE, SHOAL_CONFIG=FILE, or \.\/shoal\.yaml.*--api-token or set SHOAL_TOKEN/);
    assert.match(none.out, /the CLI found no token: no --api-token, no SHOAL_TOKEN, and no config/);
    const wrong = await cli(['set-desired-capacity', 'app', '1', '--endpoint', address, '--api-token', 'f'.repeat(64)]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.out, /^InvalidClientTokenId: .*\n\(the CLI sent the token given with --api-token\)/);
    assert.equal(s.asg.group('app')!.state.desiredCapacity, 0);

    const link = await cli(['console-url', '-f', s.configPath]);
    assert.equal(link.code, 0, link.out);
    const url = new URL(link.out.trim());
    assert.match(url.search, /^\?login=[0-9a-f]{64}$/);
    assert.equal((await rawApi(address, { path: url.pathname + url.search })).status, 303);
  } finally {
    await s.destroy();
  }
});

test('a non-loopback api.listen with the default test/test credentials is refused by validate and at start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-exposed-'));
  const configPath = join(dir, 'shoal.yaml');
  writeFileSync(configPath, `stateDir: ${join(dir, 'state')}\napi:\n  listen: 0.0.0.0:${await freePort()}\n`);
  try {
    const v = await cli(['validate', '-f', configPath]);
    assert.equal(v.code, 1);
    assert.match(v.out, /shoal\.yaml:3:11: api\.listen: 0\.0\.0\.0:\d+ is not a loopback address, and api\.credentials are the default test\/test keys/);
    await assert.rejects(
      Daemon.start({ configPath, clock: systemClock, random: seededRandom(1), log: silentLogger, workers: 0 }),
      (err: Error & { code?: string }) => err.code === 'ValidationError' && /api\.listen: .*set api\.credentials to your own keys/.test(err.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
