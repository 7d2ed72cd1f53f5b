/**
 * HTTP/2 from clients on HTTPS listeners (issue 10), over real sockets to a
 * real daemon and real HTTP/1.1 targets: node:http2 (concurrent streams,
 * bodies both ways, rules, fixed responses, redirects), curl --http2, the
 * HTTP/1.1 fallback, alpnPolicy, the metrics, draining with GOAWAY, and the
 * known attacks (rapid reset, SETTINGS flood, CONTINUATION flood) sent as raw
 * frames: the abusing connection gets GOAWAY and is closed, the worker and
 * the other connections carry on.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, type ClientHttp2Session } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { freePort, startBackend, type Backend } from '../support/backends.js';
import { startDaemon, waitForHealth, type TestDaemon } from '../support/daemon.js';
import { testCa, type TestCa } from '../support/certs.js';
import { h2Connect, h2Request as request, type H2Answer } from '../support/h2-client.js';
import { filler, FLAG, FRAME, frame, rawH2, requestBlock, rstStream } from '../support/h2-frames.js';
import { handshake, httpsGet } from '../support/tls-client.js';
import { parseAlbLine, type AlbEntry } from '../../src/dataplane/access-log/parse.js';
import { loadBalancerDimension, targetGroupDimension } from '../../src/model/ids.js';

const run = promisify(execFile);
const BIG = Buffer.alloc(4 * 1024 * 1024 + 17, 0);
for (let i = 0; i < BIG.length; i++) BIG[i] = (i * 31 + (i >> 10)) & 0xff;

/** Held responses of /hold, released by the test (no sleeps). */
const held: ServerResponse[] = [];

