/**
 * Standalone instances: those RunInstances starts outside any Auto Scaling
 * group, on the same provider as the groups' instances. A record per instance
 * in the store (written before the launch, so a crash mid-launch is known)
 * says what it was launched from; the provider says what it is doing. After a
 * restart the provider adopts the processes and the records are read again:
 * nothing else to adopt.
 *
 * Stop and start are the provider's freeze/thaw: the processes are paused with
 * their memory, sockets and address, and resume where they were (closer to
 * EC2's hibernation than to its stop, which reboots; user data does not run
 * again). An instance whose processes ended on their own cannot be started
 * again: terminate it and run another.
 */
import type { Clock } from '../../core/clock.js';
import { ShoalError, errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { randomHex, type Random } from '../../core/random.js';
import { INCORRECT_INSTANCE_STATE, INSTANCE_NOT_FOUND, type LaunchSpec, type Provider } from '../../providers/provider.js';
import type { Store } from '../../store/index.js';

export const STANDALONE_KIND = 'ec2:instance';
/** Terminated instances stay listed this long (EC2 shows them about an hour). */
export const TERMINATED_RETENTION_MS = 3_600_000;

export interface StandaloneRecord {
  instanceId: string;
  reservationId: string;
  launchIndex: number;
  imageId: string;
  instanceType: string;
  availabilityZone: string;
  launchedAt: number;
  securityGroupIds: string[];
  keyName?: string;
  launchTemplate?: { LaunchTemplateId: string; LaunchTemplateName: string; Version: string };
  clientToken?: string;
  /** Set while stopped (frozen) by StopInstances. */
  stoppedAt?: number;
  terminatedAt?: number;
  /** EC2's StateTransitionReason, e.g. "User initiated (2026-11-22 10:00:00 GMT)". */
  stateTransitionReason?: string;
}

/** One RunInstances call: MinCount..MaxCount copies of one launch spec (instanceId is chosen here). */
export interface RunRequest {
  spec: Omit<LaunchSpec, 'instanceId'>;
  minCount: number;
  maxCount: number;
  record: Omit<StandaloneRecord, 'instanceId' | 'reservationId' | 'launchIndex' | 'launchedAt'>;
}

export interface StandaloneOptions {
  store: Store;
  clock: Clock;
  random: Random;
  log: Logger;
  provider: () => Promise<Provider>;
  /** SIGTERM-to-SIGKILL grace on terminate; default 30 s. */
  stopTimeoutMs?: number;
}

export class StandaloneInstances {
  private pending: Promise<unknown>[] = [];

  constructor(private readonly o: StandaloneOptions) {}

  get(instanceId: string): StandaloneRecord | undefined {
    return this.o.store.getDoc<StandaloneRecord>(STANDALONE_KIND, instanceId)?.value;
  }

  /** Every record still shown; those terminated longer ago than the retention are forgotten. */
  list(): StandaloneRecord[] {
    const now = this.o.clock.now();
    const out: StandaloneRecord[] = [];
    for (const d of this.o.store.listDocs<StandaloneRecord>(STANDALONE_KIND)) {
      if (d.value.terminatedAt !== undefined && now - d.value.terminatedAt > TERMINATED_RETENTION_MS) this.o.store.deleteDoc(STANDALONE_KIND, d.id);
      else out.push(d.value);
    }
    return out.sort((a, b) => a.launchedAt - b.launchedAt || (a.instanceId < b.instanceId ? -1 : 1));
  }

  /**
   * Launches up to maxCount, one after another, stopping at the first failure.
   * Fewer than minCount: those launched are terminated, their records removed,
   * and the failure is thrown (EC2 launches all of MinCount or none).
   */
  async run(req: RunRequest): Promise<StandaloneRecord[]> {
    const provider = await this.o.provider();
    const reservationId = 'r-0' + randomHex(this.o.random, 16);
    const done: StandaloneRecord[] = [];
    let failure: unknown;
    for (let i = 0; i < req.maxCount && failure === undefined; i++) {
      const rec: StandaloneRecord = {
        ...req.record, instanceId: 'i-0' + randomHex(this.o.random, 16), reservationId, launchIndex: i, launchedAt: this.o.clock.now(),
      };
      this.o.store.putDoc(STANDALONE_KIND, rec.instanceId, rec);
      try {
        await provider.launch({ ...req.spec, instanceId: rec.instanceId });
        done.push(rec);
      } catch (err) {
        this.o.store.deleteDoc(STANDALONE_KIND, rec.instanceId);
        failure = err;
      }
    }
    if (done.length >= req.minCount) return done;
    await Promise.all(done.map((r) => provider.terminate(r.instanceId, { stopTimeoutMs: 0 }).catch(() => undefined)));
    for (const r of done) this.o.store.deleteDoc(STANDALONE_KIND, r.instanceId);
    throw failure;
  }

  /** StopInstances: freezes the instance (idempotent on a stopped one). */
  async stop(instanceId: string): Promise<StandaloneRecord> {
    const rec = this.live(instanceId, 'stopped');
    if (rec.stoppedAt !== undefined) return rec;
    await (await this.o.provider()).freeze(instanceId);
    return this.put({ ...rec, stoppedAt: this.o.clock.now(), stateTransitionReason: `User initiated (${gmt(this.o.clock.now())})` });
  }

  /** StartInstances: thaws a stopped instance (idempotent on a running one). */
  async start(instanceId: string): Promise<StandaloneRecord> {
    const rec = this.live(instanceId, 'started');
    const provider = await this.o.provider();
    const obs = await provider.describe(instanceId);
    if (obs && obs.state !== 'running' && obs.state !== 'pending') {
      throw new ShoalError(INCORRECT_INSTANCE_STATE, `The instance '${instanceId}' ended on its own (${obs.impairedReason ?? obs.state}) and cannot be started again; terminate it and run a new one.`);
    }
    if (rec.stoppedAt === undefined) return rec;
    await provider.thaw(instanceId);
    const { stoppedAt: _s, stateTransitionReason: _r, ...rest } = rec;
    return this.put(rest);
  }

  /** TerminateInstances: marks it terminated now; the provider's SIGTERM/SIGKILL runs in the background. */
  async terminate(instanceId: string): Promise<StandaloneRecord> {
    const rec = this.get(instanceId);
    if (!rec) throw notFoundError(instanceId);
    if (rec.terminatedAt !== undefined) return rec;
    const provider = await this.o.provider();
    const next = this.put({ ...rec, terminatedAt: this.o.clock.now(), stateTransitionReason: `User initiated (${gmt(this.o.clock.now())})` });
    const job = (async () => {
      if (rec.stoppedAt !== undefined) await provider.thaw(instanceId).catch(() => undefined); // a frozen process cannot take SIGTERM
      await provider.terminate(instanceId, { stopTimeoutMs: this.o.stopTimeoutMs ?? 30_000 });
    })().catch((err) => this.o.log.warn({ instanceId, err: errorMessage(err) }, 'terminating a standalone instance failed'));
    this.pending.push(job);
    return next;
  }

  /** Waits for background terminations (tests, shutdown). */
  async settle(): Promise<void> {
    const jobs = this.pending;
    this.pending = [];
    await Promise.all(jobs);
  }

  private live(instanceId: string, verb: string): StandaloneRecord {
    const rec = this.get(instanceId);
    if (!rec) throw notFoundError(instanceId);
    if (rec.terminatedAt !== undefined) {
      throw new ShoalError(INCORRECT_INSTANCE_STATE, `This instance '${instanceId}' is not in a state from which it can be ${verb}.`);
    }
    return rec;
  }

  private put(rec: StandaloneRecord): StandaloneRecord {
    this.o.store.putDoc(STANDALONE_KIND, rec.instanceId, rec);
    return rec;
  }
}

export function notFoundError(instanceId: string): ShoalError {
  return new ShoalError(INSTANCE_NOT_FOUND, `The instance ID '${instanceId}' does not exist`);
}

/** "2026-11-22 10:00:00 GMT", as EC2 writes times in StateTransitionReason. */
function gmt(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT');
}
