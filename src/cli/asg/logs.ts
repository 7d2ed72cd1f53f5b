/** `shoal logs i-... [--boot] [--follow]`: an instance's boot log (cloud-init-output.log) or app log. */
// A ref'd timer on purpose: systemClock's timers are unref'd, and while --follow waits nothing else keeps the CLI alive.
import { setTimeout as delay } from 'node:timers/promises';
import type { LogRead } from '../../providers/provider.js';
import { callApi, resolveEndpoint, type EndpointOptions } from '../client.js';

export async function logsCommand(instanceId: string, o: EndpointOptions & { boot?: boolean; follow?: boolean }): Promise<void> {
  const endpoint = resolveEndpoint(o);
  const which = o.boot ? 'boot' : 'app';
  const path = (from?: number) => `/_shoal/instances/${encodeURIComponent(instanceId)}/logs/${which}${from === undefined ? '' : `/${from}`}`;
  let piece = await callApi<LogRead>(endpoint, 'GET', path());
  process.stdout.write(piece.text);
  while (o.follow && !piece.complete) {
    await delay(500);
    piece = await callApi<LogRead>(endpoint, 'GET', path(piece.end));
    process.stdout.write(piece.text);
  }
}
