import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../core/clock.js';
import { CertificateWatch } from './watch.js';

describe('CertificateWatch', () => {
  const cases = [
    { name: 'one change: one call after the quiet time', pokes: [['/c/web.pem', 0]], advance: 500, calls: 1 },
    { name: 'not before the quiet time', pokes: [['/c/web.pem', 0]], advance: 499, calls: 0 },
    { name: 'a certificate and its key written one after the other: one call', pokes: [['/c/web.pem', 0], ['/c/web.key', 300]], advance: 800, calls: 1 },
    { name: 'the burst restarts the quiet time', pokes: [['/c/web.pem', 0], ['/c/web.key', 300]], advance: 700, calls: 0 },
    { name: 'another file in the same directory is ignored', pokes: [['/c/notes.txt', 0]], advance: 1000, calls: 0 },
  ] as const;
  for (const c of cases) {
    it(c.name, () => {
      const clock = new ManualClock();
      let calls = 0;
      const w = new CertificateWatch({ clock, changed: () => calls++ });
      w.watch(['/c/web.pem', '/c/web.key']);
      let at = 0;
      for (const [file, t] of c.pokes) {
        clock.advance(t - at);
        at = t;
        w.poke(file);
      }
      clock.advance(c.advance - at);
      assert.equal(calls, c.calls);
      w.close();
    });
  }

  it('stops calling once closed', () => {
    const clock = new ManualClock();
    let calls = 0;
    const w = new CertificateWatch({ clock, changed: () => calls++ });
    w.watch(['/c/web.pem']);
    w.poke('/c/web.pem');
    w.close();
    clock.advance(1000);
    assert.equal(calls, 0);
  });
});
