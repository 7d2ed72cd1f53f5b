/** Messages between the control plane (cluster primary) and data-plane workers. */
import type { AccessLogEvent } from './access-log/events.js';
import type { StatsReport } from './stats.js';
import type { Snapshot } from './snapshot.js';
import type { WorkerUsage } from './usage.js';

export type ToWorker =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'report' }
  | { type: 'shutdown'; graceMs: number }
  /** The primary rotated this load balancer's access log: writers open the path again. */
  | { type: 'accessLogReopen'; loadBalancer: string };

export type ToPrimary =
  | { type: 'ready' }
  /** The worker drained and wrote everything (its last access log lines): it exits next. */
  | { type: 'closed' }
  | { type: 'applied'; version: number }
  | { type: 'report'; version: number; inflight: Record<string, number> }
  | { type: 'stats'; report: StatsReport; usage: WorkerUsage }
  | { type: 'accessLog'; event: AccessLogEvent }
  | { type: 'targetFailed'; key: string; reason: string }
  | { type: 'listenError'; address: string; message: string };
