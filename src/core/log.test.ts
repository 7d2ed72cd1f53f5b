import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, logDestination, logFormat } from './log.js';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += chunk.toString(); done(); } });
  return { stream, text: () => text };
}

test('logFormat: readable on a terminal, JSON lines elsewhere; SHOAL_LOG_FORMAT decides when set', () => {
  assert.equal(logFormat({}, true), 'pretty');
  assert.equal(logFormat({}, false), 'json');
  assert.equal(logFormat({ SHOAL_LOG_FORMAT: 'json' }, true), 'json');
  assert.equal(logFormat({ SHOAL_LOG_FORMAT: 'pretty' }, false), 'pretty');
});

test('the readable form: time, level and message on one line, with the fields; JSON keeps every field', async () => {
  const pretty = capture();
  const log = createLogger('shoal', 'info', logDestination('pretty', pretty.stream));
  log.warn({ group: 'web', instance: 'i-0abc' }, 'instance failed its health check');
  log.debug('not at info');
  await new Promise((r) => setImmediate(r));
  assert.match(pretty.text(), /^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: instance failed its health check \{"group":"web","instance":"i-0abc"\}\n$/);

  const json = capture();
  createLogger('shoal', 'info', logDestination('json', json.stream)).info({ port: 80 }, 'listening');
  const line = JSON.parse(json.text()) as Record<string, unknown>;
  assert.deepEqual([line.level, line.msg, line.port, line.name], [30, 'listening', 80, 'shoal']);
});
