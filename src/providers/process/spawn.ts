import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ShoalError } from '../../core/errors.js';
import { readStat } from './proc.js';

/**
 * Starting an instance's boot script so that it outlives the daemon:
 * - its own process group (detached), so a crash of shoal or a Ctrl-C in
 *   shoal's terminal does not reach it, and terminate() can signal the whole tree;
 * - stdout and stderr are file descriptors of console.log opened for append,
 *   never pipes, so nothing ties the instance to the daemon's lifetime;
 * - unref'd, so the daemon can exit while instances run.
 */
export const USER_DATA_FILE = '.shoal-user-data.sh';
const SHELL = '/bin/sh';

export interface Spawned {
  pid: number;
  startTicks: number;
  /** The boot shell's command line, to notice when the script exec's its app. */
  bootCmdline: string;
  child: ChildProcess;
}

export function spawnBootScript(opts: {
  cwd: string;
  script: string;
  env: Record<string, string>;
  consolePath: string;
}): Spawned {
  writeFileSync(join(opts.cwd, USER_DATA_FILE), opts.script, { mode: 0o755 });
  const out = openSync(opts.consolePath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(SHELL, [USER_DATA_FILE], {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', out, out],
    });
  } finally {
    closeSync(out);
  }
  if (child.pid === undefined) {
    // spawn reports ENOENT and friends asynchronously; the missing pid is enough to fail now.
    child.on('error', () => undefined);
    throw new ShoalError('InternalError', `Could not start sh for the boot script in ${opts.cwd}; is there a /bin/sh?`, 500);
  }
  const stat = readStat(child.pid);
  const spawned = { pid: child.pid, startTicks: stat?.startTicks ?? 0, bootCmdline: `${SHELL}\0${USER_DATA_FILE}\0`, child };
  child.unref();
  return spawned;
}

/** Variables from the daemon's environment an instance gets, like a fresh machine's login environment. */
export const INHERITED_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

export function instanceEnv(opts: {
  inherit: readonly string[];
  template: Record<string, string>;
  shoal: Record<string, string>;
}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of opts.inherit) {
    const v = process.env[name];
    if (v !== undefined) env[name] = v;
  }
  // shoal's own variables win over the template's: INSTANCE_ID or HOST must not lie.
  return { ...env, ...opts.template, ...opts.shoal };
}

/** A port free on 127.0.0.1 right now, not in `avoid` (dynamic port mode). */
export async function freePort(avoid: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    if (!avoid.has(port)) return port;
  }
  throw new ShoalError('InsufficientInstanceCapacity', 'No free port on 127.0.0.1 for a dynamic-port instance', 500);
}
