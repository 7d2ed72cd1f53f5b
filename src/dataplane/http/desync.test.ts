import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestHead } from './request-head.js';
import { classifyRequest, decide, type BodyFraming, type Decision, type MitigationMode, type Reason, type Tier, type Verdict } from './desync.js';

function verdictOf(head: string): Verdict {
  const raw = head.endsWith('\n\n') ? head : `${head}\r\n\r\n`;
  const parsed = parseRequestHead(Buffer.from(raw, 'latin1'));
  assert.ok(parsed !== null);
  return classifyRequest(parsed);
}

interface Case {
  desc: string;
  head: string;
  tier: Tier;
  reason: Reason;
  framing: BodyFraming | null;
  says?: string;
}

const none: BodyFraming = { kind: 'none' };
const chunked: BodyFraming = { kind: 'chunked' };
const len = (length: number): BodyFraming => ({ kind: 'length', length });

const cases: Case[] = [
  { desc: 'a browser GET', head: 'GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: Mozilla/5.0 (X11)\r\nAccept-Encoding: gzip, br\r\nCookie: s=1', tier: 'Compliant', reason: 'Compliant', framing: none },
  { desc: 'POST with Content-Length', head: 'POST / HTTP/1.1\r\ncontent-length: 12', tier: 'Compliant', reason: 'Compliant', framing: len(12) },
  { desc: 'POST with Content-Length: 0 has no body', head: 'POST / HTTP/1.1\r\nContent-Length: 0', tier: 'Compliant', reason: 'Compliant', framing: none },
  { desc: 'chunked POST', head: 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip, Chunked', tier: 'Compliant', reason: 'Compliant', framing: chunked },
  { desc: 'HTTP/1.0 GET', head: 'GET / HTTP/1.0', tier: 'Compliant', reason: 'Compliant', framing: none },
  { desc: 'obs-text in a value is fine', head: 'GET / HTTP/1.1\r\nX: caf\xe9', tier: 'Compliant', reason: 'Compliant', framing: none },
  { desc: 'a control character in a value', head: 'GET / HTTP/1.1\r\nX-Note: a\x01b', tier: 'Acceptable', reason: 'NonCompliantHeader', framing: none, says: '"X-Note": "_\\0x01_"' },
  { desc: 'bare LF line endings', head: 'GET / HTTP/1.1\nHost: a\n\n', tier: 'Acceptable', reason: 'NonCrLfLineTermination', framing: none },
  { desc: 'HTTP/1.2', head: 'GET / HTTP/1.2', tier: 'Acceptable', reason: 'NonCompliantVersion', framing: none },
  { desc: 'a space in the URI', head: 'GET /a b HTTP/1.1', tier: 'Acceptable', reason: 'SpaceInUri', framing: none, says: 'URI' },
  { desc: 'GET with Content-Length: 0', head: 'GET / HTTP/1.1\r\nContent-Length: 0', tier: 'Acceptable', reason: 'GetHeadZeroContentLength', framing: none },
  { desc: 'obs-fold', head: 'GET / HTTP/1.1\r\nX-Long: a\r\n b', tier: 'Ambiguous', reason: 'MultilineHeader', framing: none, says: '"X-Long"' },
  { desc: 'TE and CL: chunked wins', head: 'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked', tier: 'Ambiguous', reason: 'BothTeClPresent', framing: chunked },
  { desc: 'GET with a body length', head: 'GET / HTTP/1.1\r\nContent-Length: 5', tier: 'Ambiguous', reason: 'UndefinedContentLengthSemantics', framing: len(5) },
  { desc: 'duplicate equal Content-Length', head: 'PUT / HTTP/1.1\r\nContent-Length: 7\r\nContent-Length: 7', tier: 'Ambiguous', reason: 'DuplicateContentLength', framing: len(7) },
  { desc: 'a Content-Length look-alike does not frame the body', head: 'POST / HTTP/1.1\r\nContent_Length: 7', tier: 'Ambiguous', reason: 'SuspiciousHeader', framing: none, says: '"Content_Length"' },
  { desc: 'Transfer-Encoding in HTTP/1.0 cannot be framed', head: 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked', tier: 'Ambiguous', reason: 'UndefinedTransferEncodingSemantics', framing: null, says: 'HTTP/1.0' },
  { desc: 'last coding not chunked cannot be framed', head: 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip', tier: 'Compliant', reason: 'Compliant', framing: null },
  { desc: 'a tab in the URI', head: 'GET /a\tb HTTP/1.1', tier: 'Ambiguous', reason: 'AmbiguousUri', framing: none },
  { desc: 'a tab where the version should be', head: 'GET /a\tHTTP/1.1', tier: 'Severe', reason: 'BadUri', framing: none, says: 'hides the HTTP version' },
  { desc: 'different Content-Length values', head: 'POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2', tier: 'Severe', reason: 'MultipleContentLength', framing: null },
  { desc: 'a signed Content-Length', head: 'POST / HTTP/1.1\r\nContent-Length: +1', tier: 'Severe', reason: 'BadContentLength', framing: null, says: '"+1"' },
  { desc: 'an empty Content-Length', head: 'POST / HTTP/1.1\r\nContent-Length:', tier: 'Severe', reason: 'BadContentLength', framing: null },
  { desc: 'a Content-Length beyond 2^53', head: 'POST / HTTP/1.1\r\nContent-Length: 9007199254740993', tier: 'Severe', reason: 'BadContentLength', framing: null },
  { desc: 'chunked twice', head: 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked', tier: 'Severe', reason: 'MultipleTransferEncodingChunked', framing: chunked },
  { desc: 'an unknown coding', head: 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked-ish', tier: 'Severe', reason: 'BadTransferEncoding', framing: null, says: '"chunked-ish"' },
  { desc: 'NUL in a header value, value obfuscated', head: 'GET / HTTP/1.1\r\nAuthorization: secret\x00token', tier: 'Severe', reason: 'BadHeader', framing: none, says: '"Authorization": "_\\0x00_"' },
  { desc: 'a bare CR in a value', head: 'GET / HTTP/1.1\r\nX: a\rTransfer-Encoding: chunked', tier: 'Severe', reason: 'BadHeader', framing: none },
  { desc: 'a method that is no token', head: 'G(T / HTTP/1.1', tier: 'Severe', reason: 'BadMethod', framing: none },
  { desc: 'HTTP/2.0 on an HTTP/1 connection', head: 'GET / HTTP/2.0', tier: 'Severe', reason: 'BadVersion', framing: none },
  { desc: 'a lower-case version', head: 'GET / http/1.1', tier: 'Severe', reason: 'BadVersion', framing: none },
];

for (const c of cases) {
  test(`classifies: ${c.desc}`, () => {
    const v = verdictOf(c.head);
    assert.equal(v.tier, c.tier, v.message);
    assert.equal(v.reason, c.reason, v.message);
    assert.deepEqual(v.framing, c.framing);
    if (c.tier === 'Compliant') assert.equal(v.message, '');
    if (c.says !== undefined) assert.ok(v.message.includes(c.says), v.message);
  });
}

test('a higher tier found later replaces a lower one', () => {
  const v = verdictOf('POST / HTTP/1.1\r\nX: \x01\r\nContent-Length: 1\r\nContent-Length: x');
  assert.equal(v.reason, 'BadContentLength');
});

test('within a tier the first finding stays: header characters are checked before framing headers', () => {
  const v = verdictOf('POST / HTTP/1.1\r\nContent-Length: x\r\nY: \x00');
  assert.equal(v.reason, 'BadHeader');
});

const verdict = (tier: Tier, framing: BodyFraming | null = none): Verdict => ({ tier, reason: 'Compliant', message: '', framing });

const table: Array<[Tier, Record<MitigationMode, Decision>]> = [
  ['Compliant', { monitor: 'forward', defensive: 'forward', strictest: 'forward' }],
  ['Acceptable', { monitor: 'forward', defensive: 'forward', strictest: 'reject' }],
  ['Ambiguous', { monitor: 'forward', defensive: 'forward-and-close', strictest: 'reject' }],
  ['Severe', { monitor: 'forward', defensive: 'reject', strictest: 'reject' }],
];

for (const mode of ['monitor', 'defensive', 'strictest'] as const) {
  test(`decide in ${mode} mode follows ALB's table`, () => {
    for (const [tier, want] of table) assert.equal(decide(verdict(tier), mode), want[mode], tier);
  });
  test(`decide in ${mode} mode rejects what cannot be framed, even Compliant`, () => {
    for (const [tier] of table) assert.equal(decide(verdict(tier, null), mode), 'reject', tier);
  });
}
