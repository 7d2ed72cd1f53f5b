import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FloodWindow } from './flood-window.js';

describe('FloodWindow', () => {
  const cases = [
    { name: 'hits up to the limit in one second pass', hits: [[5, 3]], limit: 3, tripped: false },
    { name: 'one past the limit in one second trips', hits: [[5, 4]], limit: 3, tripped: true },
    { name: 'a new second starts afresh', hits: [[5, 3], [6, 3]], limit: 3, tripped: false },
    { name: 'the count is per second, not a running total', hits: [[5, 2], [6, 2], [7, 2]], limit: 3, tripped: false },
    { name: 'a second that returns after another is counted afresh too', hits: [[5, 3], [6, 1], [5, 3]], limit: 3, tripped: false },
    { name: 'a limit of 0 trips on the first hit', hits: [[1, 1]], limit: 0, tripped: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const w = new FloodWindow(c.limit);
      let tripped = false;
      for (const [tick, n] of c.hits) for (let i = 0; i < n!; i++) tripped = w.hit(tick!) || tripped;
      assert.equal(tripped, c.tripped);
    });
  }
});
