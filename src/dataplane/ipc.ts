/** Messages between the control plane (cluster primary) and data-plane workers. */
import type { StatsReport } from './stats.js';
import type { Snapshot } from './snapshot.js';
import type { WorkerUsage } from './usage.js';

export type ToWorker =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'report' }
  | { type: 'shutdown'; graceMs: number };

export type ToPrimary =
  | { type: 'ready' }
  /** The worker drained and sent everything (its last access log batches): it exits next. */
  | { type: 'closed' }
  | { type: 'applied'; version: number }
  | { type: 'report'; version: number; inflight: Record<string, number> }
  | { type: 'stats'; report: StatsReport; usage: WorkerUsage }
  | { type: 'accessLog'; loadBalancer: string; text: string }
  | { type: 'targetFailed'; key: string; reason: string }
  | { type: 'listenError'; address: string; message: string };
