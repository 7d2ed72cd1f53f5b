/**
 * The web console at the API address: Jupyter-style login (a one-time link
 * traded for an HttpOnly, SameSite=Strict session cookie; or the API token
 * pasted into the login page), the JSON API it polls readable with the
 * cookie, and writes only with the session's CSRF token.
 */
import { test } from 'node:test';
import { get as httpGet } from 'node:http';
import assert from 'node:assert/strict';
import { freePort, startBackend } from '../support/backends.js';
import { basicConfig, startDaemon } from '../support/daemon.js';
import { consoleSession, rawApi } from '../support/api.js';

test('console login: one-time link -> session cookie -> the console and its API; writes need the CSRF token; log out', async () => {
  const backend = await startBackend('b');
  const spare = await startBackend('spare');
  const shoal = await startDaemon(basicConfig({ port: await freePort(), targets: [backend.port] }));
  const address = shoal.daemon.apiAddress();
  const registered = () => (shoal.daemon.control.describeTargetHealth('app') ?? []).map((d) => d.target.port).sort();
  try {
    const anonymous = await rawApi(address, { path: '/' });
    assert.equal(anonymous.status, 200);
    assert.match(anonymous.text, /<form method="post" action="\/login">/);
    assert.doesNotMatch(anonymous.text, /shoal-csrf/, 'no console, no CSRF token, without a session');

    const url = new URL(shoal.daemon.consoleUrl());
    assert.match(url.href, new RegExp(`^http://${address.replace(/\./g, '\\.')}/\\?login=[0-9a-f]{64}$`));
    const login = await rawApi(address, { path: url.pathname + url.search });
    assert.equal(login.status, 303);
    assert.equal(login.headers.location, '/', 'the token leaves the address bar');
    const setCookie = String(login.headers['set-cookie']);
    assert.match(setCookie, new RegExp(`^shoal_session_${url.port}=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/$`));
    const cookie = setCookie.split(';')[0]!;
    const again = await rawApi(address, { path: url.pathname + url.search });
    assert.equal(again.status, 403, 'a login link works once');
    assert.equal(again.headers['set-cookie'], undefined);
    assert.match(again.text, /already used or has expired/);

    const page = await rawApi(address, { path: '/', headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.match(page.text, /<title>shoal console<\/title>/);
    const csrf = /<meta name="shoal-csrf" content="([0-9a-f]{64})">/.exec(page.text)?.[1];
    assert.ok(csrf, 'the page carries the session CSRF token');
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/, 'scripts from this origin only');
    assert.match(page.text, /<script type="module" src="\/console\/main\.js"><\/script>/, 'the bundled console, from the daemon (no CDN)');
    const js = await rawApi(address, { path: '/console/main.js', headers: { cookie } });
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.match(js.text, /x-csrf-token/, 'its writes send the CSRF token');
    assert.doesNotMatch(js.text, /innerHTML/, 'the console builds its DOM from text, never markup');
    const css = await rawApi(address, { path: '/console/main.css', headers: { cookie } });
    assert.equal(css.status, 200);
    assert.equal((await rawApi(address, { path: '/console/main.js' })).status, 401, 'the bundle only for a session');
    assert.equal((await rawApi(address, { path: '/console/../shoal.yaml', headers: { cookie } })).status, 404, 'only the bundle\'s own files');

    const status = await rawApi(address, { path: '/_shoal/status', headers: { cookie } });
    assert.equal(status.status, 200);
    assert.deepEqual(status.json.loadBalancers.map((l: { name: string }) => l.name), ['web']);
    const targets = await rawApi(address, { path: '/_shoal/target-groups/app/targets', headers: { cookie } });
    assert.equal(targets.json.targetHealthDescriptions.length, 1);
    const session = await rawApi(address, { path: '/_shoal/session', headers: { cookie } });
    assert.deepEqual(session.json, { kind: 'session', csrfToken: csrf });

    const register = (headers: Record<string, string>) => rawApi(address, {
      method: 'POST', path: '/_shoal/target-groups/app/register',
      headers: { cookie, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ targets: [{ id: '127.0.0.1', port: spare.port }] }),
    });
    const noCsrf = await register({});
    assert.deepEqual([noCsrf.status, noCsrf.json.code], [403, 'AccessDenied']);
    assert.match(noCsrf.json.message, /X-CSRF-Token/);
    const wrongCsrf = await register({ 'x-csrf-token': csrf.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) });
    assert.equal(wrongCsrf.status, 403);
    assert.deepEqual(registered(), [backend.port], 'nothing registered without the CSRF token');
    const ok = await register({ 'x-csrf-token': csrf });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(registered(), [backend.port, spare.port].sort());

    const logout = await rawApi(address, { method: 'POST', path: '/_shoal/logout', headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf } });
    assert.equal(logout.status, 200);
    assert.match(String(logout.headers['set-cookie']), /Max-Age=0/);
    const after = await rawApi(address, { path: '/_shoal/status', headers: { cookie } });
    assert.deepEqual([after.status, after.json.code], [403, 'InvalidClientTokenId']);
    const pageAfter = await rawApi(address, { path: '/', headers: { cookie } });
    assert.equal(pageAfter.status, 401);
    assert.match(pageAfter.text, /session has ended/);
  } finally {
    await shoal.stop();
    await backend.close();
    await spare.close();
  }
});

