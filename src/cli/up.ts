/** `shoal up -f FILE`: run the daemon in the foreground until Ctrl-C / SIGTERM. */
import { availableParallelism } from 'node:os';
import { systemClock } from '../core/clock.js';
import { createLogger } from '../core/log.js';
import { systemRandom } from '../core/random.js';
import { Daemon } from '../daemon/daemon.js';
import type { ShoalConfig } from '../model/config.js';

export function workerCount(config: ShoalConfig['dataPlane'], env = process.env.SHOAL_WORKERS): number {
  const raw = env ?? config.workers;
  if (raw === 'auto') return availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`SHOAL_WORKERS must be a whole number or "auto" (got ${raw})`);
  return n;
}

export async function upCommand(file: string | undefined): Promise<void> {
  const log = createLogger();
  const { loadConfigFile, parseConfig } = await import('../config/index.js');
  const workers = workerCount((file === undefined ? parseConfig('', 'shoal') : loadConfigFile(file)).dataPlane);
  // The signal handlers come first: a SIGTERM or Ctrl-C while the daemon starts (its listeners may answer already)
  // stops it cleanly once it is up, instead of killing the process mid-start.
  let daemon: Daemon | undefined;
  let stopping = false;
  const finish = (d: Daemon): void => {
    d.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  const stop = (signal: string): void => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting for in-flight requests`);
      process.exit(1);
    }
    stopping = true;
    console.error(`${signal}: no longer accepting; finishing in-flight requests (press Ctrl-C again to force)`);
    if (daemon !== undefined) finish(daemon);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  daemon = await Daemon.start({ configPath: file ?? null, clock: systemClock, random: systemRandom, log, workers });
  if (stopping) return finish(daemon);
  printBanner(daemon, workers, file);
  const started = daemon;
  process.on('SIGHUP', () => {
    void started.reload().then((r) => {
      if (r.ok) console.error(`reloaded ${file ?? '(no config file)'}`);
      else console.error(`reload of ${file ?? ''} rejected; still serving the previous config:\n${r.error}`);
    });
  });
}

function printBanner(daemon: Daemon, workers: number, file: string | undefined): void {
  const lines = [`shoal is up (${workers === 0 ? 'in-process data plane' : `${workers} data-plane worker${workers === 1 ? '' : 's'}`})`];
  for (const lb of daemon.control.config.loadBalancers) {
    for (const l of lb.listeners) lines.push(`  load balancer ${lb.name}: http://${lb.bindAddress}:${l.port}/`);
  }
  lines.push(`  console: ${daemon.consoleUrl()}`);
  lines.push(`           (a one-time login link, valid 10 minutes; a new one: shoal console-url${file === undefined ? '' : ` -f ${file}`})`);
  lines.push(`  AWS API: aws --endpoint-url http://${daemon.apiAddress()} ...   (keys: api.credentials; docs/aws-api.md)`);
  lines.push(`  API token: ${daemon.apiTokenPath}   (the CLI reads it; docs/security.md)`);
  lines.push('  reload: kill -HUP ' + process.pid + '   stop: Ctrl-C');
  console.log(lines.join('\n'));
}