/** The target: /big (4 MiB, Content-Length), /chunked (no length), /hold (answers when released), else JSON about the request. */
function target(req: IncomingMessage, res: ServerResponse, b: Backend): void {
  const hash = createHash('sha256');
  let bytes = 0;
  req.on('data', (c: Buffer) => {
    bytes += c.length;
    hash.update(c);
  });
  req.on('end', () => {
    b.received.push({ method: req.method!, url: req.url!, headers: req.headers, bodyBytes: bytes });
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BIG.length });
      return res.end(BIG);
    }
    if (req.url === '/chunked') {
      res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
      for (let i = 0; i < 100; i++) res.write(`line ${i}\n`);
      return res.end();
    }
    if (req.url === '/hold') return void held.push(res);
    const body = JSON.stringify({ method: req.method, url: req.url, bytes, sha256: hash.digest('hex'), te: req.headers['transfer-encoding'] ?? null });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('HTTP/2 on HTTPS listeners', () => {
  let dir = '';
  let ca: TestCa;
  let backend: Backend;
  let d: TestDaemon;
  let h2Port = 0;
  let h1OnlyPort = 0;
  let h2OnlyPort = 0;
  let countedPort = 0;
  let client: ClientHttp2Session;
  const startedAt = Date.now() - 1000;

  const connectH2 = (port = h2Port): Promise<ClientHttp2Session> => h2Connect(port, ca.cert);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-h2-'));
    ca = await testCa();
    await ca.write(dir, 'web', ['web.localhost']);
    writeFileSync(join(dir, 'ca.pem'), ca.cert); // for curl
    backend = await startBackend('b1', target);
    [h2Port, h1OnlyPort, h2OnlyPort, countedPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const tls = 'certificates: [{ certificateFile: web.pem, privateKeyFile: web.key }]';
    d = await startDaemon(`
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: web
    listeners:
      - port: ${h2Port}
        protocol: HTTPS
        alpnPolicy: HTTP2Preferred
        ${tls}
        defaultActions: [{ type: forward, targetGroup: app }]
        rules:
          - priority: 10
            conditions: [{ field: path-pattern, values: ["/fixed/*"] }]
            actions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "418", contentType: text/plain, messageBody: "short and stout" } }]
          - priority: 20
            conditions: [{ field: path-pattern, values: ["/old/*"] }]
            actions: [{ type: redirect, redirectConfig: { path: "/new/#{path}", query: "from=h2", statusCode: HTTP_301 } }]
          - priority: 30
            conditions: [{ field: http-header, httpHeaderName: x-tenant, values: ["blue"] }, { field: http-request-method, values: [DELETE] }]
            actions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "403", messageBody: "blue may not delete" } }]
          - priority: 40
            conditions: [{ field: path-pattern, values: ["/none/*"] }]
            actions: [{ type: forward, targetGroup: empty }]
      - port: ${h1OnlyPort}
        protocol: HTTPS
        alpnPolicy: HTTP1Only
        ${tls}
        defaultActions: [{ type: forward, targetGroup: app }]
      - port: ${h2OnlyPort}
        protocol: HTTPS
        alpnPolicy: HTTP2Only
        ${tls}
        defaultActions: [{ type: forward, targetGroup: app }]
    attributes: { accessLogs: { enabled: true, path: ${join(dir, 'web.log')} } }
  - name: counted
    listeners:
      - port: ${countedPort}
        protocol: HTTPS
        alpnPolicy: HTTP2Only
        ${tls}
        defaultActions: [{ type: forward, targetGroup: app }]
        rules:
          - priority: 10
            conditions: [{ field: path-pattern, values: ["/none/*"] }]
            actions: [{ type: forward, targetGroup: empty }]
targetGroups:
  - name: app
    port: ${backend.port}
    healthCheck: { path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2 }
    targets: [{ id: 127.0.0.1 }]
  - name: empty
    port: 80
`, { dir });
    await waitForHealth(d.daemon, 'app', (l) => l[0]?.targetHealth.state === 'healthy');
    client = await connectH2();
  });

  after(async () => {
    client?.close();
    for (const r of held.splice(0)) r.end();
    await d?.stop();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers many concurrent streams on one connection, forwarded to the HTTP/1.1 target with the X-Forwarded headers', async () => {
    const before = backend.received.length;
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => request(client, { ':path': `/item/${i}?q=${i}`, 'x-forwarded-for': '10.9.9.9' })));
    answers.forEach((a, i) => {
      assert.equal(a.status, 200);
      assert.deepEqual(JSON.parse(a.body.toString()), { method: 'GET', url: `/item/${i}?q=${i}`, bytes: 0, sha256: sha(Buffer.alloc(0)), te: null });
    });
    const seen = backend.received.slice(before).filter((r) => r.url !== '/health'); // health checks run meanwhile
    assert.equal(seen.length, 40);
    for (const r of seen) {
      assert.equal(r.headers.host, `web.localhost:${h2Port}`, ':authority becomes Host');
      assert.equal(r.headers['x-forwarded-proto'], 'https');
      assert.equal(r.headers['x-forwarded-port'], String(h2Port));
      assert.equal(r.headers['x-forwarded-for'], '10.9.9.9, 127.0.0.1');
      assert.match(String(r.headers['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    }
    assert.equal(new Set(seen.map((r) => r.headers['x-amzn-trace-id'])).size, 40, 'one trace id per request');
  });

  it('forwards POST bodies with a content-length as they are, and without one chunked', async () => {
    const body = BIG.subarray(0, 1_000_003);
    const withLength = await request(client, { ':method': 'POST', ':path': '/upload', 'content-length': String(body.length) }, body);
    assert.deepEqual(JSON.parse(withLength.body.toString()), { method: 'POST', url: '/upload', bytes: body.length, sha256: sha(body), te: null });
    const pieces = [body.subarray(0, 70_000), body.subarray(70_000, 500_000), body.subarray(500_000)];
    const streamed = await request(client, { ':method': 'PUT', ':path': '/stream' }, pieces);
    assert.deepEqual(JSON.parse(streamed.body.toString()), { method: 'PUT', url: '/stream', bytes: body.length, sha256: sha(body), te: 'chunked' });
    // DATA that only carries END_STREAM: a request without a body, not a chunked one.
    const empty = await request(client, { ':method': 'POST', ':path': '/empty' }, []);
    assert.deepEqual(JSON.parse(empty.body.toString()), { method: 'POST', url: '/empty', bytes: 0, sha256: sha(Buffer.alloc(0)), te: null });
  });

  it('streams big and chunked responses back whole, Set-Cookie fields kept apart', async () => {
    const [big, chunked] = await Promise.all([request(client, { ':path': '/big' }), request(client, { ':path': '/chunked' })]);
    assert.equal(big.status, 200);
    assert.equal(big.headers['content-length'], String(BIG.length));
    assert.equal(big.body.length, BIG.length);
    assert.equal(sha(big.body), sha(BIG));
    assert.equal(chunked.body.toString(), Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join(''));
    assert.equal(chunked.headers['transfer-encoding'], undefined);
    assert.deepEqual(chunked.headers['set-cookie'], ['a=1', 'b=2']);
    const head = await request(client, { ':method': 'HEAD', ':path': '/big' });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });

  it('applies the listener rules: fixed responses, redirects, header and method conditions, 503 for a group without targets', async () => {
    const fixed = await request(client, { ':path': '/fixed/pot' });
    assert.equal(fixed.status, 418);
    assert.equal(fixed.headers['content-type'], 'text/plain');
    assert.equal(fixed.body.toString(), 'short and stout');
    const moved = await request(client, { ':path': '/old/page?x=1' });
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, `https://web.localhost:${h2Port}/new/old/page?from=h2`);
    const denied = await request(client, { ':method': 'DELETE', ':path': '/thing', 'x-tenant': 'blue' });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.toString(), 'blue may not delete');
    const allowed = await request(client, { ':method': 'DELETE', ':path': '/thing', 'x-tenant': 'green' });
    assert.equal(allowed.status, 200);
    const none = await request(client, { ':path': '/none/x' });
    assert.equal(none.status, 503);
    // A body sent to a fixed response is not read: the stream is answered, then reset with NO_ERROR.
    const posted = await request(client, { ':method': 'POST', ':path': '/fixed/pot', 'content-length': '5' }, Buffer.from('hello'));
    assert.equal(posted.status, 418);
  });

  it("writes each stream's access log entry as ALB does for HTTP/2: type h2, the request line's HTTP/2.0, forwarded or answered", async () => {
    const c = await connectH2();
    const tag = `log${Date.now()}`;
    const fwd = await request(c, { ':path': `/${tag}/fwd`, 'user-agent': 'h2 "test"', 'x-amzn-trace-id': `Root=1-00000000-${tag}` });
    assert.equal(fwd.status, 200);
    await request(c, { ':method': 'POST', ':path': `/${tag}/post` }, Buffer.alloc(1000, 'p'));
    await request(c, { ':path': `/fixed/${tag}` });
    await request(c, { ':path': `/old/${tag}` });
    await request(c, { ':path': `/none/${tag}` });
    c.close();
    const file = join(dir, 'web.log');
    let entries: AlbEntry[] = [];
    const deadline = Date.now() + 10_000; // the worker writes its lines within a second (its sweep)
    while (entries.length < 5 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const text = existsSync(file) ? readFileSync(file, 'latin1') : '';
      entries = text.split('\n').filter((l) => l.includes(tag)).map((l) => parseAlbLine(l));
    }
    const at = (suffix: string) => entries.find((e) => e.request.split(' ')[1]!.endsWith(suffix))!;
    assert.equal(entries.length, 5, entries.map((e) => e.request).join('; '));
    const f = at('/fwd');
    assert.deepEqual(
      [f.type, f.request, f.user_agent, f.trace_id, f.elb_status_code, f.target_status_code, f['target:port'], f.actions_executed, f.matched_rule_priority],
      ['h2', `GET https://web.localhost:${h2Port}/${tag}/fwd HTTP/2.0`, 'h2 "test"', `Root=1-00000000-${tag}`, '200', '200', `127.0.0.1:${backend.port}`, 'forward', '0'],
    );
    assert.deepEqual([f.ssl_protocol, f.domain_name], ['TLSv1.3', 'web.localhost']);
    assert.equal(Number(f.sent_bytes), fwd.body.length, 'sent_bytes: the response DATA');
    assert.equal(at('/post').received_bytes, '1000', 'received_bytes: the request DATA');
    assert.deepEqual([at(`/fixed/${tag}`).elb_status_code, at(`/fixed/${tag}`).target_status_code, at(`/fixed/${tag}`).actions_executed, at(`/fixed/${tag}`).matched_rule_priority],
      ['418', '-', 'fixed-response', '10']);
    assert.deepEqual([at(`/old/${tag}`).elb_status_code, at(`/old/${tag}`).redirect_url], ['301', `https://web.localhost:${h2Port}/new/old/${tag}?from=h2`]);
    assert.deepEqual([at(`/none/${tag}`).elb_status_code, at(`/none/${tag}`).error_reason, at(`/none/${tag}`).matched_rule_priority], ['503', 'NoTarget', '40']);
    assert.equal(new Set(entries.map((e) => e.conn_trace_id)).size, 1, 'one connection: one conn_trace_id');
  });

  it('curl --http2 speaks HTTP/2', async () => {
    const { stdout } = await run('curl', ['-s', '--http2', '--cacert', join(dir, 'ca.pem'), '--resolve', `web.localhost:${h2Port}:127.0.0.1`,
      '-o', '/dev/null', '-w', '%{http_version} %{response_code}', `https://web.localhost:${h2Port}/curl`]);
    assert.equal(stdout, '2 200');
  });

  it('falls back to HTTP/1.1 for a client that offers only http/1.1', async () => {
    const s = await handshake(h2Port, { servername: 'web.localhost', ca: ca.cert, ALPNProtocols: ['http/1.1'] });
    assert.equal(s.alpnProtocol, 'http/1.1');
    s.destroy();
    const r = await httpsGet(h2Port, '/h1', { servername: 'web.localhost', ca: ca.cert });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).url, '/h1');
  });

  it('alpnPolicy HTTP1Only refuses h2 (a client with only h2 fails its handshake; curl falls back to 1.1)', async () => {
    await assert.rejects(handshake(h1OnlyPort, { servername: 'web.localhost', ca: ca.cert, ALPNProtocols: ['h2'] }));
    const { stdout } = await run('curl', ['-s', '--http2', '--cacert', join(dir, 'ca.pem'), '--resolve', `web.localhost:${h1OnlyPort}:127.0.0.1`,
      '-o', '/dev/null', '-w', '%{http_version}', `https://web.localhost:${h1OnlyPort}/`]);
    assert.equal(stdout, '1.1');
  });

  it('alpnPolicy HTTP2Only serves h2 and refuses a client that offers only http/1.1', async () => {
    await assert.rejects(handshake(h2OnlyPort, { servername: 'web.localhost', ca: ca.cert, ALPNProtocols: ['http/1.1'] }));
    const c = await connectH2(h2OnlyPort);
    try {
      assert.equal((await request(c, { ':path': '/only' })).status, 200);
    } finally {
      c.close();
    }
  });

  it('counts HTTP/2 requests in the load balancer metrics', async () => {
    const LB = { name: 'LoadBalancer', value: loadBalancerDimension('counted') };
    const TG = { name: 'TargetGroup', value: targetGroupDimension('app') };
    const metrics = d.daemon.control.metrics!;
    const total = (metricName: string, dimensions: (typeof LB)[]) => {
      const points = metrics.query({
        namespace: 'AWS/ApplicationELB', metricName, dimensions, statistic: 'Sum', periodSeconds: 3600,
        start: Math.floor(startedAt / 3_600_000) * 3_600_000, end: Date.now() + 3_600_000,
      });
      return points.reduce((a, p) => a + p.value, 0);
    };
    const c = await connectH2(countedPort);
    await Promise.all(Array.from({ length: 5 }, () => request(c, { ':path': '/counted' })));
    await request(c, { ':path': '/none/counted' });
    c.close();
    // Workers report once a second: wait for the counts to land.
    const deadline = Date.now() + 5000;
    while (total('RequestCount', [LB]) < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(total('RequestCount', [LB]), 6);
    assert.equal(total('RequestCount', [LB, TG]), 5);
    assert.equal(total('HTTPCode_Target_2XX_Count', [LB, TG]), 5);
    assert.equal(total('HTTPCode_ELB_5XX_Count', [LB]), 1);
    assert.equal(total('NewConnectionCount', [LB]), 1, 'six requests, one connection');
    while (total('ProcessedBytes', [LB]) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(total('ProcessedBytes', [LB]) > 0);
  });

  it('a rapid reset flood gets GOAWAY ENHANCE_YOUR_CALM and its connection closed; other connections carry on', async () => {
    const raw = await rawH2(h2Port);
    const frames: Buffer[] = [];
    for (let id = 1; id < 2 * 400; id += 2) frames.push(frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, id, requestBlock(`web.localhost:${h2Port}`, '/reset')), rstStream(id));
    raw.send(...frames);
    const { goaway } = await raw.closed;
    assert.equal(goaway, constants.NGHTTP2_ENHANCE_YOUR_CALM);
    assert.equal((await request(client, { ':path': '/after-reset' })).status, 200, 'the connection opened before still works');
    const fresh = await connectH2();
    assert.equal((await request(fresh, { ':path': '/after-reset' })).status, 200, 'and so does a new one');
    fresh.close();
  });

  it('a SETTINGS flood gets GOAWAY and its connection closed', async () => {
    const raw = await rawH2(h2Port);
    raw.send(...Array.from({ length: 1000 }, () => frame(FRAME.SETTINGS, 0, 0)));
    const { goaway } = await raw.closed;
    assert.equal(goaway, constants.NGHTTP2_ENHANCE_YOUR_CALM);
    assert.equal((await request(client, { ':path': '/after-settings' })).status, 200);
  });

  it('a CONTINUATION flood (a header block that never ends) gets GOAWAY and its connection closed', async () => {
    const raw = await rawH2(h2Port);
    const frames = [frame(FRAME.HEADERS, FLAG.END_STREAM, 1, requestBlock(`web.localhost:${h2Port}`, '/continued'))];
    // nghttp2 stops at 8; more than a few KiB and the close would reset the socket before the client read the GOAWAY.
    for (let i = 0; i < 100; i++) frames.push(frame(FRAME.CONTINUATION, 0, 1, filler(i)));
    raw.send(...frames);
    const { goaway } = await raw.closed;
    assert.notEqual(goaway, null, 'a GOAWAY before the close');
    assert.notEqual(goaway, constants.NGHTTP2_NO_ERROR);
    assert.equal((await request(client, { ':path': '/after-continuation' })).status, 200);
  });

  it('a PING flood gets GOAWAY and its connection closed', async () => {
    const raw = await rawH2(h2Port);
    raw.send(...Array.from({ length: 1000 }, (_, i) => frame(FRAME.PING, 0, 0, Buffer.alloc(8, i & 0xff))));
    const { goaway } = await raw.closed;
    assert.equal(goaway, constants.NGHTTP2_ENHANCE_YOUR_CALM);
  });
});

