/**
 * The daemon's structured logger (pino). On a terminal `shoal up` prints a
 * readable form (time, level, message, fields); elsewhere, and with
 * SHOAL_LOG_FORMAT=json, one JSON object per line for log pipelines.
 * SHOAL_LOG_FORMAT=pretty forces the readable form. Level from SHOAL_LOG
 * (default info); tests pass silent.
 */
import { Writable } from 'node:stream';
import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

/** pretty on a terminal (stderr), json otherwise, unless SHOAL_LOG_FORMAT says. */
export function logFormat(env: NodeJS.ProcessEnv = process.env, tty = process.stderr.isTTY === true): LogFormat {
  const f = env.SHOAL_LOG_FORMAT;
  if (f === 'json' || f === 'pretty') return f;
  return tty ? 'pretty' : 'json';
}

/** Where the lines go: stderr, or `to` (tests). */
export function logDestination(format: LogFormat, to?: Writable): DestinationStream {
  if (format === 'json') return to ?? pino.destination({ dest: 2, sync: false });
  return PinoPretty({
    destination: to ?? 2,
    sync: to === undefined,
    colorize: to === undefined && process.stderr.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,name',
    singleLine: true,
  });
}

export function createLogger(name = 'shoal', level = process.env.SHOAL_LOG ?? 'info', destination: DestinationStream = logDestination(logFormat())): Logger {
  return pino({ name, level, base: { pid: process.pid } }, destination);
}

export const silentLogger: Logger = pino({ level: 'silent' });
