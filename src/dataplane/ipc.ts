/** Messages between the control plane (cluster primary) and data-plane workers. */
import type { Counters } from './proxy/context.js';
import type { Snapshot } from './snapshot.js';

export type ToWorker =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'report' }
  | { type: 'shutdown'; graceMs: number };

export type ToPrimary =
  | { type: 'ready' }
  | { type: 'applied'; version: number }
  | { type: 'report'; version: number; inflight: Record<string, number>; counters: Counters }
  | { type: 'targetFailed'; key: string; reason: string }
  | { type: 'listenError'; address: string; message: string };
