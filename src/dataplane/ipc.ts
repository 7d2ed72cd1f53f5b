/** Messages between the control plane (cluster primary) and data-plane workers. */
import type { StatsReport } from './stats.js';
import type { Snapshot } from './snapshot.js';

export type ToWorker =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'report' }
  | { type: 'shutdown'; graceMs: number };

export type ToPrimary =
  | { type: 'ready' }
  | { type: 'applied'; version: number }
  | { type: 'report'; version: number; inflight: Record<string, number> }
  | { type: 'stats'; report: StatsReport }
  | { type: 'targetFailed'; key: string; reason: string }
  | { type: 'listenError'; address: string; message: string };
