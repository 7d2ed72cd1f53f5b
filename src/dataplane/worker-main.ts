/**
 * Entry point of a data-plane worker process (node:cluster). Receives
 * snapshots from the control plane over IPC, reports passive failures and,
 * when asked, in-flight counts. Exits 0 after draining on 'shutdown'.
 */
import { systemClock } from '../core/clock.js';
import { systemRandom } from '../core/random.js';
import { DataPlane } from './data-plane.js';
import type { ToPrimary, ToWorker } from './ipc.js';
import { workerUsage } from './usage.js';

function send(msg: ToPrimary): void {
  if (process.connected) process.send!(msg);
}

const dp = new DataPlane({
  clock: systemClock,
  random: systemRandom,
  events: {
    targetFailed: (key, reason) => send({ type: 'targetFailed', key, reason }),
    listenError: (address, message) => send({ type: 'listenError', address, message }),
    stats: (report) => send({ type: 'stats', report, usage: workerUsage() }),
    accessLog: (event) => send({ type: 'accessLog', event }),
  },
});

let shuttingDown = false;

async function shutdown(graceMs: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  await dp.close(graceMs);
  // close() wrote the last access log lines and sent their counts; the channel keeps order, so once this message is out they are too.
  if (process.connected) await new Promise<void>((resolve) => process.send!({ type: 'closed' } satisfies ToPrimary, () => resolve()));
  process.exit(0);
}

process.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'snapshot':
      dp.apply(msg.snapshot).then(
        () => send({ type: 'applied', version: msg.snapshot.version }),
        (err: unknown) => send({ type: 'listenError', address: '*', message: String(err) }),
      );
      return;
    case 'report':
      send({ type: 'report', version: dp.version, inflight: dp.inflight() });
      return;
    case 'shutdown':
      void shutdown(msg.graceMs);
      return;
    case 'accessLogReopen':
      dp.reopenLog(msg.loadBalancer);
      return;
  }
});

// The primary owns signals; a worker only stops when told (or when its primary dies).
process.on('SIGINT', () => {});
process.on('SIGTERM', () => void shutdown(30_000));
process.on('disconnect', () => void shutdown(5_000));
send({ type: 'ready' });
