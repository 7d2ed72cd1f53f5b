import { pino, type Logger } from 'pino';

export type { Logger };

/** The daemon's structured logger. Level from SHOAL_LOG (default info); tests pass silent. */
export function createLogger(name = 'shoal', level = process.env.SHOAL_LOG ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination({ dest: 2, sync: false }));
}

export const silentLogger: Logger = pino({ level: 'silent' });
