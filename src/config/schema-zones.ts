/** `zones:`: which zones run their instances on a Docker engine (model/zones.ts). */
import { z } from 'zod';
import { checked, oneOf, str, strictObject } from './schema-common.js';

/** unix:///path, tcp://host:port, ssh://[user@]host[:port], as DOCKER_HOST and Docker contexts write them. */
export function parseDockerHost(v: unknown): { scheme: 'unix' | 'tcp' | 'ssh'; path?: string; host?: string; port?: number; user?: string } | undefined {
  if (typeof v !== 'string') return undefined;
  const unix = /^unix:\/\/(\/.+)$/.exec(v);
  if (unix) return { scheme: 'unix', path: unix[1]! };
  const m = /^(tcp|ssh):\/\/(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/.exec(v);
  if (!m) return undefined;
  const scheme = m[1] as 'tcp' | 'ssh';
  if (scheme === 'tcp' && m[2] !== undefined) return undefined;
  const port = m[4] === undefined ? (scheme === 'tcp' ? 2375 : 22) : Number(m[4]);
  if (port < 1 || port > 65535) return undefined;
  return { scheme, host: m[3]!.replace(/^\[|\]$/g, ''), port, ...(m[2] !== undefined ? { user: m[2] } : {}) };
}

const dockerHost = checked('must be unix:///path/to/docker.sock, tcp://host:port or ssh://user@host[:port]', (v) =>
  parseDockerHost(v) ? (v as string) : undefined);

const file = str({ what: 'a file path' });

const dockerEngine = strictObject({
  host: dockerHost,
  tls: strictObject({ ca: file, cert: file, key: file }).optional(),
  network: oneOf(['host', 'bridge']).optional(),
  address: str({ max: 255, what: 'a host name or IP address' }).optional(),
}).superRefine((e, ctx) => {
  if (e.tls !== undefined && typeof e.host === 'string' && !e.host.startsWith('tcp://')) {
    ctx.addIssue({ code: 'custom', path: ['tls'], message: 'tls is for tcp:// engines (unix:// and ssh:// engines are reached without it)' });
  }
  if (e.network === 'host' && typeof e.host === 'string' && !e.host.startsWith('unix://')) {
    ctx.addIssue({
      code: 'custom', path: ['network'],
      message: 'host networking needs the engine on this machine (a unix:// socket): its containers listen on the engine host\'s own addresses; a remote engine takes network: bridge (published host ports, the default)',
    });
  }
});

export const zoneSchema = strictObject({
  name: str({ max: 255 }),
  docker: dockerEngine.optional(),
});

export type ZoneInput = z.output<typeof zoneSchema>;
