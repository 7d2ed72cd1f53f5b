/**
 * Test fixture for sqlite.test.ts: opens the store at argv[2], writes, then
 * SIGKILLs itself without closing, like `kill -9` on the daemon. Not a test itself.
 * Usage: node sqlite-sigkill.fixture.js DB_PATH DOC_COUNT
 */
import { ManualClock } from '../core/clock.js';
import { tg } from './fixtures.js';
import { openSqliteStore } from './sqlite.js';

const [, , path, docs] = process.argv;
if (path && docs) {
  const store = openSqliteStore(path, new ManualClock());
  store.applyConfig({ loadBalancers: [], targetGroups: [tg('app')] });
  store.registerTargets('app', [{ id: '127.0.1.1', port: 8080, availabilityZone: 'zone-a' }], 'asg:app');
  for (let i = 0; i < Number(docs); i++) store.putDoc('instance', `i-${i}`, { state: 'running', i });
  store.appendHistory('activity:asg:app', { description: 'Launching a new instance: i-0' });
  process.kill(process.pid, 'SIGKILL');
}
