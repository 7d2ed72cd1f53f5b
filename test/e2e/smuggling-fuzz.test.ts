/**
 * A generated sweep over framing-field and Host spellings and orderings
 * (smuggling-gen.ts, fixed seeds), in each desync mitigation mode, against a
 * raw target that records and strictly parses every byte. Whatever shoal does
 * with a request (forward, repair, reject), these must hold:
 *   1. every byte the target read parses strictly (one framing, one Host,
 *      canonical chunked bodies, tokens where tokens belong);
 *   2. the target read only requests the client sent (the case's own paths);
 *   3. every request the target read was answered to that client, and every
 *      answer the client got from the target is one of them (nothing smuggled
 *      in or out of view);
 *   4. the upstream connection that carried a request whose framing was not
 *      strictly clean carried nothing after it;
 *   5. the client got only target answers or shoal's own 4xx/5xx, and a 400
 *      closed its connection.
 * Bounded: a fixed number of cases per mode, and no new case starts after the
 * time budget (the test fails if too few ran).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../src/core/random.js';
import { freePort } from '../support/backends.js';
import { basicConfig, startDaemon } from '../support/daemon.js';
import { rawConversation, type Conversation } from '../support/raw-http.js';
import { startRecordingTarget, type Echo, type RecordingTarget } from '../support/recording-target.js';
import { parseFirstStrict, StrictViolation } from '../support/strict-http.js';
import { generate, type Generated } from './smuggling-gen.js';
import { MODES } from './smuggling-cases.js';

const CASES_PER_MODE = 150;
const MIN_CASES = 60;
const BUDGET_MS = 25_000;
const CONCURRENCY = 10;

interface Ran {
  gen: Generated;
  conv: Conversation;
}

for (const [m, mode] of MODES.entries()) {
  test(`${mode}: ${CASES_PER_MODE} generated requests keep the target's view and shoal's the same`, async () => {
    const target = await startRecordingTarget();
    const port = await freePort();
    const shoal = await startDaemon(basicConfig({ port, targets: [target.port], lbAttributes: `desyncMitigationMode: ${mode}` }));
    const random = seededRandom(8000 + m);
    const gens = Array.from({ length: CASES_PER_MODE }, (_, i) => generate(random, `/fz/${i}`));
    const ran: Ran[] = [];
    const deadline = Date.now() + BUDGET_MS;
    try {
      let next = 0;
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next < gens.length && Date.now() < deadline) {
          const gen = gens[next++]!;
          const conv = await rawConversation(port, Buffer.from(gen.bytes, 'latin1'), { expect: gen.pipelined ? 2 : 1, timeoutMs: 1500, graceMs: 50 });
          ran.push({ gen, conv });
        }
      }));
      assert.ok(ran.length >= MIN_CASES, `only ${ran.length} cases ran within ${BUDGET_MS} ms`);
      const failures = check(target, ran);
      assert.equal(failures.length, 0, `${failures.length} problems in ${ran.length} cases (${mode}):\n${failures.slice(0, 30).join('\n')}`);
    } finally {
      await shoal.stop();
      await target.close();
    }
  });
}

function check(target: RecordingTarget, ran: Ran[]): string[] {
  const failures: string[] = [];
  const readBy = new Map<string, Array<{ conn: number; index: number }>>(); // case path -> requests the target read
  for (const c of target.traffic()) {
    if (c.violation !== null) failures.push(`1. the target read bytes that break the grammar (${c.violation}): ${show(c.bytes.toString('latin1'))}`);
    c.requests.forEach((r, index) => {
      const m = /^(\/fz\/\d+)(\/next)?$/.exec(r.target);
      if (m === null) return failures.push(`2. the target read a request nobody sent: ${show(r.raw.toString('latin1'))}`);
      const list = readBy.get(m[1]!) ?? [];
      list.push({ conn: c.id, index });
      readBy.set(m[1]!, list);
    });
  }
  for (const { gen, conv } of ran) {
    const p = checkCase(target, gen, conv, readBy.get(gen.path) ?? []);
    if (p !== null) failures.push(`${gen.path} ${show(gen.bytes)}: ${p}`);
  }
  return failures;
}

function checkCase(target: RecordingTarget, gen: Generated, conv: Conversation, read: Array<{ conn: number; index: number }>): string | null {
  const echoes: Echo[] = [];
  for (const r of conv.responses) {
    if (r.headers['x-backend'] === 'recorder') echoes.push(JSON.parse(r.body) as Echo);
    else if (r.headers.server !== 'shoal' || r.status < 400) return `5. an answer from neither the target nor shoal: ${r.status}`;
    else if (r.status === 400 && !conv.closed) return '5. the connection stayed open after a 400';
  }
  const key = (x: { conn: number; index: number }): string => `${x.conn}:${x.index}`;
  const answered = new Set(echoes.map(key));
  for (const e of echoes) {
    if (!e.target.startsWith(gen.path)) return `3. the client got the answer to another request: ${e.target}`;
  }
  for (const x of read) {
    if (!answered.has(key(x))) return `3. the target read ${show(target.connections[x.conn]!.requests[x.index]!.raw.toString('latin1'))} and the client never saw its answer`;
  }
  if (answered.size !== read.length) return `3. the client got ${answered.size} target answers for ${read.length} requests the target read`;
  const first = read.find((x) => target.connections[x.conn]!.requests[x.index]!.target === gen.path);
  if (first !== undefined && !cleanFraming(gen)) {
    const conn = target.connections[first.conn]!;
    if (conn.requests.length > first.index + 1) return `4. the target connection was reused after a request with unclean framing: ${show(conn.bytes.toString('latin1'))}`;
  }
  return null;
}

/** The client's first request is strictly framed (chunk extensions and trailers allowed); what follows it does not matter. */
function cleanFraming(gen: Generated): boolean {
  try {
    return parseFirstStrict(Buffer.from(gen.bytes, 'latin1'), { chunkExtras: true }) !== null;
  } catch (err) {
    if (err instanceof StrictViolation) return false;
    throw err;
  }
}

function show(s: string): string {
  return JSON.stringify(s.length > 240 ? `${s.slice(0, 240)}...` : s);
}
