import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../core/clock.js';
import { LoadBalancerLog } from './buffer.js';
import { parseAlbLine } from './parse.js';
import { AccessRecord } from './record.js';
import { WallClock } from './wall.js';

function setup() {
  const clock = new ManualClock(Date.parse('2024-05-01T10:00:00Z'));
  let hr = 5000;
  const wall = new WallClock(clock, () => hr);
  // The sink's batches: the lines appended since the last flush, one string per flush.
  const batches: string[] = [];
  let pending = '';
  const room = Buffer.alloc(1 << 16);
  const log = new LoadBalancerLog('web', 'alb', wall, {
    append: (line) => void (pending += line),
    reserve: () => room,
    used: 0,
    commit: (end) => void (pending += room.toString('latin1', 0, end)),
    flush: () => {
      if (pending !== '') batches.push(pending);
      pending = '';
    },
  });
  const rec = new AccessRecord('http', '127.0.0.1', 5000, 'TID_1');
  return { log, rec, batches, advance: (ms: number) => (hr += ms), clock, wall };
}

describe('LoadBalancerLog (a worker\'s lines)', () => {
  it('formats each request as one line, in order, and passes flush() on', () => {
    const { log, rec, batches } = setup();
    for (let i = 0; i < 3; i++) {
      rec.begin(5000, 0);
      rec.elbStatus = 200 + i;
      log.write(rec, 5000);
    }
    assert.equal(batches.length, 0);
    log.flush();
    log.flush(); // nothing new: no empty batch
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0]!.trimEnd().split('\n').map((l) => parseAlbLine(l).elb_status_code), ['200', '201', '202']);
  });

  it('stamps times from the wall clock at the last rebase plus monotonic time since', () => {
    const { log, rec, batches, advance, clock, wall } = setup();
    advance(1500.25); // monotonic 6500.25: 1.50025 s after the rebase
    rec.begin(6500.25, 0);
    log.write(rec, 6500.25);
    clock.advance(60_000);
    wall.rebase();
    log.flush();
    const e = parseAlbLine(batches[0]!.trimEnd());
    assert.equal(e.time, '2024-05-01T10:00:01.500250Z');
    assert.equal(e.elb.startsWith('app/web/'), true);
  });
});
