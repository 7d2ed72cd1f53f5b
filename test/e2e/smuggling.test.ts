/**
 * Request smuggling, the way the research does it: a raw TCP target records
 * every byte shoal sends and parses it strictly (test/support/strict-http.ts),
 * and a table of framing cases (smuggling-cases.ts) runs in each desync
 * mitigation mode. For each case: what the target read (method, target, Host,
 * body, which framing fields), what the client got (the target's echoes in
 * order, shoal's 400, or shoal's own fixed response; closed or not), and that
 * an upstream connection that carried a repaired request carried nothing else.
 * Across all cases, no byte the target received broke the strict grammar.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../support/backends.js';
import { basicConfig, startDaemon } from '../support/daemon.js';
import { rawConversation, type Conversation } from '../support/raw-http.js';
import { startRecordingTarget, type Echo, type RecordingTarget } from '../support/recording-target.js';
import { fieldOf } from '../support/strict-http.js';
import { CASES, MODES, type Case, type Mode, type Outcome, type Read } from './smuggling-cases.js';

const ADMIN_RULE = `        rules:
          - priority: 10
            conditions: [{ field: host-header, values: ["admin.*"] }]
            actions: [{ type: fixed-response, fixedResponseConfig: { statusCode: "200", messageBody: admin-rule } }]`;

for (const mode of MODES) {
  test(`${mode}: every framing case reaches the target as exactly one unambiguous request`, async () => {
    const target = await startRecordingTarget();
    const port = await freePort();
    const shoal = await startDaemon(basicConfig({
      port, targets: [target.port], rules: ADMIN_RULE, lbAttributes: `desyncMitigationMode: ${mode}`,
    }));
    const failures: string[] = [];
    try {
      for (const c of CASES) {
        const problem = await runCase(port, target, c, c.expect[mode]);
        if (problem !== null) failures.push(`${c.name}: ${problem}`);
      }
      for (const conn of target.traffic()) {
        if (conn.violation !== null) failures.push(`the target read bytes that break the grammar (${conn.violation}): ${JSON.stringify(conn.bytes.toString('latin1').slice(0, 300))}`);
      }
      assert.equal(failures.length, 0, `${failures.length} of ${CASES.length} cases in ${mode} mode:\n${failures.join('\n')}`);
    } finally {
      await shoal.stop();
      await target.close();
    }
  });
}

async function runCase(port: number, target: RecordingTarget, c: Case, want: Outcome): Promise<string | null> {
  const before = requestsAt(target);
  const expect = want.kind === 'forward' ? want.reads.length : 1;
  const conv = await rawConversation(port, Buffer.from(c.send, 'latin1'), {
    expect: want.kind === 'pending' ? Infinity : expect,
    timeoutMs: want.kind === 'pending' ? 400 : 3000,
  });
  const problem = checkOutcome(conv, want, requestsAt(target) - before);
  if (problem !== null || want.kind !== 'forward') return problem;
  for (const [i, read] of want.reads.entries()) {
    const echo = JSON.parse(conv.responses[i]!.body) as Echo;
    const got = target.connections[echo.conn]!.requests[echo.index]!;
    const p = checkRead(read, echo, (name) => fieldOf(got, name), got.version);
    if (p !== null) return `request ${i + 1}: ${p}`;
  }
  return c.repaired ? probeNotReused(port, target, conv) : null;
}

/** Complete requests the target has read, health checks aside. */
function requestsAt(target: RecordingTarget): number {
  return target.traffic().reduce((n, c) => n + c.requests.length, 0);
}

function checkOutcome(conv: Conversation, want: Outcome, completeAtTarget: number): string | null {
  const r = conv.responses;
  switch (want.kind) {
    case 'reject':
      if (r.length !== 1 || r[0]!.status !== 400 || r[0]!.headers['x-backend'] !== undefined) return `want shoal's 400, got ${summary(conv)}`;
      if (!conv.closed) return 'connection left open after the 400';
      return completeAtTarget === 0 ? null : `rejected, yet the target read ${completeAtTarget} request(s)`;
    case 'fixed':
      if (r.length !== 1 || r[0]!.body !== want.body) return `want shoal's fixed response ${JSON.stringify(want.body)}, got ${summary(conv)}`;
      return completeAtTarget === 0 ? null : `answered by a rule, yet the target read ${completeAtTarget} request(s)`;
    case 'pending':
      if (r.length !== 0) return `want no answer yet, got ${summary(conv)}`;
      return completeAtTarget === 0 ? null : `the target read ${completeAtTarget} complete request(s)`;
    case 'forward':
      if (r.length !== want.reads.length || r.some((x) => x.headers['x-backend'] !== 'recorder')) {
        return `want ${want.reads.length} answer(s) from the target, got ${summary(conv)}`;
      }
      if (completeAtTarget !== want.reads.length) return `the target read ${completeAtTarget} requests, want ${want.reads.length}`;
      if (want.close !== conv.closed) return want.close ? 'client connection left open' : 'client connection closed';
      return null;
  }
}

function checkRead(read: Read, echo: Echo, field: (lowerName: string) => string | undefined, version: string): string | null {
  if (echo.target !== read.target) return `target read ${JSON.stringify(echo.target)}, want ${JSON.stringify(read.target)}`;
  if (read.method !== undefined && echo.method !== read.method) return `method ${echo.method}, want ${read.method}`;
  if (read.version !== undefined && version !== read.version) return `version ${version}, want ${read.version}`;
  if (read.body !== undefined && echo.body !== read.body) return `body ${JSON.stringify(echo.body)}, want ${JSON.stringify(read.body)}`;
  const host = read.host === undefined ? 't' : read.host;
  if (echo.host !== host) return `Host ${JSON.stringify(echo.host)}, want ${JSON.stringify(host)}`;
  for (const name of read.absent ?? []) if (field(name) !== undefined) return `the target read a ${name} field: ${JSON.stringify(field(name))}`;
  for (const [name, value] of Object.entries(read.fields ?? {})) {
    if (field(name) !== value) return `${name} ${JSON.stringify(field(name))}, want ${JSON.stringify(value)}`;
  }
  return null;
}

/**
 * After a repaired request (a case's first; what follows it on the client connection is the client's
 * next request), a new request must not travel on the upstream connection it used.
 */
async function probeNotReused(port: number, target: RecordingTarget, conv: Conversation): Promise<string | null> {
  const used = new Set([(JSON.parse(conv.responses[0]!.body) as Echo).conn]);
  const probe = await rawConversation(port, 'GET /probe HTTP/1.1\r\nHost: t\r\n\r\n', { expect: 1 });
  if (probe.responses.length !== 1 || probe.responses[0]!.headers['x-backend'] !== 'recorder') return `the probe got ${summary(probe)}`;
  const conn = (JSON.parse(probe.responses[0]!.body) as Echo).conn;
  if (used.has(conn)) return `the upstream connection of a repaired request was reused: ${JSON.stringify(target.connections[conn]!.bytes.toString('latin1'))}`;
  return null;
}

function summary(conv: Conversation): string {
  const parts = conv.responses.map((r) => `${r.status}${r.headers['x-backend'] ? ' (target)' : ''} ${JSON.stringify(r.body.slice(0, 80))}`);
  return `[${parts.join(', ')}]${conv.closed ? ' closed' : ''}${conv.rest ? ` + ${JSON.stringify(conv.rest.slice(0, 80))}` : ''}`;
}
