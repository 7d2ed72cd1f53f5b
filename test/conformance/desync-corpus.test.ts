/**
 * Every case of AWS's http-desync-guardian corpus, sent as raw bytes through
 * parseRequestHead -> classifyRequest: the tier and the reason must match and
 * the message must name what the case requires (compared case-insensitively, as the
 * reference harness does). A head the parser refuses counts as Severe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCorpus, rawRequest, type CorpusCase } from './desync-corpus.js';
import { parseRequestHead, HttpParseError } from '../../src/dataplane/http/request-head.js';
import { classifyRequest } from '../../src/dataplane/http/desync.js';

/**
 * Cases whose bytes hold more than one request head: the URI carries
 * "\r\n\r\n", so the first head ends inside it and the rest is the next
 * (pipelined) request. What matters is the verdict on the first head.
 */
const SPLITS_INTO_TWO = new Set(['Request Smuggling in URI']);

const cases = loadCorpus();

test('the corpus is there and complete', () => {
  assert.ok(cases.length >= 150, `only ${cases.length} cases loaded`);
});

for (const c of cases) {
  test(`${c.file}: ${c.name}`, () => check(c));
}

function check(c: CorpusCase): void {
  const raw = rawRequest(c);
  let head;
  try {
    head = parseRequestHead(raw);
  } catch (err) {
    if (!(err instanceof HttpParseError)) throw err;
    assert.equal(c.expected.tier, 'Severe', `parser refused a ${c.expected.tier} request: ${err.message}`);
    return;
  }
  assert.ok(head !== null, 'the head is complete');
  const rest = raw.subarray(head.headLength).toString('latin1');
  if (SPLITS_INTO_TWO.has(c.name)) assert.notEqual(rest.replace(/[\r\n]/g, ''), '');
  else assert.equal(rest.replace(/[\r\n]/g, ''), '', 'the whole request is one head');
  const verdict = classifyRequest(head);
  assert.equal(verdict.tier, c.expected.tier, `${verdict.reason}: ${verdict.message}`);
  assert.equal(verdict.reason, c.expected.reason, verdict.message);
  for (const item of c.expected.requiredMessageItems) {
    assert.ok(verdict.message.toLowerCase().includes(item.toLowerCase()), `"${item}" not in: ${verdict.message}`);
  }
}
