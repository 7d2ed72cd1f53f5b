/**
 * Instance providers: where instances run (design.md "How an instance lives").
 * One interface, several implementations (process, docker, fake), all
 * passing the contract suite in contract.ts.
 *
 * Lifecycle as a provider reports it:
 *
 *   launch() -> pending -> running --terminate()--> stopping -> terminated
 *                             \--(its processes end by themselves)--> stopped
 *
 * - `state` is the EC2 lifecycle of the "machine", not of the app: the process
 *   provider reports `running` as soon as the boot script has been started
 *   (like EC2, user data runs while the instance is already `running`);
 *   `pending` is for providers that need time to create one (fake, docker pull).
 *   Registration in target groups therefore waits for nothing: the health check
 *   grace period covers boot time, as on AWS.
 * - `stopped` means the instance ended on its own (crash, failed boot, kill -9,
 *   memory limit, died while shoal was down). It never runs again; it keeps its
 *   private IP and logs until terminate() releases them. `impairedReason` says why.
 * - `bootStatus` follows the boot script (userData): `running` while it runs,
 *   `succeeded`/`failed` once the provider knows. A failed boot is an impairment.
 * - `impairedReason` is the EC2 status check: set when the instance is not OK
 *   (boot failed, no process left, memory limit). The ASG treats it as unhealthy.
 * - Terminated instances stay visible in list()/describe() for a retention period
 *   (default one hour, as on AWS), then disappear.
 */

import { sleep, type Clock } from '../core/clock.js';
import type { ContainerSettings } from '../model/auto-scaling.js';

export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'terminated';
export type BootStatus = 'running' | 'succeeded' | 'failed';

/**
 * host: the app listens on its own private IP and the target group port, like a
 * real machine. dynamic: for apps that cannot bind a given address; the app gets
 * HOST=127.0.0.1 and a free port of its own (like ECS dynamic port mapping); the
 * observation reports that port and `host` 127.0.0.1.
 */
export type PortMode = 'host' | 'dynamic';

export interface LaunchSpec {
  /** i-0 + 17 hex, chosen by the caller (the ASG controller) so a retry is idempotent to detect. */
  instanceId: string;
  /**
   * The image's location: an application directory (process provider), or a
   * container image reference `docker:repo/name:tag` (docker provider).
   */
  imageDir: string;
  availabilityZone: string;
  /** Position of the zone in the region's zone list; subnet is 127.0.(zoneIndex+1).0/24. */
  zoneIndex: number;
  /** A name from instance-types.ts. */
  instanceType: string;
  /** The boot script, run once with `sh` in the instance's directory; its output is the boot log. */
  userData?: string;
  environment: Record<string, string>;
  /** The target group port, given to the app as PORT. */
  port: number;
  templateVersion: string;
  tags: Record<string, string>;
  /** Default 'host'. */
  portMode?: PortMode;
  /** An ECS task's container settings (Docker provider only): command, limits, health check. */
  container?: ContainerSettings;
}

export interface InstanceObservation {
  instanceId: string;
  state: InstanceState;
  /** The instance's own address, always in its zone's subnet. */
  privateIp: string;
  /** Where the app is reached: privateIp in host port mode, 127.0.0.1 in dynamic mode. */
  host: string;
  /** Where the app is reached: the spec's port in host mode, the allocated one in dynamic mode. */
  port: number;
  availabilityZone: string;
  instanceType: string;
  templateVersion: string;
  tags: Record<string, string>;
  bootStatus: BootStatus;
  /** Set when the status check fails; a sentence fit for the activity history. */
  impairedReason?: string;
  /** The boot script's process (and process group leader), while the provider has one. */
  pid?: number;
  launchedAt: number;
  /** When it reached `terminated` or `stopped`. */
  endedAt?: number;
  /** Latest sample, 0..100, relative to the instance type's vCPUs (like CloudWatch CPUUtilization). */
  cpuPercent?: number;
  /** Latest sample: resident memory of the whole process tree. */
  memoryBytes?: number;
  /** Frozen by freeze() (a warm pool's Warmed:Stopped instance); absent when not. */
  frozen?: boolean;
  /** Something listens on host:port (the app is up); absent when the provider cannot tell. */
  listening?: boolean;
}

export type LogName = 'boot' | 'app';

/**
 * A piece of a log. Offsets are positions in the log's byte stream since launch
 * (they keep growing across rotation), so a reader can continue where it stopped.
 */
export interface LogRead {
  text: string;
  /** Offset of the first byte of text (later than asked for when older bytes were rotated away). */
  from: number;
  /** Offset to ask for next. */
  end: number;
  /** The log will not grow any more (boot ended; instance stopped or terminated). */
  complete: boolean;
}

export interface ReadLogOptions {
  /** Start offset; default: the last `maxBytes` of the log. */
  from?: number;
  /** Default 65536. */
  maxBytes?: number;
}