describe('HTTP/2 draining', () => {
  let dir = '';
  let backend: Backend;
  let port = 0;
  let ca: TestCa;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shoal-h2-drain-'));
    ca = await testCa();
    await ca.write(dir, 'web', ['web.localhost']);
    backend = await startBackend('b1', target);
    port = await freePort();
  });

  after(async () => {
    for (const r of held.splice(0)) r.end();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (withListener: boolean, alpnPolicy = 'HTTP2Preferred', http2Enabled = true) => `
api: { listen: 127.0.0.1:API }
loadBalancers:
  - name: web
    attributes: { http2Enabled: ${http2Enabled} }
    listeners:
${withListener ? `      - port: ${port}
        protocol: HTTPS
        alpnPolicy: ${alpnPolicy}
        certificates: [{ certificateFile: web.pem, privateKeyFile: web.key }]
        defaultActions: [{ type: forward, targetGroup: app }]` : '      []'}
targetGroups:
  - name: app
    port: ${backend.port}
    healthCheck: { path: /health, intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 2 }
    targets: [{ id: 127.0.0.1 }]
`;

  async function holding(): Promise<{ client: ClientHttp2Session; goaway: Promise<number>; answer: Promise<H2Answer> }> {
    const client = await h2Connect(port, ca.cert);
    const goaway = new Promise<number>((resolve) => client.once('goaway', (code: number) => resolve(code)));
    const count = held.length;
    const answer = request(client, { ':path': '/hold' });
    while (held.length === count) await new Promise((r) => setTimeout(r, 10));
    return { client, goaway, answer };
  }

  it('stopping the daemon sends GOAWAY and lets the open stream finish', async () => {
    const d = await startDaemon(config(true), { dir });
    try {
      await waitForHealth(d.daemon, 'app', (l) => l[0]?.targetHealth.state === 'healthy');
      const { client, goaway, answer } = await holding();
      const stopped = d.daemon.stop(10_000);
      assert.equal(await goaway, constants.NGHTTP2_NO_ERROR);
      held.shift()!.end('done');
      const a = await answer;
      assert.equal(a.status, 200);
      assert.equal(a.body.toString(), 'done');
      await stopped;
      client.destroy();
    } finally {
      await d.stop();
    }
  });

  it('removing the listener sends its HTTP/2 clients GOAWAY; the open stream finishes', async () => {
    const d = await startDaemon(config(true), { dir });
    try {
      await waitForHealth(d.daemon, 'app', (l) => l[0]?.targetHealth.state === 'healthy');
      const { client, goaway, answer } = await holding();
      writeFileSync(d.configPath, config(false).replace('127.0.0.1:API', `127.0.0.1:${await freePort()}`));
      await d.daemon.reload();
      assert.equal(await goaway, constants.NGHTTP2_NO_ERROR);
      held.shift()!.end('done');
      assert.equal((await answer).body.toString(), 'done');
      client.destroy();
    } finally {
      await d.stop();
    }
  });

  it('a reload that changes alpnPolicy and routing.http2.enabled change what new handshakes are offered (None: h2 first, as ALB; no ALPN at all with HTTP/2 off)', async () => {
    const d = await startDaemon(config(true), { dir });
    const alpn = async () => {
      const s = await handshake(port, { servername: 'web.localhost', ca: ca.cert, ALPNProtocols: ['h2', 'http/1.1'] });
      s.destroy();
      return s.alpnProtocol;
    };
    const reload = async (policy: string, http2Enabled = true) => {
      writeFileSync(d.configPath, config(true, policy, http2Enabled).replace('127.0.0.1:API', `127.0.0.1:${await freePort()}`));
      assert.deepEqual(await d.daemon.reload(), { ok: true });
    };
    // The data plane takes the reloaded snapshot a moment after reload() returns.
    const offers = async (want: string | false) => {
      const deadline = Date.now() + 5000;
      let got = await alpn();
      while (got !== want && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        got = await alpn();
      }
      assert.equal(got, want);
    };
    try {
      await offers('h2');
      await reload('None', false);
      await offers(false);
      await reload('None');
      await offers('h2'); // ALB's default: an HTTPS listener speaks HTTP/2 unless routing.http2.enabled is false
      await reload('HTTP2Preferred', false);
      await offers('http/1.1');
      await reload('HTTP2Optional');
      await offers('http/1.1');
      await reload('HTTP2Preferred');
      await offers('h2');
    } finally {
      await d.stop();
    }
  });
});
