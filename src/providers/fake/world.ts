import type { ShoalError } from '../../core/errors.js';
import type { BootStatus, InstanceState, LaunchSpec, LogName } from '../provider.js';

/** What happens to one launch attempt of the fake provider. */
export interface LaunchScript {
  /** Launch rejects with this error (a string becomes an InternalError). */
  reject?: ShoalError | string;
  /** State is `pending` this long after launch; default 0. */
  pendingMs?: number;
  /** The boot script runs this long after pending ends; default 0. */
  bootMs?: number;
  /** Non-zero: the boot fails with this status when it ends, and the instance stops. */
  bootExitStatus?: number;
  /** The instance's processes end this long after launch. */
  dieAfterMs?: number;
  dieReason?: string;
  /** The app never listens (observations say listening: false after boot). */
  deaf?: boolean;
}

export interface FakeInstance {
  spec: LaunchSpec;
  privateIp: string;
  host: string;
  port: number;
  launchedAt: number;
  state: InstanceState;
  bootStatus: BootStatus;
  impairedReason?: string;
  endedAt?: number;
  pendingUntil: number;
  bootUntil: number;
  bootExitStatus: number;
  dieAt?: { at: number; reason: string };
  cpuPercent?: number;
  memoryBytes?: number;
  /** freeze() was called (and no thaw() since). */
  frozen?: boolean;
  /** Scripted: the app does not listen even after a good boot. */
  deaf?: boolean;
  logs: Record<LogName, string>;
}

export interface FakeCall {
  op: 'launch' | 'terminate' | 'freeze' | 'thaw';
  instanceId: string;
  at: number;
}

/**
 * The fake provider's backing state — its "machines". Outlives a FakeProvider
 * so a test can build a new provider on the same world, as a restarted daemon
 * adopts the instances of the old one.
 */
export class FakeWorld {
  readonly instances = new Map<string, FakeInstance>();
  readonly scripts = new Map<number, LaunchScript>();
  /** Every launch and terminate call, in order, for assertions. */
  readonly calls: FakeCall[] = [];
  /** Zones scripted as impaired (FakeProvider.impairZone), with the reason. */
  readonly impairedZones = new Map<string, string>();
  launchAttempts = 0;
}
