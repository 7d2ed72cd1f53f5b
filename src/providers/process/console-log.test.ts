import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE, PREVIOUS, readLogWindow, rotateIfNeeded, saveBootLog, streamEnd } from './console-log.js';
import type { InstanceMeta } from './meta.js';

function setup(): { dir: string; meta: InstanceMeta; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-console-'));
  const meta = { console: { base: 0, previousLength: 0 } } as InstanceMeta;
  return { dir, meta, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('console: boot and app logs are two windows split at bootEnd', () => {
  const { dir, meta, done } = setup();
  appendFileSync(join(dir, CONSOLE), 'boot line\n');
  const during = readLogWindow(dir, meta, 'boot', { from: 0, maxBytes: 100, ended: false });
  assert.deepEqual([during.text, during.complete], ['boot line\n', false]);
  meta.bootEnd = streamEnd(dir, meta);
  saveBootLog(dir, meta, meta.bootEnd);
  appendFileSync(join(dir, CONSOLE), 'app line\n');
  const boot = readLogWindow(dir, meta, 'boot', { from: 0, maxBytes: 100, ended: false });
  assert.deepEqual([boot.text, boot.complete], ['boot line\n', true]);
  const app = readLogWindow(dir, meta, 'app', { maxBytes: 100, ended: false });
  assert.deepEqual([app.text, app.from, app.end], ['app line\n', 10, 19]);
  done();
});

test('console: rotation keeps the cap, offsets keep growing, readers skip what is gone', () => {
  const { dir, meta, done } = setup();
  meta.bootEnd = 0;
  const cap = 100;
  appendFileSync(join(dir, CONSOLE), 'a'.repeat(80));
  assert.equal(rotateIfNeeded(dir, meta, cap), true);
  appendFileSync(join(dir, CONSOLE), 'b'.repeat(30));
  assert.equal(rotateIfNeeded(dir, meta, cap), false);
  assert.ok(statSync(join(dir, CONSOLE)).size + statSync(join(dir, PREVIOUS)).size <= cap);
  assert.equal(streamEnd(dir, meta), 110);
  const all = readLogWindow(dir, meta, 'app', { from: 0, maxBytes: 1000, ended: true });
  assert.deepEqual([all.from, all.end, all.text], [30, 110, 'a'.repeat(50) + 'b'.repeat(30)]);
  assert.equal(all.complete, true);
  done();
});

test('console: a reader never gets half a UTF-8 character', () => {
  const { dir, meta, done } = setup();
  meta.bootEnd = 0;
  appendFileSync(join(dir, CONSOLE), 'é€');
  const first = readLogWindow(dir, meta, 'app', { from: 0, maxBytes: 3, ended: false });
  assert.deepEqual([first.text, first.end], ['é', 2]);
  const rest = readLogWindow(dir, meta, 'app', { from: first.end, maxBytes: 3, ended: false });
  assert.equal(rest.text, '€');
  done();
});
