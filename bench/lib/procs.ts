/**
 * Child processes of the bench, all of them killed when the bench ends: normally,
 * on an error, or on Ctrl-C. Each child gets its own process group (detached) so
 * one signal reaches everything it forked (nginx workers, shoal's cluster workers);
 * the exit hook sends SIGKILL to every group that may still exist.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { sleep, systemClock } from '../../src/core/clock.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** Shown in messages ("nginx proxy", "backend 1"). */
  name: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const TAIL_BYTES = 8192;
const live = new Set<Managed>();
/** Set once a signal asked us to stop: nothing new may start after that. */
let stopping = false;

export class Managed {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  private output = '';
  private exitInfo: ExitInfo | null = null;
  private stdoutChunks: Buffer[] = [];

  constructor(cmd: string, args: string[], opts: SpawnOptions) {
    this.name = opts.name;
    this.child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(this);
    this.child.stdout?.on('data', (b: Buffer) => {
      this.stdoutChunks.push(b);
      this.remember(b);
    });
    this.child.stderr?.on('data', (b: Buffer) => this.remember(b));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.remember(Buffer.from(`spawn ${cmd} failed: ${err.message}\n`));
        this.exitInfo = { code: -1, signal: null };
        live.delete(this);
        resolve(this.exitInfo);
      });
      this.child.on('close', (code, signal) => {
        this.exitInfo ??= { code, signal };
        live.delete(this);
        resolve(this.exitInfo);
      });
    });
  }

  hasExited(): boolean {
    return this.exitInfo !== null;
  }

  /** Everything the child wrote to stdout so far. */
  stdout(): string {
    return Buffer.concat(this.stdoutChunks).toString('utf8');
  }

  /** The last few KiB of stdout+stderr, for error messages. */
  tail(): string {
    return this.output.trim() || '(no output)';
  }

  describeExit(): string {
    const e = this.exitInfo;
    if (!e) return 'still running';
    return e.signal ? `killed by ${e.signal}` : `exited with code ${e.code}`;
  }

  /** SIGTERM to the group, SIGKILL after graceMs, then SIGKILL to stragglers of the group. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.hasExited()) {
      this.signalGroup('SIGTERM');
      const timedOut = await Promise.race([
        this.exited.then(() => false),
        sleep(systemClock, graceMs).then(() => true),
      ]);
      if (timedOut) this.signalGroup('SIGKILL');
      await this.exited;
    }
    // The leader is gone; workers it forked may not be (nginx workers outlive a killed master).
    this.signalGroup('SIGKILL');
  }

  /** Synchronous last resort, used from the process 'exit' hook. */
  killNow(): void {
    this.signalGroup('SIGKILL');
  }

  private signalGroup(sig: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, sig);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  private remember(b: Buffer): void {
    this.output += b.toString('utf8');
    if (this.output.length > TAIL_BYTES * 2) this.output = this.output.slice(-TAIL_BYTES);
  }
}

export function start(cmd: string, args: string[], opts: SpawnOptions): Managed {
  if (stopping) throw new Error(`not starting ${opts.name}: the bench is stopping`);
  return new Managed(cmd, args, opts);
}

/** Stops every child still running, in parallel. */
export async function stopAll(graceMs = 5000): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(graceMs)));
}

let hooksInstalled = false;
const exitCleanups: Array<() => void> = [];

/** Runs fn (synchronous) when the process exits for any reason, after the children are killed. */
export function onExit(fn: () => void): void {
  exitCleanups.push(fn);
}

/**
 * Makes sure no child outlives the bench: SIGKILL on process exit (covers thrown
 * errors), graceful stop on SIGINT/SIGTERM, immediate kill on a second signal.
 */
export function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const p of live) p.killNow();
    for (const fn of exitCleanups) {
      try {
        fn();
      } catch {
        // exiting anyway
      }
    }
  });
  const onSignal = (sig: NodeJS.Signals): void => {
    const code = sig === 'SIGINT' ? 130 : 143;
    if (stopping) process.exit(code);
    stopping = true;
    process.stderr.write(`\nbench: ${sig}, stopping ${live.size} child process(es)...\n`);
    void stopAll(2000).finally(() => process.exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}
