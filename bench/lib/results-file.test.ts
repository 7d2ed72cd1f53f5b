import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sectionKey, upsertSection } from './results-file.js';

test('sectionKey is a stable slug', () => {
  assert.equal(sectionKey(['2cpu', 'Intel(R) Xeon(R)', 'nginx', 'node-pipe']), '2cpu-intel-r-xeon-r-nginx-node-pipe');
});

test('upsertSection: empty file gets the preamble and the section', () => {
  const out = upsertSection('', 'k', 'body 1');
  assert.match(out, /^# shoal bench results/);
  assert.match(out, /<!-- bench-run k -->\nbody 1\n<!-- \/bench-run k -->\n$/);
});

test('upsertSection: same key replaces, other key appends, others stay', () => {
  let out = upsertSection('', 'a', 'A1');
  out = upsertSection(out, 'b', 'B1');
  out = upsertSection(out, 'a', 'A2');
  assert.ok(!out.includes('A1'));
  assert.ok(out.indexOf('A2') < out.indexOf('B1'), 'replaced in place');
  assert.equal(out.match(/<!-- bench-run a -->/g)?.length, 1);
  assert.ok(out.includes('B1'));
});
