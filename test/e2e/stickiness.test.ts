/**
 * Sticky sessions through shoal on real sockets (issue 10): lb_cookie holds a
 * client on one target across 100 requests and moves it when that target
 * dies; app_cookie follows the application's cookie; a forged or foreign
 * cookie reaches nobody in particular; target group stickiness on a weighted
 * forward keeps a client on its group; weighted_random spreads requests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { freePort, startBackend, type Backend, type Handler } from '../support/backends.js';
import { basicConfig, startDaemon, waitForHealth } from '../support/daemon.js';

interface Got {
  status: number;
  body: string;
  setCookie: string[];
}

function get(port: number, path: string, cookie?: string): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: cookie ? { cookie } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, setCookie: res.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** "name=value" of the Set-Cookie named `name`. */
function cookieOf(got: Got, name: string): string | undefined {
  return got.setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`));
}

async function backends(n: number, handler?: Handler): Promise<Backend[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => startBackend(`b${i}`, handler)));
}

const HEALTH = 'path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2, unhealthyThresholdCount: 2';

test('lb_cookie: 100 requests with the cookie stay on one target; when it dies the client moves and is re-pinned', async () => {
  const bs = await backends(3);
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({
    port, targets: bs.map((b) => b.port), healthCheck: HEALTH,
    tgAttributes: 'deregistrationDelaySeconds: 0, stickiness: { enabled: true, type: lb_cookie, durationSeconds: 600 }',
  }));
  try {
    await waitForHealth(shoal.daemon, 'app', (l) => l.every((d) => d.targetHealth.state === 'healthy'));
    const first = await get(port, '/');
    const cookie = cookieOf(first, 'AWSALB')!;
    assert.ok(cookie, `a sticky cookie: ${first.setCookie.join(' | ')}`);
    assert.ok(first.setCookie.some((c) => /^AWSALBCORS=.*SameSite=None; Secure/.test(c)), 'and its CORS twin');
    assert.match(first.setCookie.find((c) => c.startsWith('AWSALB='))!, /Expires=[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} .* GMT; Path=\//);
    const owner = first.body.split(' ')[0]!;
    for (let i = 0; i < 100; i++) assert.equal((await get(port, `/r${i}`, cookie)).body.split(' ')[0], owner, `request ${i}`);
    const plain = new Set<string>();
    for (let i = 0; i < 9; i++) plain.add((await get(port, '/')).body.split(' ')[0]!);
    assert.equal(plain.size, 3, 'without the cookie requests still spread');

    await bs.find((b) => b.name === owner)!.close();
    shoal.daemon.control.deregisterTargets('app', [{ id: '127.0.0.1', port: bs.find((b) => b.name === owner)!.port }]);
    await waitForHealth(shoal.daemon, 'app', (l) => l.filter((d) => d.targetHealth.state === 'healthy').length === 2);
    const moved = await get(port, '/', cookie);
    assert.equal(moved.status, 200);
    const next = moved.body.split(' ')[0]!;
    assert.notEqual(next, owner);
    const repinned = cookieOf(moved, 'AWSALB')!;
    for (let i = 0; i < 20; i++) assert.equal((await get(port, '/', repinned)).body.split(' ')[0], next);
  } finally {
    await shoal.stop();
    for (const b of bs) await b.close();
  }
});

test('a forged or altered AWSALB cookie pins nothing', async () => {
  const bs = await backends(2);
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({
    port, targets: bs.map((b) => b.port), healthCheck: HEALTH, tgAttributes: 'stickiness: { enabled: true }',
  }));
  try {
    await waitForHealth(shoal.daemon, 'app', (l) => l.every((d) => d.targetHealth.state === 'healthy'));
    const real = cookieOf(await get(port, '/'), 'AWSALB')!;
    const [value, mac] = real.slice('AWSALB='.length).split('.');
    const pinnedKey = Buffer.from(value!, 'base64url').toString();
    const other = bs.map((b) => `127.0.0.1:${b.port}`).find((k) => k !== pinnedKey)!;
    const forged = [
      `AWSALB=${Buffer.from(other).toString('base64url')}.${mac}`,
      `AWSALB=${value}.AAAAAAAAAAAAAAAAAAAAAA`,
      `AWSALB=${Buffer.from('10.9.9.9:80').toString('base64url')}.${mac}`,
      'AWSALB=garbage',
    ];
    for (const f of forged) {
      const seen = new Set<string>();
      for (let i = 0; i < 6; i++) seen.add((await get(port, '/', f)).body.split(' ')[0]!);
      assert.equal(seen.size, 2, `${f} is balanced like no cookie`);
    }
  } finally {
    await shoal.stop();
    for (const b of bs) await b.close();
  }
});

test('app_cookie: AWSALBAPP-0 is added when the application sets its cookie, and pins to that target', async () => {
  const app: Handler = (req, res, b) => {
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    if (req.url === '/login') headers['set-cookie'] = 'SESSIONID=abc; Path=/';
    res.writeHead(200, headers);
    res.end(`${b.name} ${req.url}`);
  };
  const bs = await backends(3, app);
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({
    port, targets: bs.map((b) => b.port), healthCheck: HEALTH,
    tgAttributes: 'stickiness: { enabled: true, type: app_cookie, cookieName: SESSIONID, durationSeconds: 300 }',
  }));
  try {
    await waitForHealth(shoal.daemon, 'app', (l) => l.every((d) => d.targetHealth.state === 'healthy'));
    const plain = await get(port, '/page');
    assert.equal(cookieOf(plain, 'AWSALBAPP-0'), undefined, 'no app cookie set, no AWSALBAPP');
    const login = await get(port, '/login');
    const sticky = cookieOf(login, 'AWSALBAPP-0')!;
    assert.ok(sticky, login.setCookie.join(' | '));
    assert.ok(cookieOf(login, 'SESSIONID'), 'the application\'s own cookie passes');
    const owner = login.body.split(' ')[0];
    for (let i = 0; i < 30; i++) assert.equal((await get(port, '/page', `SESSIONID=abc; ${sticky}`)).body.split(' ')[0], owner);
  } finally {
    await shoal.stop();
    for (const b of bs) await b.close();
  }
});

test('target group stickiness keeps a client on the weighted group it was first sent to', async () => {
  const [blue, green] = [await startBackend('blue'), await startBackend('green')];
  const port = await freePort();
  const rules = `        rules:
          - priority: 1
            conditions: [{ field: path-pattern, values: ["/w*"] }]
            actions: [{ type: forward, forwardConfig: { targetGroups: [{ targetGroup: app, weight: 50 }, { targetGroup: other, weight: 50 }], targetGroupStickinessConfig: { enabled: true, durationSeconds: 120 } } }]`;
  const extra = `  - name: other
    port: ${green.port}
    healthCheck: { ${HEALTH} }
    targets: [{ id: 127.0.0.1, port: ${green.port} }]`;
  const shoal = await startDaemon(basicConfig({ port, targets: [blue.port], healthCheck: HEALTH, rules, extra }));
  try {
    await waitForHealth(shoal.daemon, 'other', (l) => l.every((d) => d.targetHealth.state === 'healthy'));
    await waitForHealth(shoal.daemon, 'app', (l) => l.every((d) => d.targetHealth.state === 'healthy'));
    const groups = new Set<string>();
    for (let i = 0; i < 20; i++) groups.add((await get(port, '/w')).body.split(' ')[0]!);
    assert.equal(groups.size, 2, 'without the cookie, both groups');
    const first = await get(port, '/w');
    const tg = cookieOf(first, 'AWSALBTG')!;
    assert.ok(tg, first.setCookie.join(' | '));
    for (let i = 0; i < 30; i++) assert.equal((await get(port, '/w', tg)).body.split(' ')[0], first.body.split(' ')[0]);
  } finally {
    await shoal.stop();
    await blue.close();
    await green.close();
  }
});

test('weighted_random spreads requests over every target', async () => {
  const bs = await backends(3);
  const port = await freePort();
  const shoal = await startDaemon(basicConfig({
    port, targets: bs.map((b) => b.port), healthCheck: HEALTH, tgAttributes: 'algorithm: weighted_random, anomalyMitigation: true',
  }));
  try {
    await waitForHealth(shoal.daemon, 'app', (l) => l.every((d) => d.targetHealth.state === 'healthy'));
    const counts = new Map<string, number>();
    for (let i = 0; i < 90; i++) {
      const name = (await get(port, '/')).body.split(' ')[0]!;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    assert.equal(counts.size, 3);
    for (const [name, n] of counts) assert.ok(n >= 12, `${name} got ${n} of 90`);
  } finally {
    await shoal.stop();
    for (const b of bs) await b.close();
  }
});
