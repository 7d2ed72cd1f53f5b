/**
 * GET /_shoal/events: the console's live updates, one Server-Sent Events
 * stream per open page. The daemon's state has a version (the store's
 * version, moved by every write of a group, instance, alarm or resource,
 * and the data plane's snapshot version, moved by every target health or
 * registration change: ControlPlane.stateVersion); when it moves, every
 * stream gets one `change` event and the page fetches what it shows again.
 * The store has no change feed, so one timer reads the version (two
 * counters) while a stream is open; nothing is read with no page open.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, Timer } from '../core/clock.js';
import type { Logger } from '../core/log.js';

export const EVENTS_PATH = '/_shoal/events';
export const MAX_STREAMS = 64;

export interface StateEventsOptions {
  /** The daemon's state version; a new value is a change. */
  version: () => string;
  clock: Clock;
  log: Logger;
  /** How often the version is read (ms); changes within it coalesce into one event. */
  checkMs?: number;
  /** A comment line this often keeps proxies and the browser from closing an idle stream. */
  heartbeatMs?: number;
}

export class StateEvents {
  private readonly streams = new Set<ServerResponse>();
  private timer: Timer | undefined;
  private last = '';
  private sinceBeat = 0;

  constructor(private readonly o: StateEventsOptions) {}

  get open(): number {
    return this.streams.size;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.streams.size >= MAX_STREAMS) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' });
      res.end(JSON.stringify({ code: 'Throttling', message: `Too many open console streams (${MAX_STREAMS}); close some console tabs.` }));
      return;
    }
    const version = this.read() ?? this.last;
    if (this.streams.size === 0) this.last = version;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    // retry: how long the browser's EventSource waits before reconnecting (a daemon restart).
    res.write(`retry: 2000\nevent: change\ndata: ${JSON.stringify({ version })}\n\n`);
    this.streams.add(res);
    const drop = (): void => {
      this.streams.delete(res);
      if (this.streams.size === 0) this.stopTimer();
    };
    req.on('close', drop);
    res.on('error', drop);
    this.timer ??= this.o.clock.every(this.o.checkMs ?? 250, () => this.tick());
  }

  /** Ends every stream (the daemon stops: server.close waits for open connections otherwise). */
  close(): void {
    this.stopTimer();
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  private tick(): void {
    const version = this.read();
    let line: string | undefined;
    if (version !== undefined && version !== this.last) {
      this.last = version;
      line = `event: change\ndata: ${JSON.stringify({ version })}\n\n`;
      this.sinceBeat = 0;
    } else if ((this.sinceBeat += this.o.checkMs ?? 250) >= (this.o.heartbeatMs ?? 15_000)) {
      line = ': keep-alive\n\n';
      this.sinceBeat = 0;
    }
    if (line !== undefined) for (const res of this.streams) res.write(line);
  }

  private read(): string | undefined {
    try {
      return this.o.version();
    } catch (err) {
      this.o.log.warn({ err: String(err) }, 'reading the state version for console events failed');
      return undefined;
    }
  }

  private stopTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
