/**
 * `shoal down -f FILE`: terminates every instance. With the daemon running it
 * asks it to (nothing is relaunched), then stops it with SIGTERM; without a
 * daemon it terminates what the state dir holds and forgets the records.
 */
import { join } from 'node:path';
import { holdProcess, systemClock } from '../../core/clock.js';
import { ShoalError } from '../../core/errors.js';
import { silentLogger } from '../../core/log.js';
import { loadConfigFile } from '../../config/index.js';
import { ProcessProvider } from '../../providers/process/process-provider.js';
import { openSqliteStore } from '../../store/index.js';
import { STATE_KIND, type GroupState } from '../../controlplane/asg/types.js';
import { callApi, resolveEndpoint, type EndpointOptions } from '../client.js';

export async function downCommand(o: EndpointOptions): Promise<void> {
  try {
    const r = await callApi<{ TerminatedInstances: string[]; pid: number }>(resolveEndpoint(o), 'POST', '/_shoal/auto-scaling/down');
    console.log(`terminated ${r.TerminatedInstances.length} instance(s)${r.TerminatedInstances.length ? ': ' + r.TerminatedInstances.join(', ') : ''}; stopping the daemon (pid ${r.pid})`);
    process.kill(r.pid, 'SIGTERM');
    return;
  } catch (err) {
    if (!(err instanceof ShoalError) || err.code !== 'ConnectionFailed') throw err;
  }
  if (!o.file) throw new ShoalError('ValidationError', 'The daemon is not running: give -f FILE so shoal finds its state dir.');
  const stateDir = loadConfigFile(o.file).stateDir;
  const release = holdProcess(); // terminate() waits on unref'd clock timers
  try {
    await terminateWithoutDaemon(stateDir);
  } finally {
    release();
  }
}

async function terminateWithoutDaemon(stateDir: string): Promise<void> {
  const provider = await ProcessProvider.open({ stateDir, clock: systemClock, metadata: false, log: silentLogger });
  const ids: string[] = [];
  for (const i of await provider.list()) {
    if (i.state === 'terminated') continue;
    await provider.terminate(i.instanceId, { stopTimeoutMs: 30_000 });
    ids.push(i.instanceId);
  }
  await provider.close();
  const store = openSqliteStore(join(stateDir, 'shoal.db'), systemClock);
  for (const d of store.listDocs<GroupState>(STATE_KIND)) store.putDoc(STATE_KIND, d.id, { ...d.value, instances: [] });
  for (const tg of store.targetGroups()) {
    const stale = store.registeredTargets(tg.name).filter((t) => t.source.startsWith('asg:'));
    if (stale.length > 0) store.deregisterTargets(tg.name, stale);
  }
  store.close();
  console.log(`daemon not running; terminated ${ids.length} instance(s)${ids.length ? ': ' + ids.join(', ') : ''}`);
}