export interface TerminateOptions {
  /** SIGTERM first, SIGKILL after this long (the instance's stop grace). */
  stopTimeoutMs: number;
}

export interface Provider {
  /**
   * Starts an instance. Resolves once it exists (pending or running), not when it
   * has booted. Fails with a ShoalError: ValidationError (duplicate id, bad spec),
   * InvalidParameterValue (unknown instance type), InvalidAMIID.NotFound (no image),
   * InsufficientInstanceCapacity (no free IP in the subnet).
   */
  launch(spec: LaunchSpec): Promise<InstanceObservation>;
  /**
   * Stops it and releases its IP. Resolves when it is terminated. Idempotent for
   * instances already terminated; InvalidInstanceID.NotFound for unknown ids.
   */
  terminate(instanceId: string, opts: TerminateOptions): Promise<void>;
  /** Every instance it knows, including those adopted from a previous daemon's state. */
  list(): Promise<InstanceObservation[]>;
  describe(instanceId: string): Promise<InstanceObservation | undefined>;
  /**
   * Updates cpuPercent/memoryBytes (called every second by the caller; `now` is
   * the caller's clock) and enforces memory limits. Returns the fresh observations.
   */
  sample(now: number): Promise<InstanceObservation[]>;
  /**
   * Freezes a running instance for a warm pool (Warmed:Stopped): its processes
   * are no longer scheduled but keep their memory, sockets and address, so
   * thaw() brings the app back in milliseconds, where a fresh launch would boot
   * it again. The process provider sends SIGSTOP to the process group (EC2's
   * stop/start, which reboots, and hibernation are not modelled). Observations
   * say `frozen: true` until thaw(); terminate() works on a frozen instance.
   * Idempotent. InvalidInstanceID.NotFound for unknown ids, IncorrectInstanceState
   * when it is not running.
   */
  freeze(instanceId: string): Promise<void>;
  /** Undoes freeze() (SIGCONT). Idempotent; same errors as freeze(). */
  thaw(instanceId: string): Promise<void>;
  /** Reads part of a boot or app log; InvalidInstanceID.NotFound for unknown ids. */
  readLog(instanceId: string, which: LogName, opts?: ReadLogOptions): Promise<LogRead>;
  /**
   * Zones where launches cannot succeed now, each with the reason (a sentence
   * for the activity history), as of the latest list()/sample(): the docker
   * provider's engine for the zone does not answer. The ASG launches in its
   * other zones meanwhile, as AWS does while a zone is impaired. The process
   * provider has none.
   */
  impairedZones(): ReadonlyMap<string, string>;
  /** Releases the provider's own resources (servers, timers). Instances keep running. */
  close(): Promise<void>;
}

export const INSTANCE_NOT_FOUND = 'InvalidInstanceID.NotFound';
export const INCORRECT_INSTANCE_STATE = 'IncorrectInstanceState';

/** The /24 of a zone: 127.0.(zoneIndex+1).0/24. */
export function subnetPrefix(zoneIndex: number): string {
  if (!Number.isInteger(zoneIndex) || zoneIndex < 0 || zoneIndex > 253) {
    throw new RangeError(`zoneIndex must be an integer in 0..253, got ${zoneIndex}`);
  }
  return `127.0.${zoneIndex + 1}.`;
}

/** First host number handed out in a subnet (below it is left for the user's own use). */
export const FIRST_HOST = 10;

/** The lowest free address of a zone's subnet, or undefined when all of .10-.254 are taken. */
export function allocatePrivateIp(zoneIndex: number, taken: ReadonlySet<string>): string | undefined {
  const prefix = subnetPrefix(zoneIndex);
  for (let n = FIRST_HOST; n <= 254; n++) {
    const ip = prefix + n;
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}

/** AWS's form, "i-" and 17 hex digits; 18 digits are instances launched by an earlier shoal (still adopted). */
const INSTANCE_ID = /^i-0[0-9a-f]{16,17}$/;

export function isInstanceId(id: string): boolean {
  return INSTANCE_ID.test(id);
}

/**
 * Streams a log as it grows (`shoal logs -f`): yields each new piece of text,
 * polling every pollMs on the given clock, and ends when the log is complete.
 * Starts at the current end unless `from` is given. Break out of the loop to stop.
 */
export async function* followLog(
  provider: Pick<Provider, 'readLog'>,
  target: { instanceId: string; which: LogName },
  opts: { clock: Clock; pollMs?: number; from?: number },
): AsyncGenerator<string, void, undefined> {
  const pollMs = opts.pollMs ?? 500;
  let cursor = opts.from ?? (await provider.readLog(target.instanceId, target.which, { maxBytes: 0 })).end;
  for (;;) {
    const piece = await provider.readLog(target.instanceId, target.which, { from: cursor });
    if (piece.text.length > 0) yield piece.text;
    cursor = piece.end;
    if (piece.complete && piece.text.length === 0) return;
    if (!piece.complete) await sleep(opts.clock, pollMs);
  }
}
