import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ManualClock } from '../core/clock.js';
import { silentLogger } from '../core/log.js';
import { MAX_STREAMS, StateEvents } from './events.js';

/** A response that records what is written; a request that can be closed. */
function stream(): { req: IncomingMessage & EventEmitter; res: ServerResponse; text: () => string; status: () => number; ended: () => boolean } {
  const req = new EventEmitter() as IncomingMessage & EventEmitter;
  let out = '';
  let status = 0;
  let ended = false;
  const res = Object.assign(new EventEmitter(), {
    writeHead: (s: number) => ((status = s), res),
    write: (t: string) => ((out += t), true),
    end: (t?: string) => ((out += t ?? ''), (ended = true), res),
  }) as unknown as ServerResponse;
  return { req, res, text: () => out, status: () => status, ended: () => ended };
}

const changes = (text: string): string[] => [...text.matchAll(/event: change\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!).version as string);

describe('StateEvents', () => {
  const cases: { desc: string; versions: string[]; expected: string[] }[] = [
    { desc: 'sends the version at open, then one event per change', versions: ['1', '2', '3'], expected: ['1', '2', '3'] },
    { desc: 'sends nothing while the version stays', versions: ['1', '1', '1'], expected: ['1'] },
    { desc: 'a change back and forth is two events', versions: ['1', '2', '1'], expected: ['1', '2', '1'] },
  ];
  for (const c of cases) {
    it(c.desc, () => {
      const clock = new ManualClock();
      let i = 0;
      const ev = new StateEvents({ version: () => c.versions[Math.min(i, c.versions.length - 1)]!, clock, log: silentLogger, checkMs: 100 });
      const s = stream();
      ev.handle(s.req, s.res);
      for (i = 1; i < c.versions.length; i++) clock.advance(100);
      assert.equal(s.status(), 200);
      assert.deepEqual(changes(s.text()), c.expected);
    });
  }

  it('keeps an idle stream open with comments, and stops reading when the last stream closes', () => {
    const clock = new ManualClock();
    let reads = 0;
    const ev = new StateEvents({ version: () => (reads++, 'v'), clock, log: silentLogger, checkMs: 100, heartbeatMs: 1000 });
    const s = stream();
    ev.handle(s.req, s.res);
    clock.advance(1000);
    assert.match(s.text(), /: keep-alive\n\n/);
    s.req.emit('close');
    assert.equal(ev.open, 0);
    const before = reads;
    clock.advance(5000);
    assert.equal(reads, before, 'no timer without a stream');
  });

  it('a version that cannot be read sends nothing; close() ends every stream', () => {
    const clock = new ManualClock();
    let fail = false;
    const ev = new StateEvents({ version: () => { if (fail) throw new Error('StoreClosed'); return '1'; }, clock, log: silentLogger, checkMs: 100 });
    const s = stream();
    ev.handle(s.req, s.res);
    fail = true;
    clock.advance(500);
    assert.deepEqual(changes(s.text()), ['1']);
    ev.close();
    assert.ok(s.ended());
  });

  it(`refuses a stream past ${MAX_STREAMS} open`, () => {
    const ev = new StateEvents({ version: () => '1', clock: new ManualClock(), log: silentLogger });
    for (let i = 0; i < MAX_STREAMS; i++) { const s = stream(); ev.handle(s.req, s.res); }
    const extra = stream();
    ev.handle(extra.req, extra.res);
    assert.equal(extra.status(), 503);
    ev.close();
  });
});
