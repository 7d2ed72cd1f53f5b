import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import { createMemoryStore } from '../store/index.js';
import { DEFAULT_ZONES, Zones } from './zones.js';

test('zones: defaults first, stable indices and subnets, lookup by subnet', () => {
  const store = createMemoryStore(new ManualClock());
  const zones = new Zones(store);
  assert.equal(zones.index('us-east-1a'), 0, 'a zone used before the defaults keeps the first index');
  const list = zones.list();
  assert.deepEqual(list.map((z) => z.name), ['us-east-1a', ...DEFAULT_ZONES]);
  assert.deepEqual(list.map((z) => z.cidr), ['127.0.1.0/24', '127.0.2.0/24', '127.0.3.0/24', '127.0.4.0/24']);
  const b = zones.get('zone-b');
  assert.match(b.subnetId, /^subnet-[0-9a-f]{17}$/);
  assert.equal(new Zones(store).get('zone-b').subnetId, b.subnetId, 'the same subnet id on every read');
  assert.equal(zones.bySubnet(b.subnetId)?.name, 'zone-b');
  assert.equal(zones.bySubnet('subnet-0'), undefined);
});
