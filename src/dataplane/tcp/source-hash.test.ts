import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickBySource, pickZoneBySource } from './source-hash.js';
import { groupByZone } from './zones.js';

const target = (n: number) => ({ key: `127.0.0.${n}:6379`, host: `127.0.0.${n}`, port: 6379, inflight: 0 });
const clients = Array.from({ length: 600 }, (_, i) => `127.0.${1 + (i >> 8)}.${i & 255}`);

test('a client address keeps its target; clients spread over all targets', () => {
  const ts = [target(1), target(2), target(3)];
  const counts = new Map<string, number>();
  for (const c of clients) {
    const t = pickBySource(ts, c)!;
    assert.equal(pickBySource(ts, c), t, 'the same pick every time');
    assert.equal(pickBySource([...ts].reverse(), c), t, 'whatever the order of the candidates');
    counts.set(t.key, (counts.get(t.key) ?? 0) + 1);
  }
  for (const t of ts) assert.ok((counts.get(t.key) ?? 0) > 120, `${t.key} gets a fair share: ${JSON.stringify([...counts])}`);
});

test('a target that leaves moves only its own clients; avoid skips one', () => {
  const ts = [target(1), target(2), target(3)];
  for (const c of clients) {
    const before = pickBySource(ts, c)!;
    const after = pickBySource(ts.filter((t) => t.key !== target(2).key), c)!;
    if (before.key !== target(2).key) assert.equal(after.key, before.key);
    else assert.notEqual(after.key, before.key);
    assert.notEqual(pickBySource(ts, c, before)!.key, before.key);
  }
  assert.equal(pickBySource([], '127.0.0.1'), undefined);
  assert.equal(pickBySource([target(1)], '127.0.0.1', target(1)), undefined);
});

test('cross-zone off: a client address keeps its zone; clients spread evenly over zones whatever their sizes', () => {
  const ts = [{ ...target(1), zone: 'zone-a' }, ...[2, 3, 4].map((n) => ({ ...target(n), zone: 'zone-b' }))];
  const zones = groupByZone(ts, (t) => t.zone);
  let inA = 0;
  for (const c of clients) {
    const z = pickZoneBySource(zones, c)!;
    assert.equal(pickZoneBySource([...zones].reverse(), c), z, 'the same zone whatever the order');
    if (z.name === 'zone-a') inA++;
  }
  assert.ok(inA > 240 && inA < 360, `about half the clients in the 1-target zone: ${inA} of ${clients.length}`);
  assert.equal(pickZoneBySource([], '127.0.0.1'), undefined);
});
