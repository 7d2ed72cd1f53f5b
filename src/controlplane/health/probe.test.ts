/**
 * probeHttp against real sockets on 127.0.0.1 (the one place the health
 * checker meets the network). The hanging-server case uses a ManualClock: the
 * timeout is the injected clock's, so no test here waits on real time.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { ManualClock, systemClock } from '../../core/clock.js';
import { parseMatcher } from './matcher.js';
import { probeHttp, type ProbeResult } from './probe.js';

const seen: http.IncomingHttpHeaders[] = [];
const server = http.createServer((req, res) => {
  seen.push(req.headers);
  switch (req.url) {
    case '/ok':
      return res.end('fine');
    case '/unavailable':
      res.statusCode = 503;
      return res.end('down');
    case '/redirect':
      res.writeHead(302, { Location: '/ok' });
      return res.end();
    case '/big':
      return res.end(Buffer.alloc(1 << 20, 'x')); // drained, not buffered
    case '/truncated':
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('x');
      return void setImmediate(() => res.socket?.destroy());
    case '/hang':
      return; // never answers
    default:
      res.statusCode = 404;
      return res.end();
  }
});
// Answers every connection with something that is not HTTP.
const garbage = net.createServer((s) => s.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
let port = 0;
let garbagePort = 0;
let closedPort = 0;

function listen(s: net.Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
}

before(async () => {
  port = await listen(server);
  garbagePort = await listen(garbage);
  const gone = net.createServer();
  closedPort = await listen(gone);
  await new Promise((resolve) => gone.close(resolve));
});
after(() => {
  server.closeAllConnections();
  server.close();
  garbage.close();
});

const probe = (path: string, opts: { port?: number; matcher?: string } = {}): Promise<ProbeResult> =>
  probeHttp({ host: '127.0.0.1', port: opts.port ?? port, path, timeoutMs: 5000, matches: parseMatcher(opts.matcher ?? '200') }, systemClock);

describe('probeHttp', () => {
  const cases: Array<{ desc: string; path: string; port?: () => number; matcher?: string; want: Partial<ProbeResult>; detail?: RegExp }> = [
    { desc: '200 matches the default matcher', path: '/ok', want: { ok: true, kind: 'ok', statusCode: 200 } },
    { desc: '503 is a code mismatch', path: '/unavailable', want: { ok: false, kind: 'code-mismatch', statusCode: 503 } },
    { desc: '302 is a mismatch for 200', path: '/redirect', want: { ok: false, kind: 'code-mismatch', statusCode: 302 } },
    { desc: '302 matches 200-399', path: '/redirect', matcher: '200-399', want: { ok: true, kind: 'ok', statusCode: 302 } },
    { desc: 'a 1 MiB body is drained', path: '/big', want: { ok: true, kind: 'ok', statusCode: 200 } },
    { desc: 'a response cut short is an error', path: '/truncated', want: { ok: false, kind: 'error', statusCode: 200 } },
    { desc: 'a refused connection is an error', path: '/ok', port: () => closedPort, want: { ok: false, kind: 'error' }, detail: /ECONNREFUSED/ },
    { desc: 'a non-HTTP answer is an error', path: '/', port: () => garbagePort, want: { ok: false, kind: 'error' }, detail: /malformed|parse/i },
  ];
  for (const c of cases) {
    it(c.desc, async () => {
      const r = await probe(c.path, { port: c.port?.(), matcher: c.matcher });
      assert.deepEqual({ ok: r.ok, kind: r.kind, statusCode: r.statusCode }, { statusCode: undefined, ...c.want });
      if (c.detail) assert.match(r.detail, c.detail);
    });
  }

  it('sends what an ALB sends', async () => {
    seen.length = 0;
    await probe('/ok?from=test');
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!['user-agent'], 'ELB-HealthChecker/2.0');
    assert.equal(seen[0]!.connection, 'close');
    assert.equal(seen[0]!.host, `127.0.0.1:${port}`);
  });

  it('times out on the injected clock when the target never answers', async () => {
    const clock = new ManualClock();
    const pending = probeHttp({ host: '127.0.0.1', port, path: '/hang', timeoutMs: 2000, matches: parseMatcher('200') }, clock);
    clock.advance(1999);
    clock.advance(1);
    const r = await pending;
    assert.deepEqual({ ok: r.ok, kind: r.kind }, { ok: false, kind: 'timeout' });
    assert.match(r.detail, /2000 ms/);
    assert.equal(clock.pending(), 0);
  });

  it('times out on the system clock too', async () => {
    const r = await probeHttp({ host: '127.0.0.1', port, path: '/hang', timeoutMs: 100, matches: parseMatcher('200') }, systemClock);
    assert.equal(r.kind, 'timeout');
  });
});