test('console login page: the API token or an api.credentials pair opens a session; a wrong one, another type or another site does not', async () => {
  const shoal = await startDaemon(basicConfig({ port: await freePort(), targets: [] }).replace(
    'api: { listen: 127.0.0.1:API }', 'api: { listen: 127.0.0.1:API, credentials: [{ accessKeyId: AKIDCONSOLE, secretAccessKey: console-secret }, { accessKeyId: test, secretAccessKey: test }] }'));
  const address = shoal.daemon.apiAddress();
  const form = 'application/x-www-form-urlencoded';
  const post = (body: string, headers: Record<string, string> = {}) =>
    rawApi(address, { method: 'POST', path: '/login', headers: { 'content-type': form, ...headers }, body });
  try {
    const cases: [string, string, Record<string, string>, number][] = [
      ['a wrong token', 'token=' + '0'.repeat(64), {}, 403],
      ['no token', '', {}, 403],
      ['the token as text/plain', 'token=' + shoal.daemon.apiToken, { 'content-type': 'text/plain' }, 403],
      ['the token from another site', 'token=' + shoal.daemon.apiToken, { origin: 'http://evil.example' }, 403],
      ['the token', 'token=' + shoal.daemon.apiToken, {}, 303],
      ['the token, from the console\'s own origin', 'token=' + shoal.daemon.apiToken, { origin: `http://${address}` }, 303],
      ['an access key pair', 'accessKeyId=AKIDCONSOLE&secretAccessKey=console-secret', {}, 303],
      ['an access key with a wrong secret', 'accessKeyId=AKIDCONSOLE&secretAccessKey=wrong', {}, 403],
      ['another key\'s secret', 'accessKeyId=test&secretAccessKey=console-secret', {}, 403],
      ['the built-in default pair', 'accessKeyId=test&secretAccessKey=test', {}, 403],
    ];
    for (const [what, body, headers, status] of cases) {
      const r = await post(body, headers);
      assert.equal(r.status, status, what);
      assert.equal(r.headers['set-cookie'] !== undefined, status === 303, `${what}: a cookie only for the right token`);
    }
    const r = await post('token=' + shoal.daemon.apiToken);
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    assert.equal((await rawApi(address, { path: '/_shoal/status', headers: { cookie } })).status, 200);
  } finally {
    await shoal.stop();
  }
});

/** Reads `change` events from GET /_shoal/events until `until` says stop (bounded). */
function readEvents(address: string, headers: Record<string, string>, until: (versions: string[]) => boolean, timeoutMs = 10_000): Promise<{ status: number; type: string; versions: string[] }> {
  const i = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const req = httpGet({ host: address.slice(0, i), port: Number(address.slice(i + 1)), path: '/_shoal/events', headers, agent: false }, (res) => {
      const versions: string[] = [];
      let buf = '';
      const done = () => { clearTimeout(timer); req.destroy(); resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), versions }); };
      if (res.statusCode !== 200) return done();
      res.on('data', (c: Buffer) => {
        buf += c.toString();
        for (let k = buf.indexOf('\n\n'); k >= 0; k = buf.indexOf('\n\n')) {
          const m = /event: change\ndata: (.*)$/.exec(buf.slice(0, k));
          buf = buf.slice(k + 2);
          if (m) versions.push(JSON.parse(m[1]!).version);
          if (until(versions)) return done();
        }
      });
    });
    const timer = setTimeout(() => { req.destroy(); reject(new Error('no event in time')); }, timeoutMs);
    req.on('error', (err) => { clearTimeout(timer); reject(err); });
  });
}

test('console events: GET /_shoal/events streams a change when the state version moves; a session or the token is needed', async () => {
  const backend = await startBackend('b');
  const spare = await startBackend('spare');
  const shoal = await startDaemon(basicConfig({ port: await freePort(), targets: [backend.port] }));
  const address = shoal.daemon.apiAddress();
  try {
    const refused = await readEvents(address, {}, () => true);
    assert.equal(refused.status, 401, 'no stream without credentials');
    let registered = false;
    const stream = readEvents(address, { authorization: `Bearer ${shoal.daemon.apiToken}` }, (v) => {
      if (v.length === 1 && !registered) {
        registered = true;
        shoal.daemon.control.registerTargets('app', [{ id: '127.0.0.1', port: spare.port }]);
      }
      return v.length >= 2;
    });
    const r = await stream;
    assert.equal(r.status, 200);
    assert.match(r.type, /^text\/event-stream/);
    assert.notEqual(r.versions[1], r.versions[0], 'the registration moved the version');
  } finally {
    await shoal.stop();
    await backend.close();
    await spare.close();
  }
});
